import { randomUUID } from 'node:crypto';

import { type RawData, WebSocket } from 'ws';

import type { DriverListener, DriverLogger, PrinterConnection } from '../../driver.js';
import { foldState, type PrinterState } from '../../state.js';
import {
  classifyFrame,
  CMD,
  type JsonRecord,
  mergeStatus,
  parseAttributes,
  requestFrame,
  SDCP_DEFAULT_PORT,
  type SdcpAttributes,
  ticksInMilliseconds,
} from './messages.js';
import { describeNetworkError, formatSeconds, noAnswer } from './network-errors.js';
import { jobRunning, type JobSnapshot, jobSnapshot, normalise, otherActivity } from './normalise.js';

/** Where an SDCP printer lives. */
export class SdcpEndpoint {
  readonly hostPort: string;
  readonly host: string;
  readonly httpBase: string;
  readonly wsUrl: string;

  constructor(connection: Pick<PrinterConnection, 'host' | 'port'>) {
    const port = connection.port ?? SDCP_DEFAULT_PORT;
    this.host = connection.host.includes(':') && !connection.host.startsWith('[') ? `[${connection.host}]` : connection.host;
    this.hostPort = `${this.host}:${port}`;
    this.httpBase = `http://${this.hostPort}`;
    this.wsUrl = `ws://${this.hostPort}/websocket`;
  }
}

export interface SessionSettings {
  endpoint: SdcpEndpoint;
  logger: DriverLogger;
  printerId: number;
  requestTimeoutMs: number;
  /** Text `ping` interval; the session ends after two intervals without any message. */
  keepaliveMs: number;
  /** Fail set-up unless the printer sends its attributes (the connection test wants them). */
  requireAttributes?: boolean;
}

/** No reply to a request within the time limit. */
export class SdcpTimeoutError extends Error {
  constructor(readonly cmd: number) {
    super(`no reply to Cmd ${cmd}`);
    this.name = 'SdcpTimeoutError';
  }
}

/** The session ended with the request still waiting. */
export class SdcpClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SdcpClosedError';
  }
}

interface Pending {
  cmd: number;
  resolve: (data: JsonRecord) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type Phase = 'connecting' | 'live' | 'closed';

/** At most this many malformed-frame warnings per minute per session; the rest are counted. */
const WARNINGS_PER_MINUTE = 10;
const NO_LISTENER: DriverListener = { onState: () => undefined, onDisconnect: () => undefined };

/**
 * One websocket session with an SDCP v3 printer: ask attributes (Cmd 1) and status (Cmd 0) →
 * merge (partial) status pushes → emit normalised patches; requests correlated by RequestID;
 * text `ping` keepalive (the Centauri Carbon drops sockets without client traffic after ~60 s)
 * and a silence limit of two ping intervals. The driver makes one per `connect()`.
 */
export class SdcpSession {
  readonly #sessionId = randomUUID().replaceAll('-', '');
  readonly #pending = new Map<string, Pending>();
  readonly #errorWatchers = new Set<(code: unknown) => void>();
  #phase: Phase = 'connecting';
  #ws: WebSocket | null = null;
  #settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #status: JsonRecord = {};
  #gotStatus = false;
  #attributes: SdcpAttributes | null = null;
  #sawFrame = false;
  #sawSdcp = false;
  #jobSeen = false;
  #lastJob: JobSnapshot | null = null;
  #last: PrinterState | null = null;
  #setupTimer: NodeJS.Timeout | null = null;
  #pingTimer: NodeJS.Timeout | null = null;
  #silenceTimer: NodeJS.Timeout | null = null;
  #warnWindowStart = 0;
  #warnCount = 0;
  #warnSuppressed = 0;

  constructor(
    private readonly settings: SessionSettings,
    private readonly listener: DriverListener = NO_LISTENER,
  ) {}

  get live(): boolean {
    return this.#phase === 'live';
  }

  get attributes(): SdcpAttributes | null {
    return this.#attributes;
  }

