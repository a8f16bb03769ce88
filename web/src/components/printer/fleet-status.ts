/**
 * How a printer's live state reads to a person: which of the five fleet groups it belongs to, and
 * which problems it has right now. Pure functions, shared by the dashboard, TV mode and any page
 * that shows printers.
 */

/** The groups the fleet counters show; every printer is in exactly one. */
export const FLEET_BUCKETS = ['printing', 'paused', 'error', 'idle', 'offline'] as const;
export type FleetBucket = (typeof FLEET_BUCKETS)[number];
export type FleetCounts = Record<FleetBucket, number> & { total: number };

/** The live fields these functions read (the live store's entries and /api/printers rows both fit). */
export interface StatusFields {
  status: string;
  online: boolean;
  error_message?: string | null;
  hms_errors?: ReadonlyArray<{ code: string; severity: string; message: string }> | null;
}

const ACTIVE = new Set(['printing', 'paused', 'preparing']);
/** Health messages that stop a farm: the printer will not go on without someone walking over. */
const BLOCKING_SEVERITIES = new Set(['fatal', 'serious']);

export function isFleetBucket(value: string | null | undefined): value is FleetBucket {
  return (FLEET_BUCKETS as readonly string[]).includes(value ?? '');
}

/** A print has started and not ended (these are what "stop" and "emergency stop all" act on). */
export function hasActivePrint(printer: Pick<StatusFields, 'status' | 'online'>): boolean {
  return printer.online && ACTIVE.has(printer.status);
}

/** The status to show: a printer we cannot reach is offline whatever it said last. */
export function shownStatus(printer: Pick<StatusFields, 'status' | 'online'>): string {
  return printer.online ? printer.status : 'offline';
}

export function hasBlockingProblem(printer: StatusFields): boolean {
  return (printer.hms_errors ?? []).some((problem) => BLOCKING_SEVERITIES.has(problem.severity));
}

/**
 * Offline first (nothing else is known), then error — the printer's own error state, or a fatal or
 * serious health message such as a filament run-out, because those need a person even while the
 * printer still calls itself idle or paused — then paused, printing (preparing counts: the job
 * has started), and idle for the rest (idle, finished, cancelled).
 */
export function fleetBucket(printer: StatusFields): FleetBucket {
  if (!printer.online || printer.status === 'offline') return 'offline';
  if (printer.status === 'error' || hasBlockingProblem(printer)) return 'error';
  if (printer.status === 'paused') return 'paused';
  if (printer.status === 'printing' || printer.status === 'preparing') return 'printing';
  return 'idle';
}

export function countFleet(printers: readonly StatusFields[]): FleetCounts {
  const counts: FleetCounts = { printing: 0, paused: 0, error: 0, idle: 0, offline: 0, total: printers.length };
  for (const printer of printers) counts[fleetBucket(printer)] += 1;
  return counts;
}

export function sameCounts(a: FleetCounts, b: FleetCounts): boolean {
  return a.total === b.total && FLEET_BUCKETS.every((bucket) => a[bucket] === b[bucket]);
}

export interface PrinterProblem {
  /** Stable key for lists: the HMS code, or "error" for the printer's own message. */
  key: string;
  message: string;
  severity: 'fatal' | 'serious' | 'common' | 'info' | 'error';
}

const SEVERITY_ORDER: Record<PrinterProblem['severity'], number> = { fatal: 0, error: 1, serious: 2, common: 3, info: 4 };

/** The active problems in words, worst first; the printer's own error text is not repeated when an HMS message says the same. */
export function activeProblems(printer: StatusFields): PrinterProblem[] {
  const problems: PrinterProblem[] = [];
  for (const hms of printer.hms_errors ?? []) {
    const severity = hms.severity in SEVERITY_ORDER ? (hms.severity as PrinterProblem['severity']) : 'common';
    problems.push({ key: hms.code, message: hms.message || hms.code, severity });
  }
  const own = printer.error_message?.trim();
  if (own && printer.online && !problems.some((problem) => problem.message === own))
    problems.push({ key: 'error', message: own, severity: 'error' });
  return problems.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
