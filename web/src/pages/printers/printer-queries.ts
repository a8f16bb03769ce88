import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { Printer } from '@/api/types';
import { useToast } from '@/components/ui/toast';
import { useT } from '@/i18n';

import { applyOrder } from './list/reorder';

/** Query keys of the printer pages; everything starts with 'printers' so a change can refresh it all. */
export const printerKeys = {
  list: ['printers'] as const,
  detail: (id: number) => ['printers', id] as const,
  slots: (id: number) => ['printers', id, 'slots'] as const,
  telemetry: (id: number, hours: number) => ['printers', id, 'telemetry', hours] as const,
  hms: (id: number) => ['printers', id, 'hms-history'] as const,
  nozzle: (id: number) => ['printers', id, 'nozzle'] as const,
  amsCurrent: (id: number) => ['printers', id, 'ams', 'current'] as const,
  amsEnvironment: (id: number, hours: number) => ['printers', id, 'ams', 'environment', hours] as const,
};

export function usePrinters() {
  return useQuery({ queryKey: printerKeys.list, queryFn: () => unwrap(api.GET('/api/printers')) });
}

export function usePrinter(id: number) {
  return useQuery({
    queryKey: printerKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/printers/{printer_id}', { params: { path: { printer_id: id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/**
 * Saves a new order optimistically: the list moves at once, goes back if the server refuses, and a
 * toast says why. The list is refetched afterwards either way, so it ends as the server has it.
 */
export function useReorderPrinters() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const t = useT();
  return useMutation({
    mutationFn: (ids: number[]) => unwrap(api.POST('/api/printers/reorder', { body: { printer_ids: ids } })),
    onMutate: async (ids) => {
      await queryClient.cancelQueries({ queryKey: printerKeys.list, exact: true });
      const previous = queryClient.getQueryData<Printer[]>(printerKeys.list);
      if (previous) queryClient.setQueryData<Printer[]>(printerKeys.list, applyOrder(previous, ids));
      return { previous };
    },
    onError: (error, _ids, context) => {
      if (context?.previous) queryClient.setQueryData(printerKeys.list, context.previous);
      toast.error(t('printers.list.reorderFailed', { detail: errorText(error, t) }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: printerKeys.list, exact: true }),
  });
}

/** After a printer is added, changed or removed: the list and that printer's page. */
export function invalidatePrinter(queryClient: ReturnType<typeof useQueryClient>, id?: number) {
  void queryClient.invalidateQueries({ queryKey: printerKeys.list, exact: true });
  if (id !== undefined) void queryClient.invalidateQueries({ queryKey: printerKeys.detail(id) });
}
