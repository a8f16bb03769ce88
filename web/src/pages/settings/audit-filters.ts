/** The audit log's filters as the form holds them, and as the list and the CSV export send them. */
export interface AuditFilters {
  action: string;
  entityType: string;
  userId: string;
  search: string;
  /** Local calendar days (YYYY-MM-DD) from the date inputs; empty when open-ended. */
  since: string;
  until: string;
}

export const NO_FILTERS: AuditFilters = { action: '', entityType: '', userId: '', search: '', since: '', until: '' };

export interface AuditQuery {
  action?: string;
  entity_type?: string;
  user_id?: number;
  search?: string;
  since?: string;
  until?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date range means whole days where the user is: "until 3 May" includes the evening of 3 May
 * in their time zone, so the bounds are local midnight and the last millisecond of the day, in UTC.
 */
export function toAuditQuery(filters: AuditFilters): AuditQuery {
  const query: AuditQuery = {};
  if (filters.action.trim()) query.action = filters.action.trim();
  if (filters.entityType) query.entity_type = filters.entityType;
  const userId = Number(filters.userId);
  if (filters.userId && Number.isInteger(userId) && userId > 0) query.user_id = userId;
  if (filters.search.trim()) query.search = filters.search.trim();
  if (DAY.test(filters.since)) query.since = new Date(`${filters.since}T00:00:00`).toISOString();
  if (DAY.test(filters.until)) query.until = new Date(`${filters.until}T23:59:59.999`).toISOString();
  return query;
}

export function toSearchParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  return params;
}

export function rangeIsBackwards(filters: AuditFilters): boolean {
  return DAY.test(filters.since) && DAY.test(filters.until) && filters.since > filters.until;
}

/** The file name the server suggests (Content-Disposition), or a dated fallback. */
export function fileNameFrom(disposition: string | null, today = new Date()): string {
  const match = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return match?.[1] ?? `odin-audit-log-${today.toISOString().slice(0, 10)}.csv`;
}
