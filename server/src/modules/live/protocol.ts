import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';

import { Nullable } from '../../core/http/nullable.js';
import { type PrinterState, type PrinterStatePatch, PrinterStatePatchSchema, PrinterStateSchema } from '../../printers/state.js';
import { PrintJobEventSchema } from '../print-jobs/job-event.js';
import { PrinterListingSchema } from '../printers/schemas.js';
import { RoleSchema } from '../users/schemas.js';

/**
 * The `/ws` wire format, declared once as schemas: the server's types derive from them, and the
 * OpenAPI document publishes them as the components `LiveServerMessage` and `LiveClientMessage`,
 * from which the web app's types are generated (web/src/api/schema.d.ts).
 *
 * Every server message is one JSON text frame `{type, data, ts}` (`ts`: epoch milliseconds when the
 * server produced it). Client messages are JSON text frames with a `type`, at most 64 KiB.
 *
 * 1. Open `/ws?token=<jwt>` or open `/ws` and send `{"type":"auth","token":"<jwt>"}` within 5 s.
 *    With ODIN_API_KEY set, also send `X-API-Key: <key>` or `?api_key=<key>`. Refused → close 4401.
 * 2. Server: `welcome` {user:{id,username,role}, topics:["printers","jobs"]}, then `printer_snapshot`
 *    {printers: [{printer_id, name, ...state}]} of the whole fleet (the default topics).
 * 3. `{"type":"subscribe","topics":[…]}` with "printers" | "jobs" | "printer:<id>". The first
 *    subscribe REPLACES the defaults; later ones add. Reply: `printer_snapshot` (when printer topics
 *    were named) then `subscribed` {topics: all current}. `unsubscribe` → `unsubscribed` {topics}.
 * 4. Deltas: `printer_state` / `printer_telemetry` {printer_id, changes}: merge `changes` into the
 *    printer's snapshot entry. Changes are merged per printer for up to 100 ms; a printer whose
 *    changes are only readings (temperatures, elapsed and remaining time) is sent at most once a
 *    second, and any other change brings the waiting readings along at once.
 *    Job rows: `job_started` / `job_update` / `job_completed` (PrintJobEvent).
 * 5. The fleet's configuration, as operators change it through the API: `printer_added`
 *    {printer_id, printer, state} (a new entry, complete), `printer_updated` {printer_id, changes}
 *    (the listing fields that changed — name, nickname, model, api_type, is_active, is_favorite,
 *    display_order; empty when only connection settings did), `printers_reordered` {printer_ids}
 *    (every printer, in display order) and `printer_removed` {printer_id}. They go to the `printers`
 *    topic; added/updated/removed also to `printer:<id>`. A printer appears only through a snapshot
 *    or `printer_added`, both complete, so a client never has to invent an entry from a delta.
 * 6. `ping` every 25 s (answer not needed; the browser answers the ping frame by itself). A client may
 *    send `{"type":"ping"}` → `pong`. Bad input → `error` {code, detail}; the connection stays open.
 *    Codes: LIVE_ERROR_CODES below.
 * 7. Close codes: 4401 auth, 1013 too slow (reconnect), 1001 server shutdown (reconnect), 1009 message
 *    too big, 1011 credentials could not be checked (reconnect). Re-send `auth` with a fresh token
 *    before the old one expires; sessions are re-checked every 25 s (revoked/expired/disabled → 4401).
 */

export const MAX_TOKEN_LENGTH = 8192;
/** Single-printer topics one connection may hold. */
export const MAX_PRINTER_TOPICS = 10_000;

const PRINTER_TOPIC = /^printer:([1-9]\d{0,14})$/;
export const TopicSchema = Type.Union([Type.Literal('printers'), Type.Literal('jobs'), Type.String({ pattern: PRINTER_TOPIC.source })], {
  description: '"printers" (the whole fleet), "jobs" (print records) or "printer:<id>" (one printer).',
});
const TopicsSchema = Type.Array(TopicSchema, { maxItems: MAX_PRINTER_TOPICS + 2 });

/** Why a client message was refused (the `code` of an `error` message). */
export const LIVE_ERROR_CODES = [
  /** Not JSON, not an object, no `type`, or a binary frame. */
  'malformed_message',
  'unknown_message_type',
  /** A known type whose fields do not fit its schema. */
  'invalid_message',
  'unknown_topic',
  'too_many_topics',
  /** Anything but `auth` before authenticating. */
  'not_authenticated',
  /** More than 32 messages waiting to be handled. */
  'too_many_messages',
] as const;
export const LiveErrorSchema = Type.Object({ code: Type.Enum(LIVE_ERROR_CODES), detail: Type.String() });
export type LiveError = Static<typeof LiveErrorSchema>;

/** A printer as snapshots show it: its id and name (null for a printer the database does not know), then its whole state. */
export const PrinterSnapshotEntrySchema = Type.Evaluate(
  Type.Intersect([Type.Object({ printer_id: Type.Integer(), name: Nullable(Type.String()) }), PrinterStateSchema]),
);
export type PrinterSnapshotEntry = Static<typeof PrinterSnapshotEntrySchema>;

/** `changes`: only the fields that changed since the last message for this printer. */
export const PrinterDeltaSchema = Type.Object({ printer_id: Type.Integer(), changes: PrinterStatePatchSchema });
export type PrinterDelta = Static<typeof PrinterDeltaSchema>;

const TopicsData = Type.Object({ topics: Type.Array(TopicSchema) });

