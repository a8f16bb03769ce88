import { type WebSocket } from 'ws';

import type { DriverListener, DriverLogger } from '../../driver.js';
import { foldState, type PrinterState } from '../../state.js';
import { formatSeconds, noAnswer } from '../shared/network-errors.js';
import { NoReplyError, RequestClosedError } from '../shared/pending-requests.js';
import { readingsSweep } from '../shared/readings-sweep.js';
import { SessionLog } from '../shared/session-log.js';
import { closeWebSocket, openWebSocket } from '../shared/websocket.js';
import { JsonRpcSocket, RpcError } from './json-rpc.js';
import {
  carriesOnlyReadings,
  CHAMBER_OBJECTS,
  isRecord,
  type KlippyState,
  mergeStatus,
  type ObjectCache,
  parseObjectList,
  parsePrinterInfo,
  parseServerInfo,
  parseStatusReply,
  subscriptionObjects,
} from './messages.js';
import type { MoonrakerEndpoint } from './moonraker-http.js';
import { normalise } from './normalise.js';

export interface SessionSettings {
  endpoint: MoonrakerEndpoint;
  logger: DriverLogger;
  printerId: number;
  requestTimeoutMs: number;
  keepaliveMs: number;
  pongTimeoutMs: number;
  klippyPollMs: number;
  /** Diffs of readings only are normalised and emitted at most once per this interval (ms). */
  readingsMs: number;
}

/** How ODIN introduces itself (`server.connection.identify`; shown in Moonraker's client list). */
const IDENTITY = { client_name: 'ODIN', version: '0.1.0', type: 'other', url: 'odin://print-farm-manager' } as const;

type Phase = 'connecting' | 'live' | 'closed';

/** Set-up failed in a way the user must hear about in these words. */
class SetupError extends Error {}

/**
 * One websocket session with a Moonraker: identify → server.info → (Klippy ready) subscribe →
 * merge diffs → emit normalised patches; follows Klippy through shutdown, disconnect and restart
 * without dropping the session; keepalive pings. The driver makes one per `connect()`.
 */
export class MoonrakerSession {
  #phase: Phase = 'connecting';
  #ws: WebSocket | null = null;
  #rpc: JsonRpcSocket | null = null;
  #settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #identified = false;
  #klippy: KlippyState = 'disconnected';
  #objects: ObjectCache = {};
  #subscribed = false;
  /** Bumped whenever Klippy's state or the subscription changes; late async results check it. */
  #generation = 0;
  #last: PrinterState | null = null;
  /** performance.now() of the last emitted state, and the timer that emits waiting readings. */
  #emittedAt = 0;
  /** Readings merged into the cache but not yet emitted (the readings sweep is watching). */
  #readingsHeld = false;
  #handshaking = false;
  #handshakeAgain = false;
  #pollTimer: NodeJS.Timeout | null = null;
  #pingTimer: NodeJS.Timeout | null = null;
  #pongTimer: NodeJS.Timeout | null = null;
  readonly #log: SessionLog;

