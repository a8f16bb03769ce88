import { Duplex } from 'node:stream';

import type { FastifyBaseLogger } from 'fastify';
import { type RawData, WebSocket } from 'ws';

import type { AuthUser } from '../../core/auth/roles.js';
import { HttpError } from '../../core/errors.js';
import { frameText } from '../../core/http/ws-frame.js';
import type { OdinBus, OdinEvents, PrintJobEvent } from '../../events.js';
import type { LiveStates } from '../../printers/live-states.js';
import type { PrinterStatePatch } from '../../printers/state.js';
import type { PrinterConfigEvent } from '../printers/config-events.js';
import {
  type ClientMessage,
  CLOSE,
  deltaType,
  isReading,
  type LiveError,
  MAX_PRINTER_TOPICS,
  parseClientMessage,
  parseTopics,
  type PrinterSnapshotEntry,
  type ServerMessage,
  type TopicSet,
} from './protocol.js';

export interface HubTiming {
  /** How long printer patches are buffered (and merged per printer) before they go out. */
  flushMs: number;
  /**
   * A printer whose pending changes are only readings (temperatures, elapsed and remaining time) is
   * sent at most once per this interval: a printing printer's sensors change in every message, up
   * to four times a second, and nobody reads a temperature faster than once a second. Any other
   * change goes out within `flushMs` and takes the printer's pending readings with it. Readings go
   * out on one clock for the whole fleet (ticks `readingsMs` apart), so a fleet whose printers
   * report at scattered moments costs one flush per tick, not one every `flushMs`.
   */
  readingsMs: number;
  /** Interval of the heartbeat: a `ping` message and a ping frame; no pong by the next round → terminated. */
  heartbeatMs: number;
  /** How long a connection may stay open without authenticating. */
  authTimeoutMs: number;
  /** A client with more than this many bytes waiting to be sent is dropped (1013). */
  maxBufferedBytes: number;
  /** After a close frame, how long the peer has to complete the closing handshake before the socket is destroyed. */
  closeGraceMs: number;
}

export const DEFAULT_TIMING: HubTiming = {
  flushMs: 100,
  readingsMs: 1_000,
  heartbeatMs: 25_000,
  authTimeoutMs: 5_000,
  maxBufferedBytes: 1024 * 1024,
  closeGraceMs: 2_000,
};

export interface HubDependencies {
  bus: OdinBus;
  live: LiveStates;
  printerNames: () => Promise<Map<number, string>>;
  /** The user behind a session token, checked as the HTTP guard checks it; throws HttpError 401 when refused. */
  authenticate: (token: string) => Promise<AuthUser>;
  log: FastifyBaseLogger;
}

export interface Admission {
  /** Token from the `token` query parameter, or null to wait for an `auth` message. */
  token: string | null;
  /** Whether the perimeter API key was presented (always true when none is configured). */
  perimeterOk: boolean;
  log: FastifyBaseLogger;
  /** The upgrade request's id, for log lines about this connection. */
  reqId: string;
}

/** Per-connection work items that may queue up (a client flooding messages gets an error instead). */
const MAX_QUEUED = 32;

class Client {
  user: AuthUser | null = null;
  token: string | null = null;
  /**
   * A new connection gets the default topics (`printers` and `jobs`: everything, as the original
   * ODIN pushed). The first explicit `subscribe` replaces them, so `["printer:12"]` narrows the
   * stream to one printer; later subscribes add to it, `unsubscribe` removes.
   */
  defaults = true;
  fleet = false;
  jobs = false;
  readonly printers = new Set<number>();
  /** A ping frame went out and no pong has come back yet. */
  awaitingPong = false;
  /** Taken out of the hub (closing or closed): receives nothing more. */
  detached = false;
  authTimer: NodeJS.Timeout | null = null;
  killTimer: NodeJS.Timeout | null = null;
  readonly openedAt = Date.now();
  /** Why the server closed the connection, for the log line when it goes. */
  closeReason: string | null = null;
  queue: Promise<void> = Promise.resolve();
  queued = 0;
  /**
   * While a flush has the socket corked: the bytes that were waiting when it started. Corked writes
   * pile up in the send buffer until the flush ends, so the slow-client check looks at this instead.
   */
  backlogBeforeFlush: number | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly log: FastifyBaseLogger,
    readonly reqId: string,
  ) {}

  topics(): string[] {
    const topics: string[] = [];
    if (this.fleet) topics.push('printers');
    if (this.jobs) topics.push('jobs');
    for (const id of [...this.printers].sort((a, b) => a - b)) topics.push(`printer:${id}`);
    return topics;
  }
}

