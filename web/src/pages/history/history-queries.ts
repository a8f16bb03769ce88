import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';

import type { ListQuery, StatsQuery } from './history-filters';

/**
 * Keys start with 'print-jobs': the live provider invalidates that prefix when a job starts,
 * progresses or ends, so the history refreshes by itself.
 */
export const historyKeys = {
  list: (query: ListQuery) => ['print-jobs', 'list', query] as const,
  stats: (query: StatsQuery) => ['print-jobs', 'stats', query] as const,
};

export function usePrintJobs(query: ListQuery) {
  return useQuery({
    queryKey: historyKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/print-jobs', { params: { query } })),
    // Paging keeps the old rows on screen until the next page arrives.
    placeholderData: keepPreviousData,
  });
}

export function usePrintJobStats(query: StatsQuery) {
  return useQuery({
    queryKey: historyKeys.stats(query),
    queryFn: () => unwrap(api.GET('/api/print-jobs/stats', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}
