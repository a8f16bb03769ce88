/**
 * PrusaLink v1 message types (prusa3d/Prusa-Link-Web spec/openapi.yaml, checked against the captures in
 * simulators/fixtures/prusalink) and total parsers for them: every field is optional on the wire, unknown
 * fields are ignored, and a value of the wrong type counts as missing. A parser returns null only when
 * the body cannot be the message at all (not an object, or a status without `printer.state`).
 */

/** `printer.state` values of the spec; others may appear on newer firmware and are handled as unknown. */
export const PRUSALINK_STATES = ['IDLE', 'BUSY', 'PRINTING', 'PAUSED', 'FINISHED', 'STOPPED', 'ERROR', 'ATTENTION', 'READY'] as const;
export type PrusaLinkState = (typeof PRUSALINK_STATES)[number];

/** `GET /api/version`. Buddy firmware answers {api, server, text, hostname}; the spec also lists version/printer/firmware/sdk. */
export interface PrusaLinkVersion {
  api?: string;
  server?: string;
  version?: string;
  text?: string;
  hostname?: string;
  firmware?: string;
  printer?: string;
  sdk?: string;
  capabilities?: { 'upload-by-put'?: boolean };
}

/** `GET /api/v1/info`. */
export interface PrusaLinkInfo {
  name?: string;
  location?: string;
  hostname?: string;
  serial?: string;
  nozzle_diameter?: number;
  min_extrusion_temp?: number;
  mmu?: boolean;
  farm_mode?: boolean;
  sd_ready?: boolean;
  active_camera?: boolean;
  port?: string;
}

/** `status.printer` — only `state` is required. Fans are RPM. */
export interface PrusaLinkStatusPrinter {
  state: string;
  temp_nozzle?: number;
  target_nozzle?: number;
  temp_bed?: number;
  target_bed?: number;
  axis_x?: number;
  axis_y?: number;
  axis_z?: number;
  flow?: number;
  speed?: number;
  fan_hotend?: number;
  fan_print?: number;
  status_printer?: { ok?: boolean; message?: string };
  status_connect?: { ok?: boolean; message?: string };
}

/** `status.job` — present only while there is a job. */
export interface PrusaLinkStatusJob {
  id?: number;
  /** Percent. */
  progress?: number;
  /** Seconds. */
  time_remaining?: number;
  /** Seconds. */
  time_printing?: number;
}

/** One storage in `status.storage`: an object on Buddy firmware, a list of these on the Raspberry-Pi PrusaLink. */
export interface PrusaLinkStatusStorage {
  name?: string;
  path?: string;
  read_only?: boolean;
  free_space?: number;
}

/** `GET /api/v1/status` after parsing: `storage` always a list, `job` null when absent. */
export interface PrusaLinkStatus {
  printer: PrusaLinkStatusPrinter;
  job: PrusaLinkStatusJob | null;
  storage: PrusaLinkStatusStorage[];
}

export interface PrusaLinkJobFile {
  /** 8.3 short name on Buddy firmware ("TABLET~1.BGC"). */
  name?: string;
  /** The long name. */
  display_name?: string;
  path?: string;
  display_path?: string;
  size?: number;
  m_timestamp?: number;
}

/** `GET /api/v1/job` (200; 204 means no job). */
export interface PrusaLinkJob {
  id?: number;
  state?: string;
  progress?: number;
  time_remaining?: number;
  time_printing?: number;
  file?: PrusaLinkJobFile;
}

