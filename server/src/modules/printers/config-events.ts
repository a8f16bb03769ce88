import { PRINTER_LISTING_FIELDS, type PrinterDto, type PrinterListing } from './schemas.js';

/**
 * A printer was added, edited or removed through the API. The fleet supervisor reconnects it; the
 * `/ws` hub tells browsers (`printer_added` / `printer_updated` / `printer_removed`).
 */
export type PrinterConfigEvent =
  | { printerId: number; change: 'added'; printer: PrinterListing }
  /** `changes`: the listing fields the edit touched (empty when only connection settings changed). */
  | { printerId: number; change: 'updated'; changes: Partial<PrinterListing> }
  | { printerId: number; change: 'removed' };

/** The display order changed: every printer id, in the new order. */
export interface PrintersReorderedEvent {
  printerIds: number[];
}

export function listingOf(printer: PrinterDto): PrinterListing {
  return pickFields(printer, PRINTER_LISTING_FIELDS);
}

export function printerAdded(printer: PrinterDto): PrinterConfigEvent {
  return { printerId: printer.id, change: 'added', printer: listingOf(printer) };
}

/** `changed`: the API field names the edit touched (as PrintersService.update reports them). */
export function printerUpdated(printer: PrinterDto, changed: readonly string[]): PrinterConfigEvent {
  const fields = PRINTER_LISTING_FIELDS.filter((field) => changed.includes(field));
  return { printerId: printer.id, change: 'updated', changes: pickFields(printer, fields) };
}

function pickFields<T, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, source[key]])) as Pick<T, K>;
}
