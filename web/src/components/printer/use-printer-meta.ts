import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import type { Printer } from '@/api/types';

/** A filament slot as the printer record knows it (printers without an AMS: what the user loaded). */
export interface SlotMeta {
  slot: number;
  type: string | null;
  color: string | null;
}

/** What a printer card needs from the printer record; the live store has everything that changes by the second. */
export interface PrinterMeta {
  id: number;
  name: string;
  nickname: string | null;
  model: string | null;
  apiType: string | null;
  displayOrder: number;
  lastSeen: string | null;
  slots: SlotMeta[];
}

/** Keyed by printer id (as a string: a plain object, so TanStack Query keeps unchanged entries identical between refetches). */
export type PrinterMetaById = Record<string, PrinterMeta>;

export function toPrinterMeta(printer: Printer): PrinterMeta {
  return {
    id: printer.id,
    name: printer.name,
    nickname: printer.nickname,
    model: printer.model,
    apiType: printer.api_type,
    displayOrder: printer.display_order,
    lastSeen: printer.last_seen,
    slots: printer.filament_slots
      .filter((slot) => slot.color_hex || slot.filament_type)
      .map((slot) => ({ slot: slot.slot_number, type: slot.filament_type, color: slot.color_hex })),
  };
}

function byId(printers: Printer[]): PrinterMetaById {
  const out: PrinterMetaById = {};
  for (const printer of printers) out[String(printer.id)] = toPrinterMeta(printer);
  return out;
}

/** GET /api/printers (query key ['printers']) reduced to the fields that do not change by the second. */
export function usePrinterMeta(refetchIntervalMs?: number) {
  return useQuery({
    queryKey: ['printers'],
    queryFn: () => unwrap(api.GET('/api/printers')),
    select: byId,
    refetchInterval: refetchIntervalMs ?? false,
  });
}

/** The name people call the printer by. */
export function printerName(meta: PrinterMeta | undefined, liveName: string | null | undefined, id: number): string {
  return meta?.nickname || meta?.name || liveName || `#${id}`;
}