  /** The merged status as last received (read-only use). */
  get status(): Readonly<JsonRecord> {
    return this.#status;
  }

  /** Resolves once attributes and the first status arrived and the first full state was emitted. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
      const { endpoint, requestTimeoutMs } = this.settings;
      let ws: WebSocket;
      try {
        ws = new WebSocket(endpoint.wsUrl, {
          handshakeTimeout: requestTimeoutMs,
          perMessageDeflate: false,
          followRedirects: false,
          maxPayload: 4 * 1024 * 1024,
        });
      } catch (err) {
        this.#fail(`Invalid printer address ${endpoint.hostPort}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      this.#ws = ws;
      ws.on('open', () => this.#guard(() => this.#onOpen()));
      ws.on('message', (data, isBinary) => this.#guard(() => this.#onFrame(data, isBinary)));
      ws.on('unexpected-response', (_req, res) =>
        this.#guard(() => {
          const status = res.statusCode ?? 0;
          res.resume();
          this.#fail(`${endpoint.hostPort} answered HTTP ${status} to /websocket — is this an Elegoo SDCP printer?`);
        }),
      );
      ws.on('error', (err) =>
        this.#guard(() => {
          if (this.#phase === 'connecting') this.#fail(describeNetworkError(err, endpoint.hostPort, requestTimeoutMs));
          else this.#log('debug', { err: err.message }, 'websocket error');
        }),
      );
      ws.on('close', (code, reason) => this.#guard(() => this.#onClose(code, reason.toString('utf8'))));
    });
  }

  /** Ends the session quietly (no onDisconnect). Safe at any time, also twice. */
  async close(): Promise<void> {
    const phase = this.#phase;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#failAll('session closed');
    if (phase === 'connecting') this.#settle?.reject(new Error('The connection was closed before it was set up'));
    this.#settle = null;
    const ws = this.#ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    if (ws.readyState !== WebSocket.OPEN) {
      ws.terminate();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      timer.unref();
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.close(1000, 'ODIN closed the session');
    });
  }

  /**
   * Sends a request and resolves with the reply's inner `Data` (`{Ack, …}`). Rejects with
   * SdcpTimeoutError or SdcpClosedError; never throws synchronously.
   */
  request(cmd: number, data: JsonRecord = {}, timeoutMs = this.settings.requestTimeoutMs): Promise<JsonRecord> {
    return new Promise<JsonRecord>((resolve, reject) => {
      const ws = this.#ws;
      if (this.#phase === 'closed' || !ws || ws.readyState !== WebSocket.OPEN) {
        reject(new SdcpClosedError('the connection to the printer is not open'));
        return;
      }
      const requestId = randomUUID().replaceAll('-', '');
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new SdcpTimeoutError(cmd));
      }, timeoutMs);
      this.#pending.set(requestId, { cmd, resolve, reject, timer });
      const mainboardId = this.#attributes?.mainboardId ?? '';
      ws.send(requestFrame(cmd, data, requestId, mainboardId, this.#sessionId), (err) => {
        if (!err) return;
        const pending = this.#pending.get(requestId);
        if (!pending) return;
        clearTimeout(pending.timer);
        this.#pending.delete(requestId);
        pending.reject(new SdcpClosedError(`sending Cmd ${cmd} failed: ${err.message}`));
      });
    });
  }

  /** Calls `watcher` with the ErrorCode of every `sdcp/error` until the returned function is called. */
  watchErrors(watcher: (code: unknown) => void): () => void {
    this.#errorWatchers.add(watcher);
    return () => this.#errorWatchers.delete(watcher);
  }

  // ---- set-up ------------------------------------------------------------------------------------

  #onOpen(): void {
    if (this.#phase !== 'connecting') return;
    const { requestTimeoutMs, endpoint } = this.settings;
    // The printer answers in order: attributes first, so the first status is read with them known.
    this.request(CMD.attributes).catch(() => undefined);
    this.request(CMD.status).catch(() => undefined);
    this.#setupTimer = setTimeout(
      () =>
        this.#guard(() => {
          if (this.#gotStatus && !this.settings.requireAttributes) {
            this.#log('warn', {}, 'the printer sent no attributes; continuing without them');
            this.#goLive();
            return;
          }
          if (this.#gotStatus)
            this.#fail(`${endpoint.hostPort} speaks SDCP but did not send its attributes within ${formatSeconds(requestTimeoutMs)} s`);
          else if (this.#sawSdcp)
            this.#fail(`${endpoint.hostPort} speaks SDCP but sent no status within ${formatSeconds(requestTimeoutMs)} s`);
          else if (this.#sawFrame)
            this.#fail(`${endpoint.hostPort} answered on /websocket, but not with SDCP messages — is this an Elegoo SDCP printer?`);
          else this.#fail(noAnswer(endpoint.hostPort, requestTimeoutMs));
        }),
      requestTimeoutMs,
    );
  }

  #maybeGoLive(): void {
    if (this.#phase === 'connecting' && this.#gotStatus && this.#attributes) this.#goLive();
  }

  #goLive(): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'live';
    if (this.#setupTimer) clearTimeout(this.#setupTimer);
    this.#setupTimer = null;
    const interval = this.settings.keepaliveMs;
    this.#pingTimer = setInterval(() => this.#guard(() => this.#ping()), interval);
    this.#silenceTimer = setTimeout(() => this.#guard(() => this.#onSilence()), 2 * interval);
    this.#emit();
    const settle = this.#settle;
    this.#settle = null;
    settle?.resolve();
  }

  // ---- frames ------------------------------------------------------------------------------------

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.#phase === 'closed') return;
    this.#sawFrame = true;
    // Any message proves the printer is there.
    this.#silenceTimer?.refresh();
    if (isBinary) {
      this.#warn({ bytes: rawLength(data) }, 'the printer sent a binary frame; dropped');
      this.#alive();
      return;
    }
    const text = rawToString(data);
    const frame = classifyFrame(text);
    switch (frame.kind) {
      case 'pong':
        this.#alive();
        return;
      case 'malformed':
        this.#warn({ reason: frame.reason, sample: text.slice(0, 120) }, 'the printer sent a malformed frame; dropped');
        this.#alive();
        return;
      case 'response': {
        this.#sawSdcp = true;
        const pending = this.#pending.get(frame.requestId);
        if (!pending) {
          // Replies to other clients (the printer's web UI, a slicer) may reach every socket.
          this.#log('debug', { requestId: frame.requestId, cmd: frame.cmd }, 'reply to a request of another client; ignored');
          this.#alive();
          return;
        }
        clearTimeout(pending.timer);
        this.#pending.delete(frame.requestId);
        pending.resolve(frame.data);
        this.#alive();
        return;
      }
      case 'attributes':
        this.#sawSdcp = true;
        this.#attributes = parseAttributes(frame.attributes);
        this.#maybeGoLive();
        if (this.#phase === 'live') this.#emit();
        return;
      case 'status': {
        this.#sawSdcp = true;
        const rejected = mergeStatus(this.#status, frame.status);
        if (rejected.length > 0) this.#warn({ rejected }, 'the printer sent malformed status fields; dropped');
        this.#gotStatus = true;
        this.#maybeGoLive();
        if (this.#phase === 'live') this.#emit();
        return;
      }
      case 'error': {
        this.#sawSdcp = true;
        const code = frame.data['ErrorCode'];
        this.#log('warn', { errorCode: code }, 'the printer reported an error');
        for (const watcher of this.#errorWatchers) watcher(code);
        this.#alive();
        return;
      }
      case 'notice':
        this.#sawSdcp = true;
        this.#log('info', { notice: frame.data }, 'printer notice');
        this.#alive();
        return;
    }
  }

  #emit(): void {
    if (this.#phase !== 'live') return;
    // "Job active" comes from CurrentStatus: the sub-state keeps its last value after a job.
    if (jobRunning(this.#status)) this.#jobSeen = true;
    else if (otherActivity(this.#status)) this.#jobSeen = false;
    const next = normalise(this.#status, {
      jobSeen: this.#jobSeen,
      ticksInMs: ticksInMilliseconds(this.#attributes),
      lastJob: this.#jobSeen ? this.#lastJob : null,
    });
    if (next.status === 'idle') this.#jobSeen = false;
    if (next.status === 'preparing' || next.status === 'printing' || next.status === 'paused') this.#lastJob = jobSnapshot(next);
    else if (!this.#jobSeen) this.#lastJob = null;
    const { state, patch } = foldState(this.#last, next);
    this.#last = state;
    if (!patch) {
      this.#alive();
      return;
    }
    try {
      this.listener.onState(patch);
    } catch (err) {
      this.#log('error', { err: err instanceof Error ? err.message : String(err) }, 'state listener threw');
    }
  }

  #alive(): void {
    if (this.#phase !== 'live') return;
    try {
      this.listener.onAlive?.();
    } catch (err) {
      this.#log('error', { err: err instanceof Error ? err.message : String(err) }, 'alive listener threw');
    }
  }

  // ---- keepalive and the end of a session --------------------------------------------------------

  #ping(): void {
    const ws = this.#ws;
    if (this.#phase !== 'live' || !ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send('ping');
  }

  #onSilence(): void {
    this.#end(`No message from the printer for ${formatSeconds(2 * this.settings.keepaliveMs)} s (keepalive)`);
  }

  #onClose(code: number, reason: string): void {
    const { hostPort } = this.settings.endpoint;
    if (this.#phase === 'connecting') {
      this.#fail(`${hostPort} closed the connection during set-up (code ${code})`);
      return;
    }
    const detail =
      code === 1006
        ? 'The SDCP socket closed without a close frame (connection lost)'
        : `The printer closed the connection (code ${code}${reason ? `: ${reason}` : ''})`;
    this.#end(detail);
  }

  /** The live session is over: tidy up and tell the supervisor (once). */
  #end(reason: string): void {
    if (this.#phase !== 'live') return;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#failAll(reason);
    this.#ws?.terminate();
    this.#log('info', { reason }, 'SDCP session ended');
    try {
      this.listener.onDisconnect(reason);
    } catch (err) {
      this.#log('error', { err: err instanceof Error ? err.message : String(err) }, 'disconnect listener threw');
    }
  }

  /** Set-up failed: reject start() with words for the user. */
  #fail(message: string): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#failAll(message);
    this.#ws?.terminate();
    const settle = this.#settle;
    this.#settle = null;
    settle?.reject(new Error(message));
  }

  #failAll(reason: string): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(new SdcpClosedError(reason));
    }
  }

  #stopTimers(): void {
    for (const timer of [this.#setupTimer, this.#silenceTimer]) if (timer) clearTimeout(timer);
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#setupTimer = null;
    this.#silenceTimer = null;
    this.#pingTimer = null;
  }

  // ---- logging and containment --------------------------------------------------------------

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#log('error', { err: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 'SDCP event handler failed');
    }
  }

  #warn(obj: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    if (now - this.#warnWindowStart > 60_000) {
      if (this.#warnSuppressed > 0) this.#log('warn', { suppressed: this.#warnSuppressed }, 'more malformed SDCP frames were dropped');
      this.#warnWindowStart = now;
      this.#warnCount = 0;
      this.#warnSuppressed = 0;
    }
    if (this.#warnCount++ < WARNINGS_PER_MINUTE) this.#log('warn', obj, msg);
    else this.#warnSuppressed++;
  }

  #log(level: 'debug' | 'info' | 'warn' | 'error', obj: Record<string, unknown>, msg: string): void {
    try {
      this.settings.logger[level]({ printerId: this.settings.printerId, protocol: 'sdcp', ...obj }, msg);
    } catch {
      // A broken logger must not break the session.
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}
