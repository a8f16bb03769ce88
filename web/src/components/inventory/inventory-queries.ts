import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { api, unwrap } from '@/api/client';
import type { paths } from '@/api/schema';
import type { ResponseOf } from '@/api/types';

export type Spool = ResponseOf<'/api/spools', 'get'>[number];
export type SpoolDetail = ResponseOf<'/api/spools/{spool_id}', 'get'>;
export type SpoolUsage = SpoolDetail['usage'][number];
export type Filament = ResponseOf<'/api/filaments', 'get'>[number];
export type LabelSize = ResponseOf<'/api/spools/label-sizes', 'get'>[number];
export type SpoolQuery = NonNullable<paths['/api/spools']['get']['parameters']['query']>;

/**
 * Query keys of the inventory. Everything about spools starts with 'spools', everything about the
 * library with 'filaments', so one change refreshes all views of it (stock totals live on both).
 */
export const inventoryKeys = {
  spools: ['spools'] as const,
  spoolList: (query: SpoolQuery) => ['spools', 'list', query] as const,
  /** The active spools: the dashboard, the summary strip, the printer page and the pickers share this one query. */
  active: ['spools', 'list', { status: 'active' }] as const,
  spool: (id: number) => ['spools', 'detail', id] as const,
  filaments: ['filaments'] as const,
  filamentList: ['filaments', 'list'] as const,
  combined: ['filaments', 'combined'] as const,
  thresholds: ['filaments', 'thresholds'] as const,
  labelSizes: ['label-sizes'] as const,
  attention: (printerId: number) => ['printers', printerId, 'slots', 'attention'] as const,
};

export function useActiveSpools<T = Spool[]>(options: { select?: (spools: Spool[]) => T; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: inventoryKeys.active,
    queryFn: () => unwrap(api.GET('/api/spools', { params: { query: { status: 'active' } } })),
    select: options.select,
    refetchInterval: options.refetchInterval ?? false,
  });
}

export function useFilaments() {
  return useQuery({ queryKey: inventoryKeys.filamentList, queryFn: () => unwrap(api.GET('/api/filaments')) });
}

export function useThresholds() {
  return useQuery({ queryKey: inventoryKeys.thresholds, queryFn: () => unwrap(api.GET('/api/filaments/low-stock-thresholds')) });
}

export function useLabelSizes() {
  return useQuery({
    queryKey: inventoryKeys.labelSizes,
    queryFn: () => unwrap(api.GET('/api/spools/label-sizes')),
    staleTime: Infinity,
  });
}

/**
 * After a spool or filament changed: every spool list and the library (stock totals), and when a
 * spool went into or out of a printer, that printer's slots and the printer list (slot colours).
 */
export function useInventoryRefresh() {
  const queryClient = useQueryClient();
  return useCallback(
    (options: { printerIds?: (number | null | undefined)[] } = {}) => {
      void queryClient.invalidateQueries({ queryKey: inventoryKeys.spools });
      void queryClient.invalidateQueries({ queryKey: inventoryKeys.filaments });
      const printers = [...new Set((options.printerIds ?? []).filter((id): id is number => typeof id === 'number'))];
      if (printers.length > 0) {
        void queryClient.invalidateQueries({ queryKey: ['printers'], exact: true });
        for (const id of printers) {
          void queryClient.invalidateQueries({ queryKey: ['printers', id], exact: true });
          void queryClient.invalidateQueries({ queryKey: ['printers', id, 'slots'] });
        }
      }
    },
    [queryClient],
  );
}

/** The spool's name as people say it: "Prusament PLA Galaxy Black". */
export function spoolName(spool: Pick<Spool, 'filament_brand' | 'filament_name' | 'material'>): string {
  const name = spool.filament_name.toLowerCase().includes(spool.material.toLowerCase())
    ? spool.filament_name
    : `${spool.material} ${spool.filament_name}`;
  return spool.filament_brand ? `${spool.filament_brand} ${name}` : name;
}
