import type { Spool } from './inventory-queries';

/** What a printer card shows of the spool in a slot. */
export interface SlotSpool {
  code: string;
  grams: number;
  percent: number;
}

/** Per printer (id as a string), per slot number (as a string): the spool loaded there. */
export type SpoolsBySlot = Record<string, Record<string, SlotSpool>>;

/**
 * The active spools regrouped for the dashboard: one query for every card, and the result is
 * structurally shared by TanStack Query, so a card whose spools did not change keeps the same
 * object and does not render again.
 */
export function spoolsBySlot(spools: Spool[]): SpoolsBySlot {
  const out: SpoolsBySlot = {};
  for (const spool of spools) {
    if (spool.location_printer_id === null || spool.location_slot === null) continue;
    const printer = (out[String(spool.location_printer_id)] ??= {});
    printer[String(spool.location_slot)] = {
      code: spool.qr_code,
      grams: Math.round(spool.remaining_weight_g),
      percent: Math.round(spool.remaining_percent),
    };
  }
  return out;
}