/** Error body (JSON when `Accept: application/json`, otherwise the same text as text/plain). */
export interface PrusaLinkErrorBody {
  code?: string;
  title?: string;
  text?: string;
  url?: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** Drops the keys whose value is undefined, so parsed objects only hold what was really sent. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function parseVersion(json: unknown): PrusaLinkVersion | null {
  if (!isObj(json)) return null;
  const caps = isObj(json['capabilities']) ? compact({ 'upload-by-put': bool(json['capabilities']['upload-by-put']) }) : undefined;
  return compact({
    api: str(json['api']),
    server: str(json['server']),
    version: str(json['version']),
    text: str(json['text']),
    hostname: str(json['hostname']),
    firmware: str(json['firmware']),
    printer: str(json['printer']),
    sdk: str(json['sdk']),
    capabilities: caps,
  });
}

export function parseInfo(json: unknown): PrusaLinkInfo | null {
  if (!isObj(json)) return null;
  return compact({
    name: str(json['name']),
    location: str(json['location']),
    hostname: str(json['hostname']),
    serial: str(json['serial']),
    nozzle_diameter: num(json['nozzle_diameter']),
    min_extrusion_temp: num(json['min_extrusion_temp']),
    mmu: bool(json['mmu']),
    farm_mode: bool(json['farm_mode']),
    sd_ready: bool(json['sd_ready']),
    active_camera: bool(json['active_camera']),
    port: str(json['port']),
  });
}

function parseOkMessage(v: unknown): { ok?: boolean; message?: string } | undefined {
  return isObj(v) ? compact({ ok: bool(v['ok']), message: str(v['message']) }) : undefined;
}

function parseStorage(v: unknown): PrusaLinkStatusStorage | null {
  if (!isObj(v)) return null;
  return compact({ name: str(v['name']), path: str(v['path']), read_only: bool(v['read_only']), free_space: num(v['free_space']) });
}

export function parseStatus(json: unknown): PrusaLinkStatus | null {
  if (!isObj(json) || !isObj(json['printer'])) return null;
  const p = json['printer'];
  const state = str(p['state']);
  if (state === undefined) return null;
  const printer: PrusaLinkStatusPrinter = compact({
    state,
    temp_nozzle: num(p['temp_nozzle']),
    target_nozzle: num(p['target_nozzle']),
    temp_bed: num(p['temp_bed']),
    target_bed: num(p['target_bed']),
    axis_x: num(p['axis_x']),
    axis_y: num(p['axis_y']),
    axis_z: num(p['axis_z']),
    flow: num(p['flow']),
    speed: num(p['speed']),
    fan_hotend: num(p['fan_hotend']),
    fan_print: num(p['fan_print']),
    status_printer: parseOkMessage(p['status_printer']),
    status_connect: parseOkMessage(p['status_connect']),
  });
  const j = json['job'];
  const job: PrusaLinkStatusJob | null = isObj(j)
    ? compact({
        id: num(j['id']),
        progress: num(j['progress']),
        time_remaining: num(j['time_remaining']),
        time_printing: num(j['time_printing']),
      })
    : null;
  // Buddy firmware sends one storage object, the Raspberry-Pi PrusaLink a list of them.
  const s = json['storage'];
  const storage = (Array.isArray(s) ? s : s === undefined ? [] : [s])
    .map(parseStorage)
    .filter((x): x is PrusaLinkStatusStorage => x !== null);
  return { printer, job, storage };
}

export function parseJob(json: unknown): PrusaLinkJob | null {
  if (!isObj(json)) return null;
  const f = json['file'];
  const file: PrusaLinkJobFile | undefined = isObj(f)
    ? compact({
        name: str(f['name']),
        display_name: str(f['display_name']),
        path: str(f['path']),
        display_path: str(f['display_path']),
        size: num(f['size']),
        m_timestamp: num(f['m_timestamp']),
      })
    : undefined;
  return compact({
    id: num(json['id']),
    state: str(json['state']),
    progress: num(json['progress']),
    time_remaining: num(json['time_remaining']),
    time_printing: num(json['time_printing']),
    file,
  });
}

/** The error body in JSON or plain text, whichever the printer sent. */
export function parseErrorBody(body: Buffer): PrusaLinkErrorBody | null {
  const text = body.toString('utf8').trim();
  if (text === '') return null;
  const json = parseJson(text);
  if (isObj(json)) {
    const parsed = compact({ code: str(json['code']), title: str(json['title']), text: str(json['text']), url: str(json['url']) });
    return parsed.title !== undefined || parsed.text !== undefined ? parsed : null;
  }
  // A plain-text answer (or HTML from something else): keep a short first line.
  if (text.startsWith('<')) return null;
  return { text: (text.split('\n')[0] ?? '').slice(0, 200) };
}

/**
 * The storage to address in /api/v1/files/{storage}/…: the URL segment is the storage path without its
 * slashes ("/usb/" → "usb", "/local" → "local"), falling back to the name.
 */
export function storageKey(storage: PrusaLinkStatusStorage): string | null {
  const fromPath = storage.path?.replace(/^\/+|\/+$/g, '');
  if (fromPath) return fromPath;
  const fromName = storage.name?.trim().toLowerCase();
  return fromName ? fromName : null;
}
