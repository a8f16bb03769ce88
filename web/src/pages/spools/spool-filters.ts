import type { Spool, SpoolQuery } from '@/components/inventory/inventory-queries';

/**
 * The spools page's filters as the URL keeps them (`/spools?status=empty&material=PLA&q=red&location=printer`)
 * and what GET /api/spools is asked for them. "stock" (no status in the URL) is the server's default:
 * active and empty spools, archived ones hidden. Where a spool is (in a printer, in storage) is
 * filtered here: the server only filters "in storage".
 */
export const STATUS_FILTERS = ['stock', 'active', 'empty', 'archived', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const LOCATION_FILTERS = ['any', 'printer', 'storage'] as const;
export type LocationFilter = (typeof LOCATION_FILTERS)[number];

export interface SpoolFilters {
  status: StatusFilter;
  /** One filament of the library (the filaments page links here with it). */
  filamentId: number | null;
  material: string | null;
  search: string;
  location: LocationFilter;
}

export const NO_FILTERS: SpoolFilters = { status: 'stock', filamentId: null, material: null, search: '', location: 'any' };

const MATERIAL = /^[A-Za-z0-9+\-_ .]{1,32}$/;

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function filtersFromSearch(params: URLSearchParams): SpoolFilters {
  const material = params.get('material');
  const filament = Number(params.get('filament'));
  return {
    status: oneOf(STATUS_FILTERS, params.get('status'), 'stock'),
    filamentId: Number.isInteger(filament) && filament > 0 ? filament : null,
    material: material && MATERIAL.test(material) ? material.toUpperCase() : null,
    search: (params.get('q') ?? '').slice(0, 100),
    location: oneOf(LOCATION_FILTERS, params.get('location'), 'any'),
  };
}

/** The filters written into `params` (other parameters, such as the open spool, stay). */
export function filtersToSearch(filters: SpoolFilters, params = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of ['status', 'filament', 'material', 'q', 'location']) next.delete(key);
  if (filters.status !== 'stock') next.set('status', filters.status);
  if (filters.filamentId !== null) next.set('filament', String(filters.filamentId));
  if (filters.material) next.set('material', filters.material);
  if (filters.search.trim()) next.set('q', filters.search);
  if (filters.location !== 'any') next.set('location', filters.location);
  return next;
}

export function hasFilters(filters: SpoolFilters): boolean {
  return (
    filters.status !== 'stock' ||
    filters.filamentId !== null ||
    filters.material !== null ||
    filters.search.trim() !== '' ||
    filters.location !== 'any'
  );
}

/** GET /api/spools parameters for the filters. */
export function spoolQuery(filters: SpoolFilters): SpoolQuery {
  const query: SpoolQuery = {};
  if (filters.status !== 'stock') query.status = filters.status;
  if (filters.filamentId !== null) query.filament_id = filters.filamentId;
  if (filters.material) query.material = filters.material;
  const search = filters.search.trim();
  if (search) query.search = search;
  if (filters.location === 'storage') query.in_storage = true;
  return query;
}

/** What the server cannot filter: spools in a printer. */
export function byLocation(spools: Spool[], location: LocationFilter): Spool[] {
  if (location === 'printer') return spools.filter((spool) => spool.location_printer_id !== null);
  if (location === 'storage') return spools.filter((spool) => spool.location_printer_id === null);
  return spools;
}

export type ViewMode = 'table' | 'grid';
const VIEW_KEY = 'odin.spools.view';

/** The table or the swatch grid, as the user last chose it on this device. */
export function savedView(): ViewMode {
  try {
    return localStorage.getItem(VIEW_KEY) === 'grid' ? 'grid' : 'table';
  } catch {
    return 'table';
  }
}

export function saveView(view: ViewMode): void {
  try {
    localStorage.setItem(VIEW_KEY, view);
  } catch {
    // not remembered; still applied for this visit
  }
}
