/**
 * Elegoo SDCP v3 wire shapes as far as the driver uses them (protocols.md §4). Everything arriving
 * is `unknown` until one of the guards below accepts it; nothing here throws.
 */

export type JsonRecord = Record<string, unknown>;

export const SDCP_DEFAULT_PORT = 3030;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- incoming messages ------------------------------------------------------------------------

export type SdcpIncoming =
  | { kind: 'pong' }
  | { kind: 'status'; status: JsonRecord }
  | { kind: 'attributes'; attributes: JsonRecord }
  | { kind: 'response'; cmd: number | null; requestId: string; data: JsonRecord }
  | { kind: 'error'; data: JsonRecord }
  | { kind: 'notice'; data: JsonRecord }
  | { kind: 'malformed'; reason: string };

/**
 * Classifies one text frame. Dispatch is on `Topic` (`sdcp/status/<id>`, `sdcp/response/<id>`…);
 * a frame without a Topic is recognised by its content. Status and attributes carry their object
 * at the top level on the Centauri Carbon (fw 1.1.29 capture) and under `Data` in some clients'
 * examples: both are accepted.
 */
export function classifyFrame(text: string): SdcpIncoming {
  if (text === 'pong') return { kind: 'pong' };
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!isRecord(message)) return { kind: 'malformed', reason: 'not a JSON object' };
  const topic = message['Topic'];
  if (topic !== undefined && typeof topic !== 'string') return { kind: 'malformed', reason: 'Topic is not a string' };
  const data = isRecord(message['Data']) ? message['Data'] : null;
  const kind = topic !== undefined ? topicKind(topic) : inferKind(message, data);
  switch (kind) {
    case 'status': {
      const status = isRecord(message['Status']) ? message['Status'] : isRecord(data?.['Status']) ? data['Status'] : null;
      return status ? { kind: 'status', status } : { kind: 'malformed', reason: 'status message without a Status object' };
    }
    case 'attributes': {
      const attributes = isRecord(message['Attributes'])
        ? message['Attributes']
        : isRecord(data?.['Attributes'])
          ? data['Attributes']
          : null;
      return attributes
        ? { kind: 'attributes', attributes }
        : { kind: 'malformed', reason: 'attributes message without an Attributes object' };
    }
    case 'response': {
      const requestId = data?.['RequestID'];
      if (!data || typeof requestId !== 'string') return { kind: 'malformed', reason: 'response without Data.RequestID' };
      const cmd = data['Cmd'];
      return { kind: 'response', cmd: typeof cmd === 'number' ? cmd : null, requestId, data: isRecord(data['Data']) ? data['Data'] : {} };
    }
    case 'error':
      return { kind: 'error', data: isRecord(data?.['Data']) ? data['Data'] : {} };
    case 'notice':
      return { kind: 'notice', data: isRecord(data?.['Data']) ? data['Data'] : {} };
    default:
      return {
        kind: 'malformed',
        reason: topic === undefined ? 'no Topic and no recognisable content' : `unknown topic ${topic.slice(0, 60)}`,
      };
  }
}

type Kind = 'status' | 'attributes' | 'response' | 'error' | 'notice' | null;

function topicKind(topic: string): Kind {
  const head = topic.split('/').slice(0, 2).join('/');
  switch (head) {
    case 'sdcp/status':
      return 'status';
    case 'sdcp/attributes':
      return 'attributes';
    case 'sdcp/response':
      return 'response';
    case 'sdcp/error':
      return 'error';
    case 'sdcp/notice':
      return 'notice';
    default:
      return null;
  }
}

function inferKind(message: JsonRecord, data: JsonRecord | null): Kind {
  if (isRecord(message['Status']) || isRecord(data?.['Status'])) return 'status';
  if (isRecord(message['Attributes']) || isRecord(data?.['Attributes'])) return 'attributes';
  if (data && typeof data['RequestID'] === 'string' && typeof data['Cmd'] === 'number') return 'response';
  return null;
}

// ---- requests ------------------------------------------------------------------------------------

/** Cmd numbers the driver sends (protocols.md §4.4). */
export const CMD = {
  status: 0,
  attributes: 1,
  startPrint: 128,
  pause: 129,
  stop: 130,
  resume: 131,
  cancelTransfer: 255,
  fileList: 258,
  video: 386,
  set: 403,
} as const;

/**
 * A request envelope. `MainboardID` is empty until the attributes named it (the CC web UI always
 * sends it empty and the printer accepts that); `Topic` is only sent when the id is known.
 */
