import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';

import { type PrinterMetaById, usePrinterMeta } from '@/components/printer/use-printer-meta';
import { useLiveSelector } from '@/live/live-context';
import type { LivePrinter } from '@/live/live-store';

/**
 * Once the printer list has loaded, a live entry it does not know is a printer deleted since the
 * snapshot (hide it) or one added since the list loaded (hidden for the moment it takes to refetch).
 */
export function knownRows(rows: LivePrinter[], meta: PrinterMetaById | undefined): LivePrinter[] {
  return meta ? rows.filter((row) => String(row.printer_id) in meta) : rows;
}

/** The ids the printer list does not know, as one string ("" = none) so a change is one comparison. */
export function unknownIds(rows: LivePrinter[], meta: PrinterMetaById | undefined): string {
  if (!meta) return '';
  return rows
    .filter((row) => !(String(row.printer_id) in meta))
    .map((row) => row.printer_id)
    .join(',');
}

/**
 * The printer list (names, models, order) kept in step with the live fleet. Printers added, edited,
 * reordered or removed through the API refresh it by themselves (the live provider invalidates the
 * query on the /ws messages); as a fallback, when the live store reports a printer the list does not
 * have, the list is fetched again — once per new set of unknown ids, so an entry the store still
 * holds (polling rows of a printer deleted meanwhile) cannot make the page refetch in a loop.
 * `refetchIntervalMs` is for screens nobody touches (TV mode), for what the socket may have missed.
 */
export function useKnownFleet(options: { refetchIntervalMs?: number } = {}) {
  const queryClient = useQueryClient();
  const query = usePrinterMeta(options.refetchIntervalMs);
  const meta = query.data;
  const unknown = useLiveSelector(
    useCallback((rows: LivePrinter[]) => unknownIds(rows, meta), [meta]),
    Object.is,
  );
  const askedFor = useRef('');
  useEffect(() => {
    if (unknown === '' || unknown === askedFor.current) return;
    askedFor.current = unknown;
    void queryClient.invalidateQueries({ queryKey: ['printers'], exact: true });
  }, [unknown, queryClient]);
  return query;
}
