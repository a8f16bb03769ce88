/**
 * Bambu LAN MQTT messages (protocols.md §1.2–1.3): what arrives on `device/{serial}/report`, the
 * total parser for it, the deep-merge of `print` reports into the cached report, and the
 * get_version reply. Every field is optional on the wire; many numbers arrive as strings.
 *
 * The cache is the printer's `print` object as it would look after a full report: a `msg:0` (or a
 * report without `msg` that carries `gcode_state`, as some models send) replaces it, anything else
 * is deep-merged. Known fields of the wrong type (`"gcode_state":42`, `"ams":"none"`) are dropped
 * and reported, so one malformed frame can never flip the state.
 */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number, or a string that is one ("15", "0.4", "-1"); anything else is null. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
    const parsed = Number(trimmed);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function int(value: unknown): number | null {
  const n = num(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A string or number as text (ids are sent either way). */
export function idText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

// ── Field kinds ─────────────────────────────────────────────────────────────────────────────

type Kind = 'string' | 'numeric' | 'id' | 'object' | 'array' | 'boolean';

/** Top-level `print` fields this driver reads, with the type they must have to be merged. */
const PRINT_FIELDS: Readonly<Record<string, Kind>> = {
  gcode_state: 'string',
  subtask_name: 'string',
  gcode_file: 'string',
  nozzle_type: 'string',
  task_id: 'id',
  nozzle_temper: 'numeric',
  nozzle_target_temper: 'numeric',
  bed_temper: 'numeric',
  bed_target_temper: 'numeric',
  chamber_temper: 'numeric',
  mc_percent: 'numeric',
  mc_remaining_time: 'numeric',
  mc_print_stage: 'numeric',
  layer_num: 'numeric',
  total_layer_num: 'numeric',
  print_error: 'numeric',
  stg_cur: 'numeric',
  spd_mag: 'numeric',
  spd_lvl: 'numeric',
  cooling_fan_speed: 'numeric',
  nozzle_diameter: 'numeric',
  gcode_start_time: 'numeric',
  msg: 'numeric',
  hms: 'array',
  lights_report: 'array',
  vir_slot: 'array',
  ams: 'object',
  vt_tray: 'object',
  ipcam: 'object',
  device: 'object',
};

const AMS_FIELDS: Readonly<Record<string, Kind>> = {
  ams: 'array',
  tray_now: 'numeric',
};

const UNIT_FIELDS: Readonly<Record<string, Kind>> = {
  id: 'numeric',
  humidity: 'numeric',
  humidity_raw: 'numeric',
  temp: 'numeric',
  tray: 'array',
};

const TRAY_FIELDS: Readonly<Record<string, Kind>> = {
  id: 'numeric',
  tray_type: 'string',
  tray_color: 'string',
  remain: 'numeric',
  tag_uid: 'string',
  tray_uuid: 'string',
  tray_info_idx: 'string',
};

function fits(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'numeric':
      return num(value) !== null;
    case 'id':
      return idText(value) !== null;
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

// ── Parsing a payload ───────────────────────────────────────────────────────────────────────

export type ParsedPayload = { ok: true; message: Json } | { ok: false; reason: string };

/** One MQTT payload as a JSON object, or why it is not one. */
export function parsePayload(payload: Buffer | string): ParsedPayload {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  if (text.trim() === '') return { ok: false, reason: 'empty payload' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isRecord(parsed)) return { ok: false, reason: `not a JSON object (${Array.isArray(parsed) ? 'array' : typeof parsed})` };
  return { ok: true, message: parsed };
}

/** A `print` body that is a status report (push_status, or no command at all). */
export function isReport(body: Json): boolean {
  const command = body['command'];
  return command === undefined || command === 'push_status';
}

/** True when a report replaces the cache rather than being merged into it. */
export function isFullReport(body: Json): boolean {
  const msg = body['msg'];
  if (msg !== undefined) return num(msg) === 0;
  return false;
}

// ── Merging ─────────────────────────────────────────────────────────────────────────────────

/**
 * Merges a report into the cache (in place) and returns the dotted paths of fields it dropped
 * because they had the wrong type. The cache takes ownership of objects in `delta`.
 *
 * - objects are merged field by field, arrays and scalars replaced;
 * - `ams.ams` units are merged by `id`, and their `tray` arrays by `id`: a tray object with only
 *   `id` (or `id` and `state`) is an empty slot and replaces what was there;
 * - `vir_slot` entries are merged by `id` the same way.
 */
export function mergeReport(cache: Json, delta: Json): string[] {
  const rejected: string[] = [];
  for (const [key, value] of Object.entries(delta)) {
    const kind = PRINT_FIELDS[key];
    if (kind && !fits(kind, value)) {
      rejected.push(key);
      continue;
    }
    if (key === 'ams' && isRecord(value)) {
      cache[key] = mergeAms(cache[key], value, rejected);
    } else if (key === 'vir_slot' && Array.isArray(value)) {
      cache[key] = mergeTrays(Array.isArray(cache[key]) ? cache[key] : [], value, 'vir_slot', rejected);
    } else if (key === 'vt_tray' && isRecord(value)) {
      const tray = cleanTray(value, 'vt_tray', rejected);
      const current = cache[key];
      cache[key] =
        isRecord(current) && !isEmptyTrayObject(value) && idText(current['id']) === idText(tray['id']) ? deepMerge(current, tray) : tray;
    } else {
      const current = cache[key];
      cache[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
    }
  }
  return rejected;
}

/** Plain deep merge: objects field by field, everything else replaced. */
export function deepMerge(target: Json, delta: Json): Json {
  for (const [key, value] of Object.entries(delta)) {
    const current = target[key];
    target[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
  }
  return target;
}

function mergeAms(current: unknown, delta: Json, rejected: string[]): Json {
  const target: Json = isRecord(current) ? current : {};
  for (const [key, value] of Object.entries(delta)) {
    const kind = AMS_FIELDS[key];
    if (kind && !fits(kind, value)) {
      rejected.push(`ams.${key}`);
      continue;
    }
    if (key === 'ams' && Array.isArray(value)) {
      target[key] = mergeUnits(Array.isArray(target[key]) ? target[key] : [], value, rejected);
    } else {
      const cur = target[key];
      target[key] = isRecord(cur) && isRecord(value) ? deepMerge(cur, value) : value;
    }
  }
  return target;
}

function mergeUnits(current: unknown[], delta: unknown[], rejected: string[]): unknown[] {
  const units = current.filter(isRecord);
  for (const [index, raw] of delta.entries()) {
    if (!isRecord(raw)) {
      rejected.push(`ams.ams[${index}]`);
      continue;
    }
    const unit: Json = {};
    for (const [key, value] of Object.entries(raw)) {
      const kind = UNIT_FIELDS[key];
      if (kind && !fits(kind, value)) rejected.push(`ams.ams[${index}].${key}`);
      else unit[key] = value;
    }
    const id = int(unit['id']);
    if (id === null) {
      if (!rejected.includes(`ams.ams[${index}].id`)) rejected.push(`ams.ams[${index}].id`);
      continue;
    }
    const existing = units.find((u) => int(u['id']) === id);
    if (!existing) {
      if (Array.isArray(unit['tray'])) unit['tray'] = mergeTrays([], unit['tray'], `ams.ams[${index}].tray`, rejected);
      units.push(unit);
      continue;
    }
    for (const [key, value] of Object.entries(unit)) {
      if (key === 'tray' && Array.isArray(value)) {
        existing[key] = mergeTrays(Array.isArray(existing[key]) ? existing[key] : [], value, `ams.ams[${index}].tray`, rejected);
      } else {
        const cur = existing[key];
        existing[key] = isRecord(cur) && isRecord(value) ? deepMerge(cur, value) : value;
      }
    }
  }
  return units;
}

/** A tray with its wrongly typed fields removed (their paths added to `rejected`). */
function cleanTray(raw: Json, path: string, rejected: string[]): Json {
  const tray: Json = {};
  for (const [key, value] of Object.entries(raw)) {
    const kind = TRAY_FIELDS[key];
    if (kind && !fits(kind, value)) rejected.push(`${path}.${key}`);
    else tray[key] = value;
  }
  return tray;
}

function mergeTrays(current: unknown[], delta: unknown[], path: string, rejected: string[]): unknown[] {
  const trays = current.filter(isRecord);
  for (const [index, raw] of delta.entries()) {
    if (!isRecord(raw)) {
      rejected.push(`${path}[${index}]`);
      continue;
    }
    const tray = cleanTray(raw, `${path}[${index}]`, rejected);
    const id = int(tray['id']);
    if (id === null) {
      if (!rejected.includes(`${path}[${index}].id`)) rejected.push(`${path}[${index}].id`);
      continue;
    }
    // Judge emptiness on what was sent: a tray whose bad fields were dropped is not an empty slot.
    const empty = isEmptyTrayObject(raw);
    const at = trays.findIndex((t) => int(t['id']) === id);
    if (at < 0) trays.push(tray);
    else if (empty) trays[at] = tray;
    else trays[at] = deepMerge(trays[at] ?? {}, tray);
  }
  return trays;
}

/** `{"id":"1"}` or `{"id":"1","state":0}`: the printer's way of saying the slot is empty. */
export function isEmptyTrayObject(tray: Json): boolean {
  return Object.keys(tray).every((key) => key === 'id' || key === 'state');
}

// ── get_version ─────────────────────────────────────────────────────────────────────────────

export type BambuFamily = 'X1' | 'P1' | 'A1' | 'H2' | 'X2' | 'P2';

export interface BambuVersion {
  /** Short model name ("X1C", "P1S", "A1MINI", "H2D"…), or null when not recognised. */
  model: string | null;
  family: BambuFamily | null;
  /** The "ota" module's product_name ("Bambu Lab X1-Carbon"), or null. */
  productName: string | null;
  /** The "ota" module's project_name (P1/A1 firmware: "C11", "N2S"…), or null. */
  projectName: string | null;
  /** Printer firmware (the "ota" module's sw_ver). */
  firmware: string | null;
  /** The "ota" module's serial, as the printer reports it. */
  serial: string | null;
  /** Names of the modules (ams/0, n3s/128, ahb…). */
  modules: string[];
}

const PRODUCT_PATTERNS: readonly [RegExp, string, BambuFamily][] = [
  [/\bX1E\b/i, 'X1E', 'X1'],
  [/X1[- ]?Carbon|\bX1C\b/i, 'X1C', 'X1'],
  [/\bX1\b/i, 'X1', 'X1'],
  [/\bP1P\b/i, 'P1P', 'P1'],
  [/\bP1S\b/i, 'P1S', 'P1'],
  [/\bP2S\b/i, 'P2S', 'P2'],
  [/\bA1[- ]?mini\b/i, 'A1MINI', 'A1'],
  [/\bA1\b/i, 'A1', 'A1'],
  [/\bH2D\b/i, 'H2D', 'H2'],
  [/\bH2S\b/i, 'H2S', 'H2'],
  [/\bH2C\b/i, 'H2C', 'H2'],
  [/\bX2D\b/i, 'X2D', 'X2'],
];

/** Model codes the P1/A1 firmware reports as `project_name` (and SSDP as DevModel). */
const PROJECT_CODES: Readonly<Record<string, [string, BambuFamily]>> = {
  'BL-P001': ['X1C', 'X1'],
  C11: ['P1P', 'P1'],
  C12: ['P1S', 'P1'],
  C13: ['X1E', 'X1'],
  N1: ['A1MINI', 'A1'],
  N2S: ['A1', 'A1'],
  O1D: ['H2D', 'H2'],
  O1C: ['H2C', 'H2'],
  O1C2: ['H2C', 'H2'],
};

/** Recognises the model from the product name first, then the project code. */
export function identifyModel(productName: string | null, projectName: string | null): { model: string; family: BambuFamily } | null {
  if (productName) {
    for (const [pattern, model, family] of PRODUCT_PATTERNS) if (pattern.test(productName)) return { model, family };
  }
  if (projectName) {
    const known = PROJECT_CODES[projectName.trim().toUpperCase()];
    if (known) return { model: known[0], family: known[1] };
  }
  return null;
}

/** The `info` body of a get_version reply, or null when it is not one. */
export function parseVersion(info: Json): BambuVersion | null {
  if (info['command'] !== 'get_version' || !Array.isArray(info['module'])) return null;
  const modules = info['module'].filter(isRecord);
  const ota = modules.find((m) => m['name'] === 'ota');
  const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const productName = nonEmpty(ota?.['product_name']);
  const projectName = nonEmpty(ota?.['project_name']);
  const identified = identifyModel(productName, projectName);
  return {
    model: identified?.model ?? null,
    family: identified?.family ?? null,
    productName,
    projectName,
    firmware: nonEmpty(ota?.['sw_ver']),
    serial: nonEmpty(ota?.['sn']),
    modules: modules.map((m) => str(m['name'])).filter((n): n is string => n !== null),
  };
}

/** Families whose firmware takes `file:///sdcard/<name>` in project_file; the newer ones take `ftp:///<name>`. */
export function usesSdcardUrl(version: BambuVersion | null): boolean {
  if (!version) return true;
  return version.family === 'X1' || version.family === 'P1' || version.family === 'A1';
}

/** Families with a chamber temperature sensor; P1/A1 report a constant placeholder (5). */
export function hasChamberSensor(version: BambuVersion | null): boolean {
  return version?.family !== 'P1' && version?.family !== 'A1';
}
