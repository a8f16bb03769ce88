/**
 * The print history's filters as the URL keeps them (`/history?printer=3&status=failed&from=…`), and
 * the query parameters GET /api/print-jobs and /api/print-jobs/stats take for them. Dates are days
 * in the user's time zone: "from 1 March" starts at local midnight, "to 3 March" ends at its last
 * millisecond, sent as UTC instants.
 */
export const JOB_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const PAGE_SIZE = 25;

export interface HistoryFilters {
  printerId: number | null;
  status: JobStatus | null;
  /** yyyy-mm-dd, local. */
  from: string | null;
  to: string | null;
  /** 1-based. */
  page: number;
}

export const NO_FILTERS: HistoryFilters = { printerId: null, status: null, from: null, to: null, page: 1 };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A yyyy-mm-dd day as a local Date, or null for anything else (including 2025-02-30). */
export function parseDay(text: string | null | undefined): Date | null {
  const match = text ? DAY.exec(text) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

export function dayStart(text: string): string | undefined {
  return parseDay(text)?.toISOString();
}

export function dayEnd(text: string): string | undefined {
  const date = parseDay(text);
  if (!date) return undefined;
  date.setDate(date.getDate() + 1);
  return new Date(date.getTime() - 1).toISOString();
}

function isStatus(value: string | null): value is JobStatus {
  return value !== null && (JOB_STATUSES as readonly string[]).includes(value);
}

export function filtersFromSearch(params: URLSearchParams): HistoryFilters {
  const printer = Number(params.get('printer'));
  const page = Number(params.get('page'));
  const status = params.get('status');
  return {
    printerId: Number.isInteger(printer) && printer > 0 ? printer : null,
    status: isStatus(status) ? status : null,
    from: parseDay(params.get('from')) ? params.get('from') : null,
    to: parseDay(params.get('to')) ? params.get('to') : null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function filtersToSearch(filters: HistoryFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.printerId !== null) params.set('printer', String(filters.printerId));
  if (filters.status) params.set('status', filters.status);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params;
}

/** Changing a filter goes back to the first page (page 4 of the old result means nothing). */
export function withFilter(filters: HistoryFilters, patch: Partial<Omit<HistoryFilters, 'page'>>): HistoryFilters {
  return { ...filters, ...patch, page: 1 };
}

export interface StatsQuery {
  printer_id?: number;
  status?: JobStatus;
  since?: string;
  until?: string;
}
export interface ListQuery extends StatsQuery {
  limit: number;
  offset: number;
}

export function statsQuery(filters: Omit<HistoryFilters, 'page'>): StatsQuery {
  const query: StatsQuery = {};
  if (filters.printerId !== null) query.printer_id = filters.printerId;
  if (filters.status) query.status = filters.status;
  // A range typed backwards ("from" after "to") still means the days between them.
  let [from, to] = [filters.from, filters.to];
  if (from && to && from > to) [from, to] = [to, from];
  const since = from ? dayStart(from) : undefined;
  const until = to ? dayEnd(to) : undefined;
  if (since) query.since = since;
  if (until) query.until = until;
  return query;
}

/**
 * The list query for a page. One row more than a page is asked for: the API returns no total, and
 * the extra row says whether there is a next page.
 */
export function listQuery(filters: HistoryFilters, pageSize = PAGE_SIZE): ListQuery {
  return { ...statsQuery(filters), limit: pageSize + 1, offset: (filters.page - 1) * pageSize };
}

export function hasFilters(filters: HistoryFilters): boolean {
  return filters.printerId !== null || filters.status !== null || filters.from !== null || filters.to !== null;
}