export function requestFrame(cmd: number, data: JsonRecord, requestId: string, mainboardId: string, sessionId: string): string {
  const frame: JsonRecord = {
    Id: sessionId,
    Data: { Cmd: cmd, Data: data, RequestID: requestId, MainboardID: mainboardId, TimeStamp: Math.floor(Date.now() / 1000), From: 0 },
  };
  if (mainboardId !== '') frame['Topic'] = `sdcp/request/${mainboardId}`;
  return JSON.stringify(frame);
}

/** The `Ack` of a reply, or null when there is none. */
export function ackOf(data: JsonRecord): number | null {
  const ack = data['Ack'];
  return typeof ack === 'number' && Number.isFinite(ack) ? ack : null;
}

/** Cmd 128 acks in words (protocols.md §4.4). */
export function startAckMessage(ack: number, fileName: string): { message: string; status: number } {
  switch (ack) {
    case 1:
      return { message: `The printer is busy (printing or receiving a file) and cannot start ${fileName}`, status: 409 };
    case 2:
      return { message: `The printer has no file ${fileName}`, status: 404 };
    case 3:
      return { message: `The MD5 check of ${fileName} failed on the printer`, status: 409 };
    case 4:
      return { message: `The printer could not read ${fileName}`, status: 409 };
    case 5:
      return { message: `${fileName} does not match the printer's resolution`, status: 409 };
    case 6:
      return { message: `The printer does not recognise the format of ${fileName}`, status: 409 };
    case 7:
      return { message: `${fileName} was sliced for a different printer model`, status: 409 };
    default:
      return { message: `The printer refused to start ${fileName} (code ${ack})`, status: 409 };
  }
}

/** Cmd 386 acks in words (protocols.md §4.6); 2 (no camera) is not an error for discovery. */
export function videoAckMessage(ack: number): string {
  switch (ack) {
    case 1:
      return 'The printer already serves as many video streams as it allows';
    case 2:
      return 'The printer has no camera';
    case 3:
      return 'The printer could not start its camera stream';
    default:
      return `The printer refused to start its camera stream (code ${ack})`;
  }
}

// ---- attributes ----------------------------------------------------------------------------------

export interface SdcpAttributes {
  name: string | null;
  machineName: string | null;
  brandName: string | null;
  firmwareVersion: string | null;
  protocolVersion: string | null;
  mainboardId: string | null;
  mainboardIp: string | null;
  /** CTB (resin) or GCODE (Centauri Carbon)… */
  fileTypes: string[];
}

export function parseAttributes(attributes: JsonRecord): SdcpAttributes {
  const types = attributes['SupportFileType'];
  return {
    name: str(attributes['Name']),
    machineName: str(attributes['MachineName']),
    brandName: str(attributes['BrandName']),
    firmwareVersion: str(attributes['FirmwareVersion']),
    protocolVersion: str(attributes['ProtocolVersion']),
    mainboardId: str(attributes['MainboardID']),
    mainboardIp: str(attributes['MainboardIP']),
    fileTypes: Array.isArray(types) ? types.filter((t): t is string => typeof t === 'string') : [],
  };
}

/**
 * `CurrentTicks`/`TotalTicks` are milliseconds in the spec (resin printers) but seconds on the
 * Centauri Carbon. A printer that prints G-code (or calls itself a Centauri) counts seconds.
 */
export function ticksInMilliseconds(attributes: SdcpAttributes | null): boolean {
  if (!attributes) return false;
  if (/centauri/i.test(attributes.machineName ?? '')) return false;
  if (attributes.fileTypes.some((t) => t.toUpperCase() === 'GCODE')) return false;
  return attributes.fileTypes.length > 0;
}

// ---- status merge ----------------------------------------------------------------------------------

type FieldKind = 'number' | 'string' | 'id' | 'machine' | 'flag' | 'rgb' | { readonly [field: string]: FieldKind };

/** The status fields the mapping reads, with their types; everything else is ignored. */
const STATUS_SCHEMA: { readonly [field: string]: FieldKind } = {
  CurrentStatus: 'machine',
  PreviousStatus: 'number',
  TempOfNozzle: 'number',
  TempTargetNozzle: 'number',
  TempOfHotbed: 'number',
  TempTargetHotbed: 'number',
  TempOfBox: 'number',
  TempTargetBox: 'number',
  CurrenCoord: 'string',
  CurrentFanSpeed: { ModelFan: 'number', AuxiliaryFan: 'number', BoxFan: 'number' },
  LightStatus: { SecondLight: 'flag', RgbLight: 'rgb' },
  PrintInfo: {
    Status: 'number',
    CurrentLayer: 'number',
    TotalLayer: 'number',
    CurrentTicks: 'number',
    TotalTicks: 'number',
    Filename: 'string',
    TaskId: 'id',
    ErrorNumber: 'number',
    ErrorStatusReason: 'number',
    Progress: 'number',
    PrintSpeedPct: 'number',
  },
};