/**
 * The `/ws` fan-out. One bus listener per event type for the whole process; printer patches are
 * merged per printer and flushed by ONE timer every `flushMs`; each outgoing message is serialised
 * once and the same buffer is written to every subscriber. Sends are never awaited: a client whose
 * socket backs up past `maxBufferedBytes` is dropped instead of slowing anyone else.
 */
export class LiveHub {
  readonly #clients = new Set<Client>();
  readonly #fleet = new Set<Client>();
  readonly #jobs = new Set<Client>();
  readonly #byPrinter = new Map<number, Set<Client>>();
  readonly #pending = new Map<number, PendingDelta>();
  /** When a delta about each printer last went out (performance.now()), for the readings interval. */
  readonly #lastSent = new Map<number, number>();
  readonly #unsubscribe: (() => void)[] = [];
  #flushTimer: NodeJS.Timeout | null = null;
  /** When the armed flush timer fires (performance.now()). */
  #flushAt = Infinity;
  #heartbeat: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    private readonly deps: HubDependencies,
    private readonly timing: HubTiming = DEFAULT_TIMING,
  ) {}

  start(): void {
    if (this.#stopped || this.#heartbeat) return;
    const { bus } = this.deps;
    this.#unsubscribe.push(
      bus.on('printer_state', (event) => this.#onPrinterState(event)),
      bus.on('job_started', (event) => this.#onJob('job_started', event)),
      bus.on('job_update', (event) => this.#onJob('job_update', event)),
      bus.on('job_completed', (event) => this.#onJob('job_completed', event)),
      bus.on('printer_config', (event) => this.#onPrinterConfig(event)),
      bus.on('printers_reordered', ({ printerIds }) => this.#onReordered(printerIds)),
    );
    this.#heartbeat = setInterval(() => this.#beat(), this.timing.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Takes over a freshly upgraded socket. Attaches every listener synchronously (nothing is missed). */
  accept(socket: WebSocket, admission: Admission): void {
    const client = new Client(socket, admission.log, admission.reqId);
    if (this.#stopped) {
      socket.close(CLOSE.goingAway, 'Server shutting down');
      return;
    }
    this.#clients.add(client);
    socket.on('message', (data, isBinary) => this.#enqueue(client, () => this.#handle(client, data, isBinary)));
    socket.on('pong', () => {
      client.awaitingPong = false;
    });
    socket.on('close', (code) => this.#forget(client, code));

    if (!admission.perimeterOk) {
      this.#close(client, CLOSE.unauthorized, 'Invalid or missing API key');
      return;
    }
    client.authTimer = setTimeout(() => this.#close(client, CLOSE.unauthorized, 'Authentication timeout'), this.timing.authTimeoutMs);
    client.authTimer.unref();
    const { token } = admission;
    if (token !== null) this.#enqueue(client, () => this.#authenticate(client, token), true);
  }

  /** Stops listening, closes every connection (1001) and waits (briefly) for them to go. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#heartbeat = this.#flushTimer = null;
    this.#pending.clear();
    this.#lastSent.clear();

    const gone = [...this.#clients].map(
      (client) =>
        new Promise<void>((resolve) =>
          client.socket.readyState === WebSocket.CLOSED ? resolve() : client.socket.once('close', () => resolve()),
        ),
    );
    for (const client of this.#clients) this.#close(client, CLOSE.goingAway, 'Server shutting down');
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(gone), new Promise<void>((resolve) => (deadline = setTimeout(resolve, this.timing.closeGraceMs * 2)))]);
    clearTimeout(deadline);
    for (const client of this.#clients) client.socket.terminate();
  }

  // ---- incoming -------------------------------------------------------------------------------

  /** Runs a connection's work in arrival order (auth before the subscribe sent right after it). */
  #enqueue(client: Client, task: () => void | Promise<void>, internal = false): void {
    if (client.detached) return;
    if (!internal && client.queued >= MAX_QUEUED) {
      this.#error(client, { code: 'too_many_messages', detail: 'Too many messages in flight; slow down' });
      return;
    }
    client.queued++;
    client.queue = client.queue
      .then(task)
      .catch((error: unknown) => client.log.error({ err: error }, 'live: handling a client message failed'))
      .then(() => {
        client.queued--;
      });
  }

  async #handle(client: Client, data: RawData, isBinary: boolean): Promise<void> {
    if (client.detached) return;
    if (isBinary) return this.#error(client, { code: 'malformed_message', detail: 'Binary frames are not supported; send JSON text' });
    const message = parseClientMessage(frameText(data));
    if ('error' in message) return this.#error(client, message.error);
    if (message.type === 'auth') return this.#authenticate(client, message.token);
    if (client.user === null)
      return this.#error(client, { code: 'not_authenticated', detail: 'Not authenticated: send {"type":"auth","token":"…"} first' });
    return this.#dispatch(client, message);
  }

  async #dispatch(client: Client, message: Exclude<ClientMessage, { type: 'auth' }>): Promise<void> {
    switch (message.type) {
      case 'ping':
        return this.#reply(client, { type: 'pong', data: {}, ts: Date.now() });
      case 'subscribe':
        return this.#subscribe(client, message.topics);
      case 'unsubscribe':
        return this.#unsubscribeTopics(client, message.topics);
    }
  }

  async #authenticate(client: Client, token: string): Promise<void> {
    if (client.detached) return;
    if (token === '') return this.#close(client, CLOSE.unauthorized, 'Not authenticated');
    let user: AuthUser;
    try {
      user = await this.deps.authenticate(token);
    } catch (error) {
      if (client.detached) return;
      if (error instanceof HttpError && error.statusCode === 401) return this.#close(client, CLOSE.unauthorized, error.detail);
      client.log.error({ err: error }, 'live: could not check credentials');
      return this.#close(client, CLOSE.internalError, 'Could not check credentials');
    }
    if (client.detached) return;
    // Every role (viewer and up) may watch; the role is read from the database, as over HTTP.
    const first = client.user === null;
    client.user = user;
    client.token = token;
    if (client.authTimer) clearTimeout(client.authTimer);
    client.authTimer = null;
    if (!first) {
      // A fresh token for an open connection (the old one is about to expire): nothing else changes.
      this.#welcome(client);
      return;
    }
    const names = await this.#names();
    if (client.detached) return;
    this.#apply(client, { fleet: true, jobs: true, printers: [] });
    client.log.info({ user: user.username }, 'live: client connected');
    this.#welcome(client);
    this.#snapshot(client, names, { fleet: true, jobs: true, printers: [] });
  }

  async #subscribe(client: Client, raw: readonly string[]): Promise<void> {
    const topics = parseTopics(raw);
    const wantsPrinters = topics.fleet || topics.printers.length > 0;
    const names = wantsPrinters ? await this.#names() : null;
    if (client.detached) return;
    // From here on everything is synchronous: the snapshot reads the live state in the same turn the
    // client joins the topic sets, so no change can fall between the snapshot and the first delta.
    // (The defaults hold no printer topics, so this count is right before they are replaced.)
    const added = new Set(topics.printers.filter((id) => !client.printers.has(id))).size;
    if (client.printers.size + added > MAX_PRINTER_TOPICS)
      return this.#error(client, { code: 'too_many_topics', detail: `At most ${MAX_PRINTER_TOPICS} printer topics per connection` });
    if (client.defaults) {
      client.defaults = false;
      this.#clear(client);
    }
    this.#apply(client, topics);
    if (names) this.#snapshot(client, names, topics);
    this.#reply(client, { type: 'subscribed', data: { topics: client.topics() }, ts: Date.now() });
  }

  #unsubscribeTopics(client: Client, raw: readonly string[]): void {
    const topics = parseTopics(raw);
    client.defaults = false;
    if (topics.fleet && client.fleet) {
      client.fleet = false;
      this.#fleet.delete(client);
    }
    if (topics.jobs && client.jobs) {
      client.jobs = false;
      this.#jobs.delete(client);
    }
    for (const id of topics.printers) this.#leavePrinter(client, id);
    this.#reply(client, { type: 'unsubscribed', data: { topics: client.topics() }, ts: Date.now() });
  }

  #apply(client: Client, topics: TopicSet): void {
    if (topics.fleet) {
      client.fleet = true;
      this.#fleet.add(client);
    }
    if (topics.jobs) {
      client.jobs = true;
      this.#jobs.add(client);
    }
    for (const id of topics.printers) {
      client.printers.add(id);
      let set = this.#byPrinter.get(id);
      if (!set) this.#byPrinter.set(id, (set = new Set()));
      set.add(client);
    }
  }

  #leavePrinter(client: Client, id: number): void {
    if (!client.printers.delete(id)) return;
    const set = this.#byPrinter.get(id);
    set?.delete(client);
    if (set?.size === 0) this.#byPrinter.delete(id);
  }

  #clear(client: Client): void {
    client.fleet = client.jobs = false;
    this.#fleet.delete(client);
    this.#jobs.delete(client);
    for (const id of [...client.printers]) this.#leavePrinter(client, id);
  }

  // ---- outgoing -------------------------------------------------------------------------------

  #welcome(client: Client): void {
    const user = client.user;
    if (!user) return;
    this.#reply(client, {
      type: 'welcome',
      data: { user: { id: user.id, username: user.username, role: user.role }, topics: client.topics() },
      ts: Date.now(),
    });
  }

  /** One `printer_snapshot` for the printers the topics cover (the whole fleet, or the listed ones). */
  #snapshot(client: Client, names: Map<number, string>, topics: TopicSet): void {
    const { live } = this.deps;
    let ids: number[];
    if (topics.fleet) ids = [...new Set([...names.keys(), ...live.all().keys()])];
    else ids = [...new Set(topics.printers)].filter((id) => names.has(id) || live.has(id));
    ids.sort((a, b) => a - b);
    const printers: PrinterSnapshotEntry[] = ids.map((id) => ({ printer_id: id, name: names.get(id) ?? null, ...live.get(id) }));
    this.#reply(client, { type: 'printer_snapshot', data: { printers }, ts: Date.now() });
  }

  async #names(): Promise<Map<number, string>> {
    try {
      return await this.deps.printerNames();
    } catch (error) {
      this.deps.log.warn({ err: error }, 'live: could not read printer names for a snapshot');
      return new Map();
    }
  }

  #error(client: Client, error: LiveError): void {
    this.#reply(client, { type: 'error', data: error, ts: Date.now() });
  }

  /** A message for one client only (welcome, snapshot, replies). */
  #reply(client: Client, message: ServerMessage): void {
    this.#send(client, encode(message));
  }

  /** Never blocks: writes to the socket's buffer, or drops the client when that buffer is too full. */
  #send(client: Client, frame: Buffer): void {
    const { socket } = client;
    if (client.detached || socket.readyState !== WebSocket.OPEN) return;
    if ((client.backlogBeforeFlush ?? socket.bufferedAmount) > this.timing.maxBufferedBytes) {
      this.deps.log.warn(
        { reqId: client.reqId, user: client.user?.username ?? null, bufferedBytes: socket.bufferedAmount },
        'live: client too slow (send buffer over the limit), dropping it',
      );
      this.#close(client, CLOSE.tryAgainLater, 'client too slow');
      return;
    }
    socket.send(frame, { binary: false });
  }

  #onPrinterState({ printerId, patch }: OdinEvents['printer_state']): void {
    // Nobody watching this printer: nothing to buffer (a later subscriber gets a snapshot anyway).
    if (this.#fleet.size === 0 && !this.#byPrinter.has(printerId)) return;
    let pending = this.#pending.get(printerId);
    if (pending) Object.assign(pending.changes, patch);
    else this.#pending.set(printerId, (pending = { changes: { ...patch }, prompt: false }));
    if (!pending.prompt) {
      for (const key in patch) {
        if (!isReading(key)) {
          pending.prompt = true;
          break;
        }
      }
    }
    const now = performance.now();
    // A printer's first change is not held back; readings of a printer already sent wait for the clock.
    this.#armFlush(pending.prompt || !this.#lastSent.has(printerId) ? now + this.timing.flushMs : this.#nextReadingsTick(now));
  }

  /** The fleet-wide readings clock: the first tick after `now`. */
  #nextReadingsTick(now: number): number {
    const { readingsMs } = this.timing;
    return (Math.floor(now / readingsMs) + 1) * readingsMs;
  }

  /** Makes sure a flush happens by `at` (performance.now()); an earlier armed one stands. */
  #armFlush(at: number): void {
    if (this.#stopped || (this.#flushTimer && this.#flushAt <= at)) return;
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushAt = at;
    this.#flushTimer = setTimeout(() => this.#flush(), Math.max(0, at - performance.now()));
    this.#flushTimer.unref();
  }

  /**
   * Sends the buffered printer changes that are due: one message per printer, serialised once for
   * all its subscribers. Readings-only changes wait for their printer's readings interval, except
   * those of `printer` (an event about it is next and must not overtake them). Each client's socket
   * is corked for the round, so a flush is one write per client, not one per message.
   */
  #flush(printer: number | null = null): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#flushAt = Infinity;
    if (this.#pending.size === 0) return;
    const now = performance.now();
    // Readings are due for a printer last sent before the latest tick's predecessor (half a flush of
    // slack for a timer that fires a little late): at most one readings message per tick and printer.
    const { readingsMs, flushMs } = this.timing;
    const readingsDue = Math.floor((now + flushMs / 2) / readingsMs) * readingsMs - readingsMs + flushMs / 2;
    const ts = Date.now();
    const corked = this.#cork();
    try {
      for (const [printerId, pending] of this.#pending) {
        if (!pending.prompt && printerId !== printer && (this.#lastSent.get(printerId) ?? -Infinity) > readingsDue) continue;
        this.#pending.delete(printerId);
        if (this.#fleet.size === 0 && !this.#byPrinter.has(printerId)) continue;
        this.#lastSent.set(printerId, now);
        const { changes } = pending;
        this.#sendAbout(printerId, encode({ type: deltaType(changes), data: { printer_id: printerId, changes }, ts }));
      }
    } finally {
      this.#uncork(corked);
    }
    if (this.#pending.size > 0) this.#armFlush(this.#nextReadingsTick(now));
  }

  /** Corks the TCP socket of every connected client; `#uncork` undoes it. */
  #cork(): { client: Client; socket: Duplex }[] {
    const corked: { client: Client; socket: Duplex }[] = [];
    for (const client of this.#clients) {
      const socket = client.detached ? null : tcpSocketOf(client.socket);
      if (!socket) continue;
      client.backlogBeforeFlush = client.socket.bufferedAmount;
      socket.cork();
      corked.push({ client, socket });
    }
    return corked;
  }

  #uncork(corked: { client: Client; socket: Duplex }[]): void {
    for (const { client, socket } of corked) {
      client.backlogBeforeFlush = null;
      socket.uncork();
    }
  }

  /** To everyone following the fleet or this printer, once each. */
  #sendAbout(printerId: number, frame: Buffer): void {
    for (const client of this.#fleet) this.#send(client, frame);
    const targeted = this.#byPrinter.get(printerId);
    if (targeted) {
      for (const client of targeted) if (!client.fleet) this.#send(client, frame);
    }
  }

  /** A printer added, edited or removed through the API: open pages follow without a reload. */
  #onPrinterConfig(event: PrinterConfigEvent): void {
    const { printerId } = event;
    if (this.#fleet.size === 0 && !this.#byPrinter.has(printerId)) return;
    // Changes that happened before this event go out first, so clients see them in bus order.
    this.#flush(printerId);
    const ts = Date.now();
    let message: ServerMessage;
    switch (event.change) {
      case 'added':
        // The complete entry: clients add the printer from this alone.
        message = {
          type: 'printer_added',
          data: { printer_id: printerId, printer: event.printer, state: this.deps.live.get(printerId) },
          ts,
        };
        break;
      case 'updated':
        message = { type: 'printer_updated', data: { printer_id: printerId, changes: event.changes }, ts };
        break;
      case 'removed':
        this.#lastSent.delete(printerId);
        message = { type: 'printer_removed', data: { printer_id: printerId }, ts };
        break;
    }
    this.#sendAbout(printerId, encode(message));
  }

  #onReordered(printerIds: number[]): void {
    if (this.#fleet.size === 0) return;
    this.#flush();
    const frame = encode({ type: 'printers_reordered', data: { printer_ids: printerIds }, ts: Date.now() });
    for (const client of this.#fleet) this.#send(client, frame);
  }

  #onJob(type: 'job_started' | 'job_update' | 'job_completed', event: PrintJobEvent): void {
    if (this.#jobs.size === 0) return;
    // Printer changes that happened before this job event go out first, so clients see them in bus
    // order; readings of other printers may wait, as they would have without the event.
    this.#flush(event.printer_id);
    const frame = encode({ type, data: event, ts: Date.now() });
    for (const client of this.#jobs) this.#send(client, frame);
  }

  /** Heartbeat round: terminate who missed the last one, ping everyone, re-check every session. */
  #beat(): void {
    const frame = encode({ type: 'ping', data: {}, ts: Date.now() });
    for (const client of this.#clients) {
      if (client.detached) continue;
      if (client.awaitingPong) {
        client.log.info({ user: client.user?.username ?? null }, 'live: client missed a heartbeat, terminating it');
        client.closeReason = 'missed heartbeat';
        this.#detach(client);
        client.socket.terminate();
        continue;
      }
      client.awaitingPong = true;
      try {
        client.socket.ping();
      } catch {
        // Not open any more: the close handler cleans up.
      }
      if (client.user) {
        this.#send(client, frame);
        // A session ends over WebSocket as it does over HTTP: revoked, expired, disabled → closed.
        this.#enqueue(client, () => this.#recheck(client), true);
      }
    }
  }

  async #recheck(client: Client): Promise<void> {
    const token = client.token;
    if (client.detached || token === null) return;
    try {
      const user = await this.deps.authenticate(token);
      if (client.token === token) client.user = user;
    } catch (error) {
      if (client.detached || client.token !== token) return;
      if (error instanceof HttpError && error.statusCode === 401) return this.#close(client, CLOSE.unauthorized, error.detail);
      client.log.warn({ err: error }, 'live: could not re-check a session; keeping the connection');
    }
  }

  // ---- leaving --------------------------------------------------------------------------------

  /** Takes the client out of every topic: from now on it receives nothing. */
  #detach(client: Client): void {
    if (client.detached) return;
    client.detached = true;
    this.#clear(client);
    if (client.authTimer) clearTimeout(client.authTimer);
    client.authTimer = null;
  }

  /** Closing handshake with a code; a peer that does not complete it within the grace period is cut off. */
  #close(client: Client, code: number, reason: string): void {
    client.closeReason ??= `${code} ${reason}`;
    this.#detach(client);
    const { socket } = client;
    if (socket.readyState === WebSocket.CLOSED) return;
    try {
      socket.close(code, closeReason(reason));
    } catch {
      socket.terminate();
      return;
    }
    if (!client.killTimer) {
      client.killTimer = setTimeout(() => socket.terminate(), this.timing.closeGraceMs);
      client.killTimer.unref();
    }
  }

  #forget(client: Client, code: number): void {
    client.log.info(
      { user: client.user?.username ?? null, code, closedBy: client.closeReason ?? 'client', ms: Date.now() - client.openedAt },
      client.user ? 'live: client disconnected' : 'live: connection closed before authenticating',
    );
    this.#detach(client);
    if (client.killTimer) clearTimeout(client.killTimer);
    client.killTimer = null;
    this.#clients.delete(client);
  }
}

function encode(message: ServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** A printer's changes waiting for the next flush; `prompt` once any of them is more than a reading. */
interface PendingDelta {
  changes: PrinterStatePatch;
  prompt: boolean;
}

/**
 * The TCP socket under a ws WebSocket, to cork it while a flush writes several messages. ws keeps
 * it in `_socket`, outside its typings; null when it is not there (the flush then writes uncorked).
 */
function tcpSocketOf(socket: WebSocket): Duplex | null {
  const underlying: unknown = Reflect.get(socket, '_socket');
  return underlying instanceof Duplex ? underlying : null;
}

/** Close reasons are limited to 123 bytes of UTF-8. */
function closeReason(reason: string): string {
  const bytes = Buffer.from(reason);
  return bytes.length <= 123
    ? reason
    : bytes
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD$/, '') + '...';
}
