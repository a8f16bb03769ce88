import { type Static, type TSchema, Type } from 'typebox';

/**
 * The normalised live state of one printer, whatever its protocol. Drivers translate their
 * protocol into patches of this shape; the supervisor merges them and publishes deltas.
 * Field names follow the API (snake_case, the original ODIN's printer columns where they exist).
 *
 * Declared once, as a schema: the TypeScript types below, the OpenAPI document (live-status, the
 * printer's `live`, the `/ws` messages) and through it the web app's types all derive from it.
 */
export const PRINTER_STATUSES = ['idle', 'preparing', 'printing', 'paused', 'finished', 'cancelled', 'error', 'offline'] as const;
export const PrinterStatusSchema = Type.Enum(PRINTER_STATUSES);
export type PrinterStatus = Static<typeof PrinterStatusSchema>;

export const HMS_SEVERITIES = ['fatal', 'serious', 'common', 'info'] as const;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** One filament tray of a multi-material unit (Bambu AMS, Elegoo Canvas). */
export const AmsTraySchema = Type.Object({
  slot: Type.Integer({ description: 'Slot within the unit, 0-based as the printer numbers it.' }),
  tray_id: Type.Integer({ description: 'Absolute tray number the printer uses (Bambu: unit*4 + slot; 254 = external spool).' }),
  empty: Type.Boolean(),
  type: Nullable(Type.String({ description: '"PLA", "PETG-CF"… or null when unknown.' })),
  color: Nullable(
    Type.String({ description: 'Colour as the printer reports it: Bambu "RRGGBBAA" (kept with its alpha), else "#RRGGBB".' }),
  ),
  remain: Nullable(Type.Number({ description: 'Percent left, or null when the printer does not know (non-RFID spool).' })),
  tag_uid: Nullable(Type.String()),
  tray_uuid: Nullable(Type.String()),
  filament_id: Nullable(Type.String({ description: 'The vendor\'s filament preset id (Bambu tray_info_idx, e.g. "GFA00").' })),
});
export type AmsTray = Static<typeof AmsTraySchema>;

export const AmsUnitSchema = Type.Object({
  id: Type.Integer(),
  humidity: Nullable(Type.Number({ description: 'Relative humidity in percent when known, else null.' })),
  humidity_index: Nullable(Type.Integer({ description: "Bambu's 1 (wet) … 5 (dry) humidity index, when that is all the unit reports." })),
  temperature: Nullable(Type.Number()),
  trays: Type.Array(AmsTraySchema),
});
export type AmsUnit = Static<typeof AmsUnitSchema>;

/** An active health (HMS) message: a code the printer raised, decoded into words where known. */
export const HmsErrorSchema = Type.Object({
  code: Type.String({ description: '"0300_0100_0001_0007" (Bambu HMS) or a protocol\'s own code.' }),
  severity: Type.Enum(HMS_SEVERITIES),
  message: Type.String(),
});
export type HmsError = Static<typeof HmsErrorSchema>;

export const PrinterStateSchema = Type.Object({
  status: PrinterStatusSchema,
  online: Type.Boolean({ description: 'True while a live session with the printer is up.' }),
  stage: Nullable(Type.String({ description: 'Protocol-level sub-state in words (e.g. "heating", "Klipper shutdown").' })),
  nozzle_temp: Nullable(Type.Number()),
  nozzle_target_temp: Nullable(Type.Number()),
  bed_temp: Nullable(Type.Number()),
  bed_target_temp: Nullable(Type.Number()),
  chamber_temp: Nullable(Type.Number()),
  progress: Nullable(Type.Number({ description: 'Percent, 0–100.' })),
  elapsed_seconds: Nullable(Type.Number()),
  remaining_seconds: Nullable(Type.Number()),
  current_layer: Nullable(Type.Integer()),
  total_layers: Nullable(Type.Integer()),
  file_name: Nullable(Type.String()),
  job_id: Nullable(Type.String({ description: "The printer's own id for the current job (PrusaLink job id, Bambu task id)." })),
  fan_speed: Nullable(Type.Number({ description: 'Part-cooling fan, percent 0–100.' })),
  speed_factor: Nullable(Type.Number({ description: 'Speed override, percent (100 = normal).' })),
  lights_on: Nullable(Type.Boolean()),
  error_code: Nullable(Type.String()),
  error_message: Nullable(Type.String()),
  ams: Nullable(Type.Array(AmsUnitSchema, { description: 'Multi-material units with their trays (null when the printer has none).' })),
  external_tray: Nullable(AmsTraySchema),
  hms_errors: Type.Array(HmsErrorSchema),
  speed_level: Nullable(
    Type.String({ description: 'Speed preset in words ("silent", "standard", "sport", "ludicrous") where the protocol has presets.' }),
  ),
  nozzle_type: Nullable(Type.String()),
  nozzle_diameter: Nullable(Type.Number()),
});
export type PrinterState = Static<typeof PrinterStateSchema>;

/** Only the fields that changed (driver patches, bus events, `/ws` deltas). */
export const PrinterStatePatchSchema = Type.Partial(PrinterStateSchema);
export type PrinterStatePatch = Static<typeof PrinterStatePatchSchema>;

export function isPrinterStatus(value: unknown): value is PrinterStatus {
  return (PRINTER_STATUSES as readonly unknown[]).includes(value);
}

/** The state of a printer nothing has been heard from: offline, every reading unknown. */
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
    ams: null,
    external_tray: null,
    hms_errors: [],
    speed_level: null,
    nozzle_type: null,
    nozzle_diameter: null,
  };
}

/** The fields of `next` that differ from `previous` (by value; arrays and objects by content), or null. */
export function diffState(previous: PrinterState, next: PrinterStatePatch): PrinterStatePatch | null {
  let changed: PrinterStatePatch | null = null;
  // for-in, not Object.keys: this runs twice for every message of every printer.
  for (const field in next) {
    const key = field as keyof PrinterState;
    const value = next[key];
    if (value === undefined || sameValue(previous[key], value)) continue;
    changed ??= {};
    (changed as Record<string, unknown>)[key] = value;
  }
  return changed;
}

/**
 * What a driver session emits for a freshly normalised state: the fields that changed since the
 * state it emitted last (null when nothing did), and that last state brought up to date.
 *
 * The emitted state is kept as ONE object per session and updated in place rather than replaced by
 * every normalised state. Replaced, each of those objects (with its AMS and HMS arrays) lived a
 * second, until the printer's next message, which is long enough to be promoted to V8's old
 * generation before it died: with a thousand printers reporting every second that was megabytes a
 * second of old-generation garbage, and the heap grew by tens of MB between major GCs. Now `next`
 * dies young, and only the changed values are kept.
 */
export function foldState(last: PrinterState | null, next: PrinterState): { state: PrinterState; patch: PrinterStatePatch | null } {
  if (last === null) return { state: next, patch: { ...next } };
  const patch = diffState(last, next);
  if (patch) Object.assign(last, patch);
  return { state: last, patch };
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

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return sameJson(a, b);
}

/**
 * Deep equality of JSON-like values (AMS units, trays, HMS lists) without allocating: this runs for
 * every message of every printer, and comparing two JSON.stringify results made two strings per
 * field per message for the garbage collector. As with JSON, an undefined property is the same as
 * a missing one; unlike it, key order does not matter.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    if (!sameJson(x[key], Object.hasOwn(y, key) ? y[key] : undefined)) return false;
  }
  for (const key in y) {
    if (Object.hasOwn(y, key) && !Object.hasOwn(x, key) && y[key] !== undefined) return false;
  }
  return true;
}