/**
 * Merges a (possibly partial) `Status` object into the cache, field by field. A field of the wrong
 * type is dropped and named in the result, so a malformed frame can never change the state.
 * `CurrentStatus` is kept as an array (the MQTT V1 variant sends a bare number).
 */
export function mergeStatus(cache: JsonRecord, incoming: JsonRecord): string[] {
  const rejected: string[] = [];
  mergeInto(cache, incoming, STATUS_SCHEMA, '', rejected);
  return rejected;
}

function mergeInto(
  target: JsonRecord,
  incoming: JsonRecord,
  schema: { readonly [field: string]: FieldKind },
  prefix: string,
  rejected: string[],
): void {
  for (const [key, value] of Object.entries(incoming)) {
    const kind = schema[key];
    if (kind === undefined) continue;
    const path = `${prefix}${key}`;
    if (typeof kind === 'object') {
      if (!isRecord(value)) {
        rejected.push(path);
        continue;
      }
      const sub = isRecord(target[key]) ? target[key] : {};
      target[key] = sub;
      mergeInto(sub, value, kind, `${path}.`, rejected);
      continue;
    }
    const accepted = accept(kind, value);
    if (accepted === undefined) rejected.push(path);
    else target[key] = accepted;
  }
}

function accept(kind: Exclude<FieldKind, object>, value: unknown): unknown {
  switch (kind) {
    case 'number':
      return finite(value) ? value : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'id':
      return typeof value === 'string' ? value : finite(value) ? String(value) : undefined;
    case 'machine':
      if (finite(value)) return [value];
      return Array.isArray(value) && value.every(finite) ? [...value] : undefined;
    case 'flag':
      return typeof value === 'boolean' || finite(value) ? value : undefined;
    case 'rgb':
      return Array.isArray(value) && value.length === 3 && value.every(finite) ? [...value] : undefined;
  }
}

// ---- chunked upload replies --------------------------------------------------------------------------

export type UploadReply = { ok: true } | { ok: false; codes: (string | number)[]; fields: string[] } | null;

/** `{"code":"000000",…,"success":true}` or the failure shape with `messages[{field, message}]`; null if neither. */
export function parseUploadReply(body: unknown): UploadReply {
  if (!isRecord(body)) return null;
  if (body['success'] === true || body['code'] === '000000') return { ok: true };
  if (body['success'] !== false && body['code'] === undefined) return null;
  const messages = Array.isArray(body['messages']) ? body['messages'].filter(isRecord) : [];
  return {
    ok: false,
    codes: messages.flatMap((m) => (typeof m['message'] === 'string' || typeof m['message'] === 'number' ? [m['message']] : [])),
    fields: messages.flatMap((m) => (typeof m['field'] === 'string' ? [m['field']] : [])),
  };
}

/** Upload failure codes in words (protocols.md §4.5). */
export function uploadErrorWords(code: string | number): string {
  switch (String(code)) {
    case '-1':
      return 'the printer rejected the chunk position (code -1)';
    case '-2':
      return 'the chunk position did not follow the previous one (code -2)';
    case '-3':
      return 'the printer could not open the file for writing (code -3)';
    case '-4':
      return 'the printer reported an unknown error (code -4)';
    default:
      return String(code);
  }
}

/** `sdcp/error` ErrorCode in words (1 MD5, 2 format). */
export function sdcpErrorWords(code: unknown): string {
  if (code === 1 || code === '1') return 'the MD5 check failed';
  if (code === 2 || code === '2') return 'the file format is not supported';
  return `the printer reported error ${typeof code === 'string' || typeof code === 'number' ? code : JSON.stringify(code)}`;
}

/** File names from a Cmd 258 reply (`FileList[{name:"/local/x", type:1…}]`), or null when there is no list. */
export function parseFileList(data: JsonRecord): string[] | null {
  const list = data['FileList'];
  if (!Array.isArray(list)) return null;
  return list.flatMap((entry) => (isRecord(entry) && typeof entry['name'] === 'string' ? [entry['name']] : []));
}

// ---- helpers --------------------------------------------------------------------------------------

export function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
