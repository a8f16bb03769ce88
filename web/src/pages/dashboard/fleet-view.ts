import { type FleetBucket, fleetBucket, hasActivePrint, isFleetBucket, type StatusFields } from '@/components/printer/fleet-status';
import type { PrinterMeta, PrinterMetaById } from '@/components/printer/use-printer-meta';

/**
 * What the dashboard shows and in which order: filters and sort as they live in the URL, and the
 * pure functions that turn the live fleet into the list of card ids.
 */
export const SORT_KEYS = ['order', 'name', 'progress', 'remaining'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface FleetFilters {
  status: FleetBucket | null;
  /** api_type: moonraker, prusalink, bambu, elegoo. */
  protocol: string | null;
  search: string;
  sort: SortKey;
}

export const DEFAULT_FILTERS: FleetFilters = { status: null, protocol: null, search: '', sort: 'order' };

/** The live fields the list logic reads. */
export interface FleetRow extends StatusFields {
  printer_id: number;
  name?: string | null;
  api_type?: string | null;
  progress: number | null;
  remaining_seconds: number | null;
}

function isSortKey(value: string | null): value is SortKey {
  return (SORT_KEYS as readonly string[]).includes(value ?? '');
}

/** Reads ?status=…&protocol=…&q=…&sort=…; anything unknown falls back to the default. */
export function parseFilters(params: URLSearchParams): FleetFilters {
  const status = params.get('status');
  const sort = params.get('sort');
  return {
    status: isFleetBucket(status) ? status : null,
    protocol: params.get('protocol') || null,
    search: params.get('q') ?? '',
    sort: isSortKey(sort) ? sort : 'order',
  };
}

/** The query string for `filters`, leaving out defaults so a plain dashboard keeps a plain URL. */
export function filtersToParams(filters: FleetFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.protocol) params.set('protocol', filters.protocol);
  if (filters.search) params.set('q', filters.search);
  if (filters.sort !== 'order') params.set('sort', filters.sort);
  return params;
}

export function hasActiveFilters(filters: FleetFilters): boolean {
  return filters.status !== null || filters.protocol !== null || filters.search.trim() !== '';
}

function protocolOf(row: FleetRow, meta: PrinterMeta | undefined): string | null {
  return meta?.apiType ?? row.api_type ?? null;
}

function matchesSearch(row: FleetRow, meta: PrinterMeta | undefined, needle: string): boolean {
  if (!needle) return true;
  const haystack = [meta?.name, meta?.nickname, meta?.model, row.name].filter(Boolean).join('\u0000').toLocaleLowerCase();
  return haystack.includes(needle);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function nameOf(row: FleetRow, meta: PrinterMeta | undefined): string {
  return meta?.nickname || meta?.name || row.name || '';
}

/** Display order, then name, then id: the order the farm owner set on the printers page. */
function byDisplayOrder(meta: PrinterMetaById | undefined) {
  return (a: FleetRow, b: FleetRow): number => {
    const orderA = meta?.[String(a.printer_id)]?.displayOrder ?? Number.MAX_SAFE_INTEGER;
    const orderB = meta?.[String(b.printer_id)]?.displayOrder ?? Number.MAX_SAFE_INTEGER;
    if (orderA !== orderB) return orderA - orderB;
    return (
      collator.compare(nameOf(a, meta?.[String(a.printer_id)]), nameOf(b, meta?.[String(b.printer_id)])) || a.printer_id - b.printer_id
    );
  };
}

/** Printers without a running print go after those with one, in display order. */
function activeFirst(value: (row: FleetRow) => number | null, direction: 1 | -1, fallback: (a: FleetRow, b: FleetRow) => number) {
  return (a: FleetRow, b: FleetRow): number => {
    const valueA = hasActivePrint(a) ? value(a) : null;
    const valueB = hasActivePrint(b) ? value(b) : null;
    if (valueA === null && valueB === null) return fallback(a, b);
    if (valueA === null) return 1;
    if (valueB === null) return -1;
    return (valueA - valueB) * direction || fallback(a, b);
  };
}

export function comparator(sort: SortKey, meta: PrinterMetaById | undefined): (a: FleetRow, b: FleetRow) => number {
  const order = byDisplayOrder(meta);
  switch (sort) {
    case 'name':
      return (a, b) =>
        collator.compare(nameOf(a, meta?.[String(a.printer_id)]), nameOf(b, meta?.[String(b.printer_id)])) || a.printer_id - b.printer_id;
    case 'progress':
      // Whole percents: a card does not swap places with its neighbour over a tenth of a percent.
      return activeFirst((row) => (row.progress === null ? null : Math.floor(row.progress)), -1, order);
    case 'remaining':
      // Whole minutes, for the same reason: the countdown ticks every second on every printer.
      return activeFirst((row) => (row.remaining_seconds === null ? null : Math.ceil(row.remaining_seconds / 60)), 1, order);
    case 'order':
      return order;
  }
}

/** The ids of the cards to show, filtered and sorted. */
export function visiblePrinterIds(rows: readonly FleetRow[], meta: PrinterMetaById | undefined, filters: FleetFilters): number[] {
  const needle = filters.search.trim().toLocaleLowerCase();
  return rows
    .filter((row) => {
      const info = meta?.[String(row.printer_id)];
      if (filters.status && fleetBucket(row) !== filters.status) return false;
      if (filters.protocol && protocolOf(row, info) !== filters.protocol) return false;
      return matchesSearch(row, info, needle);
    })
    .sort(comparator(filters.sort, meta))
    .map((row) => row.printer_id);
}

/** The protocols present in the fleet, for the protocol filter (only those that exist). */
export function protocolsInFleet(rows: readonly FleetRow[], meta: PrinterMetaById | undefined): string[] {
  const found = new Set<string>();
  for (const row of rows) {
    const protocol = protocolOf(row, meta?.[String(row.printer_id)]);
    if (protocol) found.add(protocol);
  }
  return [...found].sort();
}

/** Printers that an emergency stop acts on: every print that has started and not ended. */
export function printersToStop(rows: readonly FleetRow[]): number[] {
  return rows.filter(hasActivePrint).map((row) => row.printer_id);
}

export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
