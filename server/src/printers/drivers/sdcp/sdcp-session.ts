import { randomUUID } from 'node:crypto';

import { type RawData, WebSocket } from 'ws';

import { frameText } from '../../../core/http/ws-frame.js';
import type { DriverListener, DriverLogger, PrinterConnection } from '../../driver.js';
import { foldState, type PrinterState } from '../../state.js';
import { urlHost } from '../shared/address.js';
import { describeNetworkError, formatSeconds, noAnswer } from '../shared/network-errors.js';
import { PendingRequests, RequestClosedError } from '../shared/pending-requests.js';
import { SessionLog } from '../shared/session-log.js';
import { closeWebSocket, openWebSocket, rawLength } from '../shared/websocket.js';
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
import { jobRunning, type JobSnapshot, jobSnapshot, normalise, otherActivity } from './normalise.js';

/** Where an SDCP printer lives. */
export class SdcpEndpoint {
  readonly hostPort: string;
  readonly host: string;
  readonly httpBase: string;
  readonly wsUrl: string;

  constructor(connection: Pick<PrinterConnection, 'host' | 'port'>) {
    const port = connection.port ?? SDCP_DEFAULT_PORT;
    this.host = urlHost(connection.host);
    this.hostPort = `${this.host}:${port}`;
    this.httpBase = `http://${this.hostPort}`;
    this.wsUrl = `ws://${this.hostPort}/websocket`;
  }

  /** Words for a websocket or upload that could not reach this printer. */
  describeNetworkError(err: unknown, timeoutMs: number): string {
    return describeNetworkError(err, this.hostPort, timeoutMs, { refused: 'is this an Elegoo printer with SDCP (port 3030)?' });
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

type Phase = 'connecting' | 'live' | 'closed';

const NO_LISTENER: DriverListener = { onState: () => undefined, onDisconnect: () => undefined };

/**
 * One websocket session with an SDCP v3 printer: ask attributes (Cmd 1) and status (Cmd 0) →
 * merge (partial) status pushes → emit normalised patches; requests correlated by RequestID;
 * text `ping` keepalive (the Centauri Carbon drops sockets without client traffic after ~60 s)
 * and a silence limit of two ping intervals. The driver makes one per `connect()`.
 */
export class SdcpSession {
  readonly #sessionId = randomUUID().replaceAll('-', '');
  readonly #pending = new PendingRequests<string, undefined, JsonRecord>();
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
  readonly #log: SessionLog;

  constructor(
    private readonly settings: SessionSettings,
    private readonly listener: DriverListener = NO_LISTENER,
  ) {
    this.#log = new SessionLog(settings.logger, { printerId: settings.printerId, protocol: 'sdcp', label: 'SDCP', input: 'frames' });
  }

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
      try {
        this.#ws = openWebSocket(endpoint.wsUrl, { handshakeTimeout: requestTimeoutMs, maxPayload: 4 * 1024 * 1024 }, this.#log, {
          open: () => this.#onOpen(),
          message: (data, isBinary) => this.#onFrame(data, isBinary),
          refused: (status) => this.#fail(`${endpoint.hostPort} answered HTTP ${status} to /websocket — is this an Elegoo SDCP printer?`),
          error: (err) => {
            if (this.#phase === 'connecting') this.#fail(endpoint.describeNetworkError(err, requestTimeoutMs));
            else this.#log.write('debug', { err: err.message }, 'websocket error');
          },
          close: (code, reason) => this.#onClose(code, reason),
        });
      } catch (err) {
        this.#fail(`Invalid printer address ${endpoint.hostPort}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  /** Ends the session quietly (no onDisconnect). Safe at any time, also twice. */
  async close(): Promise<void> {
    const phase = this.#phase;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#pending.failAll('session closed');
    if (phase === 'connecting') this.#settle?.reject(new Error('The connection was closed before it was set up'));
    this.#settle = null;
    await closeWebSocket(this.#ws);
  }

  /**
   * Sends a request and resolves with the reply's inner `Data` (`{Ack, …}`). Rejects with
   * NoReplyError or RequestClosedError; never throws synchronously.
   */
  request(cmd: number, data: JsonRecord = {}, timeoutMs = this.settings.requestTimeoutMs): Promise<JsonRecord> {
    const ws = this.#ws;
    if (this.#phase === 'closed' || !ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new RequestClosedError('the connection to the printer is not open'));
    const requestId = randomUUID().replaceAll('-', '');
    const reply = this.#pending.wait(requestId, undefined, `Cmd ${cmd}`, timeoutMs);
    const mainboardId = this.#attributes?.mainboardId ?? '';
    ws.send(requestFrame(cmd, data, requestId, mainboardId, this.#sessionId), (err) => {
      if (err) this.#pending.fail(requestId, `sending Cmd ${cmd} failed: ${err.message}`);
    });
    return reply;
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
        this.#log.guard(() => {
          if (this.#gotStatus && !this.settings.requireAttributes) {
            this.#log.write('warn', {}, 'the printer sent no attributes; continuing without them');
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
    this.#pingTimer = setInterval(() => this.#log.guard(() => this.#ping()), interval);
    this.#silenceTimer = setTimeout(() => this.#log.guard(() => this.#onSilence()), 2 * interval);
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
      this.#log.dropped({ bytes: rawLength(data) }, 'the printer sent a binary frame; dropped');
      this.#alive();
      return;
    }
    const text = frameText(data);
    const frame = classifyFrame(text);
    switch (frame.kind) {
      case 'pong':
        this.#alive();
        return;
      case 'malformed':
        this.#log.dropped({ reason: frame.reason, sample: text.slice(0, 120) }, 'the printer sent a malformed frame; dropped');
        this.#alive();
        return;
      case 'response': {
        this.#sawSdcp = true;
        const pending = this.#pending.take(frame.requestId);
        if (!pending) {
          // Replies to other clients (the printer's web UI, a slicer) may reach every socket.
          this.#log.write('debug', { requestId: frame.requestId, cmd: frame.cmd }, 'reply to a request of another client; ignored');
          this.#alive();
          return;
        }
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
        if (rejected.length > 0) this.#log.dropped({ rejected }, 'the printer sent malformed status fields; dropped');
        this.#gotStatus = true;
        this.#maybeGoLive();
        if (this.#phase === 'live') this.#emit();
        return;
      }
      case 'error': {
        this.#sawSdcp = true;
        const code = frame.data['ErrorCode'];
        this.#log.write('warn', { errorCode: code }, 'the printer reported an error');
        for (const watcher of this.#errorWatchers) watcher(code);
        this.#alive();
        return;
      }
      case 'notice':
        this.#sawSdcp = true;
        this.#log.write('info', { notice: frame.data }, 'printer notice');
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
    this.#log.tell('state', () => this.listener.onState(patch));
  }

  #alive(): void {
    if (this.#phase !== 'live') return;
    this.#log.tell('alive', () => this.listener.onAlive?.());
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
    this.#pending.failAll(reason);
    this.#ws?.terminate();
    this.#log.write('info', { reason }, 'SDCP session ended');
    this.#log.tell('disconnect', () => this.listener.onDisconnect(reason));
  }

  /** Set-up failed: reject start() with words for the user. */
  #fail(message: string): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#pending.failAll(message);
    this.#ws?.terminate();
    const settle = this.#settle;
    this.#settle = null;
    settle?.reject(new Error(message));
  }

  #stopTimers(): void {
    for (const timer of [this.#setupTimer, this.#silenceTimer]) if (timer) clearTimeout(timer);
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#setupTimer = null;
    this.#silenceTimer = null;
    this.#pingTimer = null;
  }
}
