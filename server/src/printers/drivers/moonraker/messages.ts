/**
 * Moonraker's wire shapes, as far as the driver uses them (fixtures: simulators/fixtures/moonraker).
 * HTTP replies are `{"result": …}` or `{"error": {"code", "message"}}`; JSON-RPC frames are
 * JSON-RPC 2.0. Everything arriving is `unknown` until one of the guards below accepts it.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- JSON-RPC ------------------------------------------------------------------------------

export interface RpcErrorBody {
  code: number;
  message: string;
}

export type RpcIncoming =
  | { kind: 'response'; id: number; result: unknown }
  | { kind: 'error'; id: number | null; error: RpcErrorBody }
  | { kind: 'notification'; method: string; params: unknown[] };

/** Classifies a parsed frame; null when it is not a JSON-RPC 2.0 frame we can use. */
export function parseRpcFrame(frame: unknown): RpcIncoming | null {
  if (!isRecord(frame) || frame['jsonrpc'] !== '2.0') return null;
  const method = frame['method'];
  if (typeof method === 'string') {
    const params = frame['params'];
    if (params !== undefined && !Array.isArray(params)) return null;
    return { kind: 'notification', method, params: params ?? [] };
  }
  const id = frame['id'];
  if ('error' in frame) {
    const error = frame['error'];
    if (!isRecord(error)) return null;
    const code = typeof error['code'] === 'number' ? error['code'] : 0;
    const message = typeof error['message'] === 'string' ? error['message'] : 'unknown error';
    return { kind: 'error', id: typeof id === 'number' ? id : null, error: { code, message } };
  }
  if (typeof id !== 'number' || !('result' in frame)) return null;
  return { kind: 'response', id, result: frame['result'] };
}

// ---- server.info / printer.info ---------------------------------------------------------------

/** Klippy's state as `server.info` reports it. */
export type KlippyState = 'ready' | 'startup' | 'shutdown' | 'error' | 'disconnected';

export interface ServerInfo {
  klippy_connected: boolean;
  klippy_state: KlippyState;
  moonraker_version: string | null;
  api_version_string: string | null;
}

const KLIPPY_STATES: readonly string[] = ['ready', 'startup', 'shutdown', 'error', 'disconnected'];

/** `server.info`; null unless it looks like Moonraker's (klippy_state present). */
export function parseServerInfo(value: unknown): ServerInfo | null {
  if (!isRecord(value) || typeof value['klippy_state'] !== 'string') return null;
  const state = value['klippy_state'];
  return {
    klippy_connected: value['klippy_connected'] !== false,
    klippy_state: (KLIPPY_STATES.includes(state) ? state : 'error') as KlippyState,
    moonraker_version: typeof value['moonraker_version'] === 'string' ? value['moonraker_version'] : null,
    api_version_string: typeof value['api_version_string'] === 'string' ? value['api_version_string'] : null,
  };
}

export interface PrinterInfo {
  state: string | null;
  state_message: string | null;
  hostname: string | null;
  software_version: string | null;
}

export function parsePrinterInfo(value: unknown): PrinterInfo | null {
  if (!isRecord(value)) return null;
  const str = (key: string): string | null => (typeof value[key] === 'string' ? value[key] : null);
  return { state: str('state'), state_message: str('state_message'), hostname: str('hostname'), software_version: str('software_version') };
}

/** `printer.objects.query` / `printer.objects.subscribe` reply: `{eventtime, status}`. */
export function parseStatusReply(value: unknown): JsonRecord | null {
  return isRecord(value) && isRecord(value['status']) ? value['status'] : null;
}

/** `printer.objects.list` reply: `{objects: [...]}`. */
export function parseObjectList(value: unknown): string[] | null {
  if (!isRecord(value) || !Array.isArray(value['objects'])) return null;
  return value['objects'].filter((o): o is string => typeof o === 'string');
}

/** Moonraker's HTTP error body `{"error": {"code", "message"}}` → the message. */
export function httpErrorMessage(body: unknown): string | null {
  if (!isRecord(body) || !isRecord(body['error'])) return null;
  const message = body['error']['message'];
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : null;
}

/** HTTP replies are `{"result": …}`; the upload reply is accepted unwrapped as well. */
export function unwrapResult(body: unknown): unknown {
  return isRecord(body) && 'result' in body ? body['result'] : body;
}

// ---- printer objects -----------------------------------------------------------------------

/**
 * The printer objects the driver subscribes to, and the type of every field it reads. Incoming
 * fields with another type are dropped before they reach the cache, so a malformed diff can
 * never turn a temperature into a string or a status into a number.
 */