function message<T extends string, D extends TSchema>(type: T, data: D) {
  return Type.Object({
    type: Type.Literal(type),
    data,
    ts: Type.Integer({ description: 'Epoch milliseconds when the server produced it.' }),
  });
}

export const LiveServerMessageSchema = Type.Union(
  [
    message(
      'welcome',
      Type.Object({
        user: Type.Object({ id: Type.Integer(), username: Type.String(), role: RoleSchema }),
        topics: Type.Array(TopicSchema),
      }),
    ),
    message('printer_snapshot', Type.Object({ printers: Type.Array(PrinterSnapshotEntrySchema) })),
    message('printer_state', PrinterDeltaSchema),
    message('printer_telemetry', PrinterDeltaSchema),
    message('printer_added', Type.Object({ printer_id: Type.Integer(), printer: PrinterListingSchema, state: PrinterStateSchema })),
    message('printer_updated', Type.Object({ printer_id: Type.Integer(), changes: Type.Partial(PrinterListingSchema) })),
    message('printers_reordered', Type.Object({ printer_ids: Type.Array(Type.Integer()) })),
    message('printer_removed', Type.Object({ printer_id: Type.Integer() })),
    message('job_started', PrintJobEventSchema),
    message('job_update', PrintJobEventSchema),
    message('job_completed', PrintJobEventSchema),
    message('subscribed', TopicsData),
    message('unsubscribed', TopicsData),
    message('ping', Type.Object({})),
    message('pong', Type.Object({})),
    message('error', LiveErrorSchema),
  ],
  { description: 'A message the server sends on /ws (see modules/live/protocol.ts).' },
);
export type ServerMessage = Static<typeof LiveServerMessageSchema>;
/** The `data` of one server message type. */
export type ServerData<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>['data'];

export const LiveClientMessageSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('auth'), token: Type.String({ maxLength: MAX_TOKEN_LENGTH }) }),
    Type.Object({ type: Type.Literal('ping') }),
    Type.Object({ type: Type.Literal('subscribe'), topics: TopicsSchema }),
    Type.Object({ type: Type.Literal('unsubscribe'), topics: TopicsSchema }),
  ],
  { description: 'A message a client sends on /ws (see modules/live/protocol.ts).' },
);
export type ClientMessage = Static<typeof LiveClientMessageSchema>;

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

/**
 * Readings: fields a printing printer changes in nearly every message (sensor noise, clocks). A
 * change of readings only is sent at most once per second per printer (HubTiming.readingsMs).
 */
const READING_FIELDS: ReadonlySet<string> = new Set<keyof PrinterState>([
  'nozzle_temp',
  'bed_temp',
  'chamber_temp',
  'elapsed_seconds',
  'remaining_seconds',
]);

export function isReading(field: string): boolean {
  return READING_FIELDS.has(field);
}

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

/** Sorts topics the schema accepted into a TopicSet. */
export function parseTopics(topics: readonly string[]): TopicSet {
  const set: TopicSet = { fleet: false, jobs: false, printers: [] };
  for (const topic of topics) {
    if (topic === 'printers') set.fleet = true;
    else if (topic === 'jobs') set.jobs = true;
    else {
      const id = PRINTER_TOPIC.exec(topic)?.[1];
      if (id) set.printers.push(Number(id));
    }
  }
  return set;
}

const clientMessage = Compile(LiveClientMessageSchema);
const topic = Compile(TopicSchema);
const CLIENT_TYPES: readonly string[] = LiveClientMessageSchema.anyOf.map((branch) => branch.properties.type.const);

/** Checks one client frame against LiveClientMessage; returns the message or why it was refused. */
export function parseClientMessage(text: string): ClientMessage | { error: LiveError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse('malformed_message', 'Malformed message: not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return refuse('malformed_message', 'Malformed message: expected a JSON object');
  const type: unknown = (value as Record<string, unknown>)['type'];
  if (typeof type !== 'string') return refuse('malformed_message', 'Malformed message: "type" is missing');
  if (!CLIENT_TYPES.includes(type)) return refuse('unknown_message_type', `Unknown message type ${JSON.stringify(type.slice(0, 64))}`);
  if (clientMessage.Check(value)) return value;
  // An unusable token is an authentication failure (close 4401), not a malformed message.
  if (type === 'auth') return { type: 'auth', token: '' };
  return { error: describeInvalid(type, value as Record<string, unknown>) };
}

function describeInvalid(type: string, message: Record<string, unknown>): LiveError {
  const topics = message['topics'];
  if ((type === 'subscribe' || type === 'unsubscribe') && Array.isArray(topics)) {
    const unknown: unknown = topics.find((entry) => !topic.Check(entry));
    if (unknown !== undefined) {
      const shown = typeof unknown === 'string' ? unknown.slice(0, 64) : typeof unknown;
      return { code: 'unknown_topic', detail: `Unknown topic ${JSON.stringify(shown)}: use "printers", "jobs" or "printer:<id>"` };
    }
    if (topics.length > MAX_PRINTER_TOPICS)
      return { code: 'too_many_topics', detail: `At most ${MAX_PRINTER_TOPICS} printer topics per connection` };
  }
  if (type === 'subscribe' || type === 'unsubscribe') return { code: 'invalid_message', detail: '"topics" must be an array of strings' };
  const [first] = clientMessage.Errors(message);
  return { code: 'invalid_message', detail: `Invalid "${type}" message${first ? `: ${first.instancePath || '/'} ${first.message}` : ''}` };
}

function refuse(code: LiveError['code'], detail: string): { error: LiveError } {
  return { error: { code, detail } };
}
