/**
 * The normalised live state of one printer, whatever its protocol. Drivers translate their
 * protocol into patches of this shape; the supervisor merges them and publishes deltas.
 * Field names follow the API (snake_case, the original ODIN's printer columns where they exist).
 */
export const PRINTER_STATUSES = ['idle', 'preparing', 'printing', 'paused', 'finished', 'cancelled', 'error', 'offline'] as const;
export type PrinterStatus = (typeof PRINTER_STATUSES)[number];

export interface PrinterState {
  status: PrinterStatus;
  /** True while a live session with the printer is up. */
  online: boolean;
  /** Protocol-level sub-state in words (e.g. "heating", "Klipper shutdown"), or null. */
  stage: string | null;
  nozzle_temp: number | null;
  nozzle_target_temp: number | null;
  bed_temp: number | null;
  bed_target_temp: number | null;
  chamber_temp: number | null;
  /** Percent, 0–100. */
  progress: number | null;
  elapsed_seconds: number | null;
  remaining_seconds: number | null;
  current_layer: number | null;
  total_layers: number | null;
  file_name: string | null;
  /** The printer's own id for the current job (PrusaLink job id, Bambu task id), when it has one. */
  job_id: string | null;
  /** Part-cooling fan, percent 0–100. */
  fan_speed: number | null;
  /** Speed override, percent (100 = normal). */
  speed_factor: number | null;
  lights_on: boolean | null;
  error_code: string | null;
  error_message: string | null;
}

export type PrinterStatePatch = Partial<PrinterState>;

export function offlineState(): PrinterState {
  return {
    status: 'offline',
    online: false,
    stage: null,
    nozzle_temp: null,
    nozzle_target_temp: null,
    bed_temp: null,
    bed_target_temp: null,
    chamber_temp: null,
    progress: null,
    elapsed_seconds: null,
    remaining_seconds: null,
    current_layer: null,
    total_layers: null,
    file_name: null,
    job_id: null,
    fan_speed: null,
    speed_factor: null,
    lights_on: null,
    error_code: null,
    error_message: null,
  };
}

/** The fields of `next` that differ from `previous` (by value), or null when nothing changed. */
export function diffState(previous: PrinterState, next: PrinterStatePatch): PrinterStatePatch | null {
  let changed: PrinterStatePatch | null = null;
  for (const key of Object.keys(next) as (keyof PrinterState)[]) {
    const value = next[key];
    if (value === undefined || Object.is(previous[key], value)) continue;
    changed ??= {};
    (changed as Record<string, unknown>)[key] = value;
  }
  return changed;
}

/** Statuses in which a print is under way (it started and has not ended). */
export function isActiveStatus(status: PrinterStatus): boolean {
  return status === 'preparing' || status === 'printing' || status === 'paused';
}

/** Rounds a temperature to 0.1 °C so sensor noise below that does not count as a change. */
export function roundTemp(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 10) / 10 : null;
}

export function clampPercent(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
}