type FieldKind = 'number' | 'string' | 'boolean' | 'number|null' | 'string|null' | { readonly [field: string]: FieldKind };

const HEATER: Readonly<Record<string, FieldKind>> = { temperature: 'number', target: 'number' };

const OBJECT_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldKind>>>> = {
  webhooks: { state: 'string', state_message: 'string' },
  print_stats: {
    state: 'string',
    filename: 'string',
    total_duration: 'number',
    print_duration: 'number',
    message: 'string',
    info: { current_layer: 'number|null', total_layer: 'number|null' },
  },
  virtual_sdcard: { progress: 'number', is_active: 'boolean', file_path: 'string|null' },
  extruder: HEATER,
  heater_bed: HEATER,
  fan: { speed: 'number' },
  gcode_move: { speed_factor: 'number' },
};

const HEATER_READING: ReadonlySet<string> = new Set(['temperature']);

/**
 * Fields that move in nearly every diff of a printing printer (sensor readings, clocks, the file
 * position's progress) and that nothing reacts to at once: a diff made of these only may wait.
 */
const READING_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  extruder: HEATER_READING,
  heater_bed: HEATER_READING,
  print_stats: new Set(['print_duration', 'total_duration']),
  virtual_sdcard: new Set(['progress']),
};

/** Whether a status diff carries readings only (no state, target, file, layer, fan or speed change). */
export function carriesOnlyReadings(diff: JsonRecord): boolean {
  for (const name in diff) {
    const fields = READING_FIELDS[name] ?? ((CHAMBER_OBJECTS as readonly string[]).includes(name) ? HEATER_READING : undefined);
    const value = diff[name];
    if (!fields || !isRecord(value)) return false;
    for (const field in value) if (!fields.has(field)) return false;
  }
  return true;
}

/** Chamber sensors, in order of preference, subscribed when `printer.objects.list` has one. */
export const CHAMBER_OBJECTS = ['heater_generic chamber', 'temperature_sensor chamber', 'temperature_fan chamber'] as const;

/** The `objects` argument of `printer.objects.subscribe`: each object with the fields the driver reads. */
export function subscriptionObjects(chamber: string | null): Record<string, string[]> {
  const objects: Record<string, string[]> = {};
  for (const [name, fields] of Object.entries(OBJECT_FIELDS)) objects[name] = Object.keys(fields);
  if (chamber) objects[chamber] = ['temperature'];
  return objects;
}

function fieldsOf(objectName: string): Readonly<Record<string, FieldKind>> | undefined {
  return OBJECT_FIELDS[objectName] ?? ((CHAMBER_OBJECTS as readonly string[]).includes(objectName) ? HEATER : undefined);
}

function matches(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number|null':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'string|null':
      return value === null || typeof value === 'string';
    default:
      return isRecord(value);
  }
}

/** The cached printer objects: object name → fields (only well-typed values get in). */
export type ObjectCache = Record<string, JsonRecord>;

/**
 * Deep-merges a status diff (or a full status) into the cache, field by field. Returns the paths
 * it refused (wrong type, or an object that is not an object); the rest is merged.
 */
export function mergeStatus(cache: ObjectCache, diff: JsonRecord): string[] {
  // Runs for every diff of every printer (four a second each): for-in over JSON.parse's own keys,
  // no entry arrays.
  const rejected: string[] = [];
  for (const name in diff) {
    const value = diff[name];
    if (!isRecord(value)) {
      rejected.push(name);
      continue;
    }
    const target = (cache[name] ??= {});
    mergeFields(target, value, fieldsOf(name), name, rejected);
  }
  return rejected;
}

function mergeFields(
  target: JsonRecord,
  source: JsonRecord,
  kinds: Readonly<Record<string, FieldKind>> | undefined,
  path: string,
  rejected: string[],
): void {
  for (const field in source) {
    const value = source[field];
    const kind = kinds?.[field];
    if (kind !== undefined && !matches(kind, value)) {
      rejected.push(`${path}.${field}`);
      continue;
    }
    const current = target[field];
    if (isRecord(value) && isRecord(current)) {
      mergeFields(current, value, typeof kind === 'object' ? kind : undefined, `${path}.${field}`, rejected);
    } else if (isRecord(value)) {
      const fresh: JsonRecord = {};
      mergeFields(fresh, value, typeof kind === 'object' ? kind : undefined, `${path}.${field}`, rejected);
      target[field] = fresh;
    } else {
      target[field] = value;
    }
  }
}