  constructor(
    private readonly settings: SessionSettings,
    private readonly listener: DriverListener,
  ) {
    this.#log = new SessionLog(settings.logger, {
      printerId: settings.printerId,
      protocol: 'moonraker',
      label: 'Moonraker',
      input: 'frames',
    });
  }

  /** Resolves once the first full state has been emitted; rejects with words for the user. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
      const { endpoint, requestTimeoutMs } = this.settings;
      let ws: WebSocket;
      try {
        ws = openWebSocket(endpoint.wsUrl, { headers: endpoint.headers(), handshakeTimeout: requestTimeoutMs }, this.#log, {
          open: () => this.#runHandshake(),
          message: (data, isBinary) => this.#rpc?.handleFrame(data, isBinary),
          pong: () => this.#onPong(),
          refused: (status) =>
            this.#fail(
              status === 401 || status === 403
                ? this.#keyMessage()
                : `${endpoint.hostPort} answered HTTP ${status} to /websocket — is this a Moonraker server?`,
            ),
          error: (err) => {
            if (this.#phase === 'connecting') this.#fail(endpoint.describeNetworkError(err, requestTimeoutMs));
            else this.#log.write('debug', { err: err.message }, 'websocket error');
          },
          close: (code, reason) => this.#onClose(code, reason),
        });
      } catch (err) {
        this.#fail(`Invalid printer address ${endpoint.hostPort}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      this.#ws = ws;
      this.#rpc = new JsonRpcSocket(ws, requestTimeoutMs, {
        onNotification: (method, params) => this.#onNotification(method, params),
        onMalformed: (reason, sample) => this.#log.dropped({ reason, sample }, 'Moonraker sent a malformed frame; dropped'),
      });
    });
  }

  /** Ends the session quietly (no onDisconnect). Safe at any time, also twice. */
  async close(): Promise<void> {
    const phase = this.#phase;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#rpc?.failAll('session closed');
    if (phase === 'connecting') this.#settle?.reject(new Error('The connection was closed before it was set up'));
    this.#settle = null;
    await closeWebSocket(this.#ws);
  }

  // ---- set-up and Klippy's state machine --------------------------------------------------------

  #runHandshake(): void {
    if (this.#phase === 'closed') return;
    if (this.#handshaking) {
      this.#handshakeAgain = true;
      return;
    }
    this.#handshaking = true;
    this.#handshake()
      .catch((err: unknown) => this.#handshakeFailed(err))
      .finally(() => {
        this.#handshaking = false;
        if (this.#handshakeAgain && this.#phase !== 'closed') {
          this.#handshakeAgain = false;
          this.#runHandshake();
        }
      })
      .catch((err: unknown) => this.#log.write('error', { err: String(err) }, 'handshake bookkeeping failed'));
  }

  async #handshake(): Promise<void> {
    const rpc = this.#rpc;
    if (!rpc) return;
    if (!this.#identified) {
      const apiKey = this.settings.endpoint.apiKey;
      try {
        await rpc.call('server.connection.identify', apiKey ? { ...IDENTITY, api_key: apiKey } : { ...IDENTITY });
      } catch (err) {
        if (err instanceof RpcError && (err.code === 401 || err.code === 403)) throw new SetupError(this.#keyMessage());
        if (!(err instanceof RpcError)) throw err;
        // An older Moonraker without identify, or one that dislikes our fields: carry on.
        this.#log.write('info', { code: err.code, message: err.message }, 'server.connection.identify refused; continuing');
      }
      this.#identified = true;
    }
    const generation = ++this.#generation;
    const info = parseServerInfo(await rpc.call('server.info'));
    if (!info) throw new SetupError(`${this.settings.endpoint.hostPort} answered server.info, but not like Moonraker`);
    if (this.#isClosed()) return;
    if (generation !== this.#generation) return this.#restartHandshake();

    const state = info.klippy_state;
    this.#klippy = state;
    this.#subscribed = false;
    this.#objects = {};
    if (state === 'ready' || state === 'shutdown' || state === 'error') {
      try {
        await this.#subscribe(rpc, generation);
      } catch (err) {
        // Klippy shut down or in error may not answer object requests: printer.info still says why.
        if (state === 'ready' || !(err instanceof RpcError)) throw err;
        const printer = parsePrinterInfo(await rpc.call('printer.info').catch(() => null));
        if (generation !== this.#generation) return this.#restartHandshake();
        this.#objects = { webhooks: { state, state_message: printer?.state_message ?? '' } };
      }
    }
    if (this.#isClosed()) return;
    if (generation !== this.#generation) return this.#restartHandshake();
    if (state === 'ready') this.#stopPolling();
    else this.#schedulePoll();
    this.#emit();
    this.#goLive();
  }

  /** Klippy changed state while we were asking: start over once this run has finished. */
  #restartHandshake(): void {
    this.#handshakeAgain = true;
  }

  async #subscribe(rpc: JsonRpcSocket, generation: number): Promise<void> {
    const objects = parseObjectList(await rpc.call('printer.objects.list'));
    const chamber = CHAMBER_OBJECTS.find((name) => objects?.includes(name)) ?? null;
    if (generation !== this.#generation) return;
    await rpc.call('printer.objects.subscribe', { objects: subscriptionObjects(chamber) }, (result) => {
      if (generation !== this.#generation) return;
      const status = parseStatusReply(result);
      if (!status) throw new SetupError('Moonraker answered printer.objects.subscribe without a status');
      this.#objects = {};
      const rejected = mergeStatus(this.#objects, status);
      if (rejected.length > 0) this.#log.dropped({ rejected }, 'Moonraker sent malformed fields; dropped');
      this.#subscribed = true;
    });
  }

  #handshakeFailed(err: unknown): void {
    const { hostPort } = this.settings.endpoint;
    if (this.#phase === 'connecting') {
      if (err instanceof SetupError) this.#fail(err.message);
      else if (err instanceof NoReplyError) this.#fail(noAnswer(hostPort, this.settings.requestTimeoutMs));
      else if (err instanceof RequestClosedError) this.#fail(`${hostPort} closed the connection during set-up`);
      else this.#fail(`Moonraker at ${hostPort} could not be set up: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.#phase === 'closed' || err instanceof RequestClosedError) return;
    this.#log.write('warn', { err: err instanceof Error ? err.message : String(err) }, 'Moonraker set-up step failed; retrying');
    this.#schedulePoll();
  }

  #goLive(): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'live';
    this.#pingTimer = setInterval(() => this.#log.guard(() => this.#ping()), this.settings.keepaliveMs);
    const settle = this.#settle;
    this.#settle = null;
    settle?.resolve();
  }

  /** While Klippy is not ready, ask server.info again every few seconds (not every change is notified). */
  #schedulePoll(): void {
    if (this.#pollTimer || this.#phase === 'closed') return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = null;
      this.#log.guard(() => this.#poll());
    }, this.settings.klippyPollMs);
  }

  #poll(): void {
    const rpc = this.#rpc;
    if (!rpc || this.#phase === 'closed' || this.#handshaking) return;
    const generation = this.#generation;
    rpc
      .call('server.info')
      .then((result) => {
        if (this.#phase === 'closed' || generation !== this.#generation) return;
        const info = parseServerInfo(result);
        if (info && (info.klippy_state !== this.#klippy || (info.klippy_state === 'ready' && !this.#subscribed))) this.#runHandshake();
        else if (this.#klippy !== 'ready' || !this.#subscribed) this.#schedulePoll();
      })
      .catch(() => this.#schedulePoll());
  }

  #stopPolling(): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
  }

  // ---- notifications -------------------------------------------------------------------------

  #onNotification(method: string, params: unknown[]): void {
    switch (method) {
      case 'notify_status_update': {
        if (!this.#subscribed) return;
        const diff = params[0];
        if (!isRecord(diff)) {
          this.#log.dropped({ params: JSON.stringify(params).slice(0, 120) }, 'notify_status_update without a status object; dropped');
          return;
        }
        const rejected = mergeStatus(this.#objects, diff);
        if (rejected.length > 0) this.#log.dropped({ rejected }, 'Moonraker sent malformed fields; dropped');
        // Klipper pushes four diffs a second while printing, most of them sensor readings and
        // clocks only; those are normalised once a second (the fan-out sends readings no faster),
        // anything else at once, together with the readings merged meanwhile.
        if (carriesOnlyReadings(diff)) this.#emitReadingsLater();
        else this.#emit();
        return;
      }
      case 'notify_klippy_disconnected':
        this.#generation++;
        this.#klippy = 'disconnected';
        this.#subscribed = false;
        this.#objects = {};
        this.#emit();
        this.#schedulePoll();
        return;
      case 'notify_klippy_shutdown':
        this.#klippy = 'shutdown';
        this.#refreshWebhooks();
        this.#schedulePoll();
        return;
      case 'notify_klippy_ready':
        this.#runHandshake();
        return;
      default:
        // notify_gcode_response, notify_proc_stat_update, notify_filelist_changed…: not used here.
        return;
    }
  }

  /** After notify_klippy_shutdown: webhooks' state_message says why; its diff may lag, so ask. */
  #refreshWebhooks(): void {
    const rpc = this.#rpc;
    const generation = this.#generation;
    const markShutdown = (): void => {
      if (generation !== this.#generation || this.#phase === 'closed') return;
      const webhooks = this.#objects['webhooks'];
      if (!webhooks || (webhooks['state'] !== 'shutdown' && webhooks['state'] !== 'error')) {
        mergeStatus(this.#objects, { webhooks: { state: 'shutdown' } });
      }
      this.#emit();
    };
    if (!rpc) return;
    rpc
      .call('printer.objects.query', { objects: { webhooks: ['state', 'state_message'] } }, (result) => {
        const status = parseStatusReply(result);
        if (status && generation === this.#generation) mergeStatus(this.#objects, status);
      })
      .then(markShutdown, markShutdown);
  }

  #emitReadingsLater(): void {
    if (this.#readingsHeld) return;
    if (this.#readingsDue()) {
      this.#emit();
      return;
    }
    this.#readingsHeld = true;
    readingsSweep(this.settings.readingsMs / 4).add(this.#sweepReadings);
  }

  /** An eighth of the interval early counts as due: pushes a second apart jitter by a few ms either way. */
  #readingsDue(): boolean {
    return performance.now() - this.#emittedAt >= (this.settings.readingsMs * 7) / 8;
  }

  readonly #sweepReadings = (): boolean => {
    if (!this.#readingsHeld) return true;
    if (!this.#readingsDue()) return false;
    this.#log.guard(() => this.#emit());
    return true;
  };

  #emit(): void {
    this.#readingsHeld = false;
    if (this.#phase === 'closed') return;
    this.#emittedAt = performance.now();
    const next = normalise(this.#klippy, this.#objects);
    const { state, patch } = foldState(this.#last, next);
    this.#last = state;
    if (!patch) return;
    this.#log.tell('state', () => this.listener.onState(patch));
  }

  // ---- keepalive and the end of a session --------------------------------------------------------

  #ping(): void {
    const ws = this.#ws;
    if (this.#phase !== 'live' || !ws || this.#pongTimer) return;
    ws.ping();
    this.#pongTimer = setTimeout(
      () => this.#log.guard(() => this.#end(`No answer to a keepalive ping within ${formatSeconds(this.settings.pongTimeoutMs)} s`)),
      this.settings.pongTimeoutMs,
    );
  }

  #onPong(): void {
    if (this.#pongTimer) clearTimeout(this.#pongTimer);
    this.#pongTimer = null;
    // A quiet printer (nothing changing) still answers pings: that keeps it online for the supervisor.
    if (this.#phase === 'live') this.listener.onAlive?.();
  }

  #onClose(code: number, reason: string): void {
    const { hostPort } = this.settings.endpoint;
    if (this.#phase === 'connecting') {
      this.#fail(`${hostPort} closed the connection during set-up (code ${code})`);
      return;
    }
    const detail =
      code === 1006 ? 'the connection was lost' : `Moonraker closed the connection (code ${code}${reason ? `: ${reason}` : ''})`;
    this.#end(detail);
  }

  /** The live session is over: tidy up and tell the supervisor (once). */
  #end(reason: string): void {
    if (this.#phase !== 'live') return;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#rpc?.failAll(reason);
    this.#ws?.terminate();
    this.#log.write('info', { reason }, 'Moonraker session ended');
    this.#log.tell('disconnect', () => this.listener.onDisconnect(reason));
  }

  /** Set-up failed: reject connect() with words for the user. */
  #fail(message: string): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#rpc?.failAll(message);
    this.#ws?.terminate();
    const settle = this.#settle;
    this.#settle = null;
    settle?.reject(new Error(message));
  }

  /** A method, not a field check, so TypeScript does not carry the narrowing across awaits. */
  #isClosed(): boolean {
    return this.#phase === 'closed';
  }

  #stopTimers(): void {
    this.#stopPolling();
    this.#readingsHeld = false;
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    if (this.#pongTimer) clearTimeout(this.#pongTimer);
    this.#pingTimer = null;
    this.#pongTimer = null;
  }

  #keyMessage(): string {
    return this.settings.endpoint.apiKey
      ? 'Moonraker refused the API key'
      : 'Moonraker requires an API key, and none is set for this printer';
  }
}
