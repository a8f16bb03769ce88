import type { Role } from '../../core/auth/roles.js';
import type { PrintJobEvent } from '../../events.js';
import type { PrinterState, PrinterStatePatch } from '../../printers/state.js';

/**
 * The `/ws` wire format, shared by the server and (as types) by the web app.
 *
 * Every server message is one JSON text frame `{type, data, ts}` (`ts`: epoch milliseconds when the
 * server produced it). Client messages are JSON text frames with a `type`, at most 64 KiB.
 *
 * 1. Open `/ws?token=<jwt>` or open `/ws` and send `{"type":"auth","token":"<jwt>"}` within 5 s.
 *    With ODIN_API_KEY set, also send `X-API-Key: <key>` or `?api_key=<key>`. Refused → close 4401.
 * 2. Server: `welcome` {user:{id,username,role}, topics:["printers","jobs"]}, then `printer_snapshot`
 *    of the whole fleet (the default topics).
 * 3. `{"type":"subscribe","topics":[…]}` with "printers" | "jobs" | "printer:<id>". The first
 *    subscribe REPLACES the defaults; later ones add. Reply: `printer_snapshot` (when printer topics
 *    were named) then `subscribed` {topics: all current}. `unsubscribe` → `unsubscribed` {topics}.
 * 4. Deltas: `printer_state` / `printer_telemetry` {printer_id, changes}: merge `changes` into the
 *    printer's snapshot entry. Job rows: `job_started` / `job_update` / `job_completed` (PrintJobEvent).
 * 5. `ping` every 25 s (answer not needed; the browser answers the ping frame by itself). A client may
 *    send `{"type":"ping"}` → `pong`. Bad input → `error` {detail}; the connection stays open.
 * 6. Close codes: 4401 auth, 1013 too slow (reconnect), 1001 server shutdown (reconnect), 1009 message
 *    too big, 1011 credentials could not be checked (reconnect). Re-send `auth` with a fresh token
 *    before the old one expires; sessions are re-checked every 25 s (revoked/expired/disabled → 4401).
 */
export interface LiveMessage<T extends string, D> {
  type: T;
  data: D;
  ts: number;
}

export type PrinterSnapshotEntry = { printer_id: number; name: string | null } & PrinterState;

export interface PrinterDelta {
  printer_id: number;
  /** Only the fields that changed since the last message for this printer. */
  changes: PrinterStatePatch;
}

export type ServerMessage =
  | LiveMessage<'welcome', { user: { id: number; username: string; role: Role }; topics: string[] }>
  | LiveMessage<'printer_snapshot', { printers: PrinterSnapshotEntry[] }>
  | LiveMessage<'printer_state' | 'printer_telemetry', PrinterDelta>
  | LiveMessage<'job_started' | 'job_update' | 'job_completed', PrintJobEvent>
  | LiveMessage<'subscribed' | 'unsubscribed', { topics: string[] }>
  // An empty object rather than null, so `message.data.printer_id` is merely undefined on any message.
  | LiveMessage<'ping' | 'pong', Record<string, never>>
  | LiveMessage<'error', { detail: string }>;

export type ClientMessage =
  | { type: 'auth'; token: string }
  | { type: 'ping' }
  /** Topics are checked by `parseTopics` when the message is handled. */
  | { type: 'subscribe' | 'unsubscribe'; topics: unknown[] };

/** WebSocket close codes the server uses. */
export const CLOSE = {
  /** Shutting down; reconnect later. */
  goingAway: 1001,
  /** A message larger than the limit (sent by the ws library itself). */
  tooBig: 1009,
  /** The server could not check the credentials (database error); reconnect later. */
  internalError: 1011,
  /** The client did not read fast enough (more than 1 MiB waiting). */
  tryAgainLater: 1013,
  /** No, invalid, expired or revoked token, account disabled, or missing perimeter key. */
  unauthorized: 4401,
} as const;

/**
 * Fields that make a change a `printer_state` message (a lifecycle change the UI reacts to); a change
 * touching none of them is `printer_telemetry` (temperatures, progress, fans…).
 */
export const STATE_FIELDS: ReadonlySet<keyof PrinterState> = new Set<keyof PrinterState>([
  'status',
  'online',
  'stage',
  'error_code',
  'error_message',
  'file_name',
  'job_id',
]);

export function deltaType(changes: PrinterStatePatch): 'printer_state' | 'printer_telemetry' {
  for (const key of Object.keys(changes)) {
    if (STATE_FIELDS.has(key as keyof PrinterState)) return 'printer_state';
  }
  return 'printer_telemetry';
}

/** A parsed set of topics: the whole fleet, the jobs stream, and single printers. */
export interface TopicSet {
  fleet: boolean;
  jobs: boolean;
  printers: number[];
}

export const MAX_TOKEN_LENGTH = 8192;

const PRINTER_TOPIC = /^printer:([1-9]\d{0,14})$/;

/** Parses `["printers", "jobs", "printer:12", …]`; an unknown topic rejects the whole list. */
export function parseTopics(value: unknown): TopicSet | { error: string } {
  if (!Array.isArray(value)) return { error: '"topics" must be an array of strings' };
  const set: TopicSet = { fleet: false, jobs: false, printers: [] };
  for (const topic of value as unknown[]) {
    if (topic === 'printers') set.fleet = true;
    else if (topic === 'jobs') set.jobs = true;
    else {
      const match = typeof topic === 'string' ? PRINTER_TOPIC.exec(topic) : null;
      if (!match?.[1]) {
        const shown = typeof topic === 'string' ? topic.slice(0, 64) : typeof topic;
        return { error: `Unknown topic ${JSON.stringify(shown)}: use "printers", "jobs" or "printer:<id>"` };
      }
      set.printers.push(Number(match[1]));
    }
  }
  return set;
}

/** Validates one client frame; returns a message or the reason it was refused. */
export function parseClientMessage(text: string): ClientMessage | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'Malformed message: not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'Malformed message: expected a JSON object' };
  const message = value as Record<string, unknown>;
  const type = message['type'];
  switch (type) {
    case 'auth': {
      const token = message['token'];
      // An unusable token is an authentication failure, not a malformed message.
      return { type, token: typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH ? token : '' };
    }
    case 'ping':
      return { type };
    case 'subscribe':
    case 'unsubscribe': {
      const topics = message['topics'];
      if (!Array.isArray(topics)) return { error: '"topics" must be an array of strings' };
      return { type, topics: topics as unknown[] };
    }
    default:
      return {
        error:
          typeof type === 'string' ? `Unknown message type ${JSON.stringify(type.slice(0, 64))}` : 'Malformed message: "type" is missing',
      };
  }
}
