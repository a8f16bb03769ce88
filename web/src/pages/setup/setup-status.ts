import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';

/** Whether the first-run wizard is still open; same query (and cache entry) the app's route guard uses. */
export function useSetupStatus() {
  return useQuery({
    queryKey: ['setup', 'status'],
    queryFn: () => unwrap(api.GET('/api/setup/status')),
    staleTime: 60_000,
  });
}
