/**
 * One MQTT session with a Bambu printer in LAN mode (protocols.md §1.1–1.3): TLS (CA + serial),
 * CONNECT as `bblp`/access code, subscribe `device/{serial}/report`, get_version + pushall, then
 * merge every report into the cached `print` object and emit the normalised fields that changed.
 * Commands are published on `device/{serial}/request` with unique sequence ids and settled by the
 * printer's ack. A silence watchdog re-requests pushall and ends the session when the printer
 * stops pushing while the TCP session stays up.
 */
import { randomBytes } from 'node:crypto';

import { connect as mqttConnect, type MqttClient } from 'mqtt';

import { type DriverListener, type DriverLogger, PrinterCommandError } from '../../driver.js';
import { foldState, type PrinterState } from '../../state.js';
import { formatSeconds, noAnswer } from '../shared/network-errors.js';
import { SessionLog } from '../shared/session-log.js';
import {
  type BambuVersion,
  idText,
  isFullReport,
  isRecord,
  isReport,
  type Json,
  mergeReport,
  parsePayload,
  parseVersion,
  str,
} from './messages.js';
import { describeConnectError } from './network-errors.js';
import { nextCancelLatch, normalise, STRUCTURED_FIELDS } from './normalise.js';
import type { BambuTlsOptions } from './tls.js';

export interface SessionSettings {
  host: string;
  port: number;
  /** "host:port" for messages. */
  where: string;
  serial: string;
  accessCode: string;
  tls: BambuTlsOptions;
  /** How many CAs were configured beyond the built-in ones (for the words of a TLS failure). */
  extraCaCount: number;
  logger: DriverLogger;
  printerId: number;
  requestTimeoutMs: number;
  keepaliveSeconds: number;
  /** No message for this long ends the session; after half of it, pushall is requested again. */
  silenceLimitMs: number;
  watchdogTickMs: number;
  /** How long the first state waits for the get_version answer (the model changes a field or two). */
  versionGraceMs: number;
}

interface Pending {
  section: string;
  command: string;
  resolve: (ack: Json) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type Phase = 'connecting' | 'live' | 'closed';

export const GET_VERSION = { command: 'get_version' } as const;
export const PUSHALL = { command: 'pushall', version: 1, push_target: 1 } as const;

export class BambuSession {
  readonly #settings: SessionSettings;
  readonly #listener: DriverListener;
  readonly #reportTopic: string;
  readonly #requestTopic: string;
  #phase: Phase = 'connecting';
  #client: MqttClient | null = null;
  #settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #setupTimer: NodeJS.Timeout | null = null;
  #graceTimer: NodeJS.Timeout | null = null;
  #watchdogTimer: NodeJS.Timeout | null = null;
  #lastError: unknown = null;
  #report: Json = {};
  /** Whether a report since the last emitted state touched the AMS, external spool or HMS fields. */
  #structuredChanged = true;
  #version: BambuVersion | null = null;
  #versionWaiters: (() => void)[] = [];
  #cancelLatched = false;
  #last: PrinterState | null = null;
  #pending = new Map<string, Pending>();
  #sequence = 20_000 + Math.floor(Math.random() * 10_000);
  #lastMessageAt = Date.now();
  #watchdogPushallSent = false;
  #watchdogPushalls = 0;
  readonly #log: SessionLog;

  constructor(settings: SessionSettings, listener: DriverListener) {
    this.#settings = settings;
    this.#log = new SessionLog(settings.logger, { printerId: settings.printerId, protocol: 'bambu', label: 'Bambu', input: 'messages' });
    this.#listener = listener;
    this.#reportTopic = `device/${settings.serial}/report`;
    this.#requestTopic = `device/${settings.serial}/request`;
  }

  get live(): boolean {
    return this.#phase === 'live';
  }

  /** The cached `print` report (read-only use). */
  get report(): Json {
    return this.#report;
  }

  get version(): BambuVersion | null {
    return this.#version;
  }

  /** The last normalised state emitted. */
  get state(): PrinterState | null {
    return this.#last;
  }

  /** How often the watchdog asked for pushall again in this session. */
  get watchdogPushalls(): number {
    return this.#watchdogPushalls;
  }

  /** Resolves once the first full state has been emitted; rejects with words for the user. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
      const s = this.#settings;
      let client: MqttClient;
      try {
        client = mqttConnect({
          host: s.host,
          port: s.port,
          protocol: 'mqtts',
          protocolVersion: 4,
          username: 'bblp',
          password: s.accessCode,
          clientId: `odin_${randomBytes(8).toString('hex')}`,
          clean: true,
          keepalive: s.keepaliveSeconds,
          reconnectPeriod: 0,
          connectTimeout: s.requestTimeoutMs,
          resubscribe: false,
          queueQoSZero: false,
          // mqtt-packet would otherwise build a cache of all 65,536 two-byte numbers (~6 MB of
          // heap, kept for good) to speed up writes; a session writes a packet every few seconds.
          writeCache: false,
          ...s.tls,
        });
      } catch (err) {
        this.#fail(`Cannot connect to ${s.where}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      this.#client = client;
      this.#setupTimer = setTimeout(
        () => this.#log.guard(() => this.#fail(noAnswer(s.where, s.requestTimeoutMs))),
        s.requestTimeoutMs + 500,
      );
      client.on('connect', () => this.#log.guard(() => this.#onConnected()));
      client.on('message', (_topic, payload) => this.#log.guard(() => this.#onPayload(payload)));
      client.on('error', (err) => this.#log.guard(() => this.#onError(err)));
      client.on('close', () => this.#log.guard(() => this.#onClose()));
    });
  }

  /** Ends the session quietly (no onDisconnect). Safe at any time, also twice. */
  async close(): Promise<void> {
    const phase = this.#phase;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#failPending('The session with the printer was closed');
    this.#wakeVersionWaiters();
    if (phase === 'connecting') this.#settle?.reject(new Error('The connection was closed before it was set up'));
    this.#settle = null;
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      try {
        client.end(true, {}, () => {
          clearTimeout(timer);
          resolve();
        });
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  /** Waits (up to `timeoutMs`) for the get_version answer; null when it did not come. */
  async waitForVersion(timeoutMs: number): Promise<BambuVersion | null> {
    if (this.#version || this.#phase === 'closed') return this.#version;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#versionWaiters.push(done);
    });
    return this.#version;
  }

  /**
   * Publishes `{[section]: {sequence_id, ...body}}` with QoS 1 and waits for the printer's ack
   * (same section and sequence_id). `result: fail` → PrinterCommandError(409) with the reason;
   * no ack in time → PrinterCommandError(504).
   */
  request(section: string, body: Json & { command: string }, timeoutMs = this.#settings.requestTimeoutMs): Promise<Json> {
    const client = this.#client;
    if (this.#phase !== 'live' || !client) {
      return Promise.reject(new PrinterCommandError(`Not connected to the printer at ${this.#settings.where}`, 503));
    }
    const sequenceId = String(++this.#sequence);
    const command = body.command;
    const payload = JSON.stringify({ [section]: { sequence_id: sequenceId, ...body } });
    return new Promise<Json>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(sequenceId);
        reject(new PrinterCommandError(`No answer from the printer to ${command} within ${formatSeconds(timeoutMs)} s`, 504));
      }, timeoutMs);
      this.#pending.set(sequenceId, { section, command, resolve, reject, timer });
      client.publish(this.#requestTopic, payload, { qos: 1 }, (err) => {
        if (!err) return;
        const pending = this.#pending.get(sequenceId);
        if (!pending) return;
        clearTimeout(pending.timer);
        this.#pending.delete(sequenceId);
        reject(new PrinterCommandError(`Could not send ${command} to the printer: ${err.message}`, 502));
      });
    });
  }

  // ── set-up ────────────────────────────────────────────────────────────────────────────────

  #onConnected(): void {
    const client = this.#client;
    if (this.#phase !== 'connecting' || !client) return;
    // From here the printer has requestTimeoutMs to answer pushall.
    this.#restartSetupTimer(() =>
      this.#fail(
        `${this.#settings.where} accepted the connection, but sent no status report within ${formatSeconds(this.#settings.requestTimeoutMs)} s of pushall (is the serial right?)`,
      ),
    );
    client.subscribe(this.#reportTopic, { qos: 0 }, (err, granted) =>
      this.#log.guard(() => {
        if (this.#phase !== 'connecting') return;
        const refused = err !== null || !granted || granted.length === 0 || granted.some((g) => g.qos === 128);
        if (refused) {
          if (err) this.#log.write('debug', { err: err.message }, 'subscribe failed');
          this.#fail(`The printer refused the subscription to ${this.#reportTopic} — is the serial right?`);
          return;
        }
        this.#lastMessageAt = Date.now();
        this.#publish('info', GET_VERSION);
        this.#publish('pushing', PUSHALL);
      }),
    );
  }

  #restartSetupTimer(onTimeout: () => void): void {
    if (this.#setupTimer) clearTimeout(this.#setupTimer);
    this.#setupTimer = setTimeout(() => this.#log.guard(onTimeout), this.#settings.requestTimeoutMs);
  }

  /** Fire-and-forget publish (QoS 0) of requests that need no ack (get_version, pushall). */
  #publish(section: string, body: Json): void {
    const client = this.#client;
    if (!client || this.#phase === 'closed') return;
    const payload = JSON.stringify({ [section]: { sequence_id: '0', ...body } });
    client.publish(this.#requestTopic, payload, { qos: 0 }, (err) => {
      if (err) this.#log.write('debug', { err: err.message, section }, 'publish failed');
    });
  }

  #goLive(): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'live';
    if (this.#setupTimer) clearTimeout(this.#setupTimer);
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    this.#setupTimer = null;
    this.#graceTimer = null;
    this.#lastMessageAt = Date.now();
    this.#watchdogTimer = setInterval(() => this.#log.guard(() => this.#watchdog()), this.#settings.watchdogTickMs);
    this.#emit();
    const settle = this.#settle;
    this.#settle = null;
    settle?.resolve();
  }

  // ── messages ──────────────────────────────────────────────────────────────────────────────

  #onPayload(payload: Buffer): void {
    if (this.#phase === 'closed') return;
    this.#lastMessageAt = Date.now();
    this.#watchdogPushallSent = false;
    const parsed = parsePayload(payload);
    if (!parsed.ok) {
      this.#log.dropped({ reason: parsed.reason, sample: sample(payload) }, 'Bambu printer sent a malformed message; dropped');
      this.#alive();
      return;
    }
    let reported = false;
    let versionChanged = false;
    for (const [section, body] of Object.entries(parsed.message)) {
      if (!isRecord(body)) {
        if (section === 'print' || section === 'info' || section === 'system') {
          this.#log.dropped({ section, sample: sample(payload) }, `Bambu printer sent a "${section}" that is not an object; dropped`);
        }
        continue;
      }
      if (this.#settleAck(section, body)) continue;
      if (section === 'print' && isReport(body)) {
        this.#mergeReport(body);
        reported = true;
      } else if (section === 'info' && body['command'] === 'get_version') {
        const version = parseVersion(body);
        if (version) {
          this.#version = version;
          versionChanged = true;
          this.#wakeVersionWaiters();
        }
      }
      // Other sections (system, upgrade, mc_print, xcam, unknown ones): nothing the state needs.
    }
    if (!reported && !versionChanged) {
      this.#alive();
      return;
    }
    if (this.#phase === 'connecting') {
      this.#maybeGoLive();
      return;
    }
    this.#emit();
  }

  #mergeReport(body: Json): void {
    if (isFullReport(body)) this.#report = {};
    if (isFullReport(body) || STRUCTURED_FIELDS.some((field) => field in body)) this.#structuredChanged = true;
    const rejected = mergeReport(this.#report, body);
    if (rejected.length > 0) this.#log.dropped({ rejected }, 'Bambu report had fields of the wrong type; dropped them');
    this.#cancelLatched = nextCancelLatch(this.#cancelLatched, this.#report);
  }

  /** During set-up: live once a report with gcode_state is cached (and get_version answered, or its grace ran out). */
  #maybeGoLive(): void {
    if (typeof this.#report['gcode_state'] !== 'string') return;
    if (this.#version) {
      this.#goLive();
      return;
    }
    this.#graceTimer ??= setTimeout(() => this.#log.guard(() => this.#goLive()), this.#settings.versionGraceMs);
  }

  /** An ack for a pending request? Settles it and returns true. */
  #settleAck(section: string, body: Json): boolean {
    const sequenceId = idText(body['sequence_id']);
    if (sequenceId === null) return false;
    const pending = this.#pending.get(sequenceId);
    if (!pending || pending.section !== section) return false;
    if (body['result'] === undefined && body['command'] !== pending.command) return false;
    this.#pending.delete(sequenceId);
    clearTimeout(pending.timer);
    const result = str(body['result'])?.trim().toLowerCase() ?? '';
    if (result === 'fail' || result === 'failed' || result === 'error') {
      const reason = str(body['reason'])?.trim() ?? '';
      const said = reason && !/^(fail(ed)?|error)$/i.test(reason) ? `: ${reason}` : '';
      pending.reject(new PrinterCommandError(`The printer refused ${pending.command}${said}`, 409));
    } else {
      pending.resolve(body);
    }
    return true;
  }

  #emit(): void {
    if (this.#phase !== 'live') return;
    const unchanged = this.#structuredChanged ? null : this.#last;
    this.#structuredChanged = false;
    const next = normalise(this.#report, { cancelLatched: this.#cancelLatched, version: this.#version, now: Date.now(), unchanged });
    const { state, patch } = foldState(this.#last, next);
    this.#last = state;
    if (!patch) {
      this.#alive();
      return;
    }
    this.#log.tell('state', () => this.#listener.onState(patch));
  }

  #alive(): void {
    if (this.#phase !== 'live') return;
    this.#log.tell('alive', () => this.#listener.onAlive?.());
  }

  // ── watchdog and the end of a session ─────────────────────────────────────────────────────

  #watchdog(): void {
    if (this.#phase !== 'live') return;
    const silentMs = Date.now() - this.#lastMessageAt;
    const limit = this.#settings.silenceLimitMs;
    if (silentMs >= limit) {
      this.#end(`No report from the printer for ${formatSeconds(silentMs)} s — the MQTT session was up, but the printer stopped pushing`);
      return;
    }
    if (silentMs >= limit / 2 && !this.#watchdogPushallSent) {
      // The printer can stop pushing while TCP stays up; asking for everything again usually wakes it.
      this.#watchdogPushallSent = true;
      this.#watchdogPushalls++;
      this.#log.write('info', { silentMs }, 'Bambu printer went quiet; requesting pushall again');
      this.#publish('pushing', PUSHALL);
    }
  }

  #onError(err: Error): void {
    this.#lastError = err;
    if (this.#phase === 'connecting') {
      const s = this.#settings;
      this.#fail(describeConnectError(err, s.where, s.requestTimeoutMs, s.extraCaCount));
      return;
    }
    this.#log.write('debug', { err: err.message }, 'MQTT error');
  }

  #onClose(): void {
    const s = this.#settings;
    if (this.#phase === 'connecting') {
      this.#fail(
        this.#lastError
          ? describeConnectError(this.#lastError, s.where, s.requestTimeoutMs, s.extraCaCount)
          : `${s.where} closed the connection during set-up`,
      );
      return;
    }
    const err = this.#lastError;
    const message = err instanceof Error ? err.message : '';
    let reason = `The connection to ${s.where} was lost`;
    if (/keepalive timeout/i.test(message))
      reason = `No answer to MQTT keepalive pings from ${s.where} (keepalive ${s.keepaliveSeconds} s)`;
    else if (message) reason = `The connection to ${s.where} was lost (${message})`;
    this.#end(reason);
  }

  /** The live session is over: tidy up and tell the supervisor (once). */
  #end(reason: string): void {
    if (this.#phase !== 'live') return;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#failPending(`The connection to the printer was lost (${reason})`);
    this.#wakeVersionWaiters();
    const client = this.#client;
    this.#client = null;
    client?.end(true);
    this.#log.write('info', { reason }, 'Bambu session ended');
    this.#log.tell('disconnect', () => this.#listener.onDisconnect(reason));
  }

  /** Set-up failed: reject connect() with words for the user. */
  #fail(message: string): void {
    if (this.#phase !== 'connecting') return;
    this.#phase = 'closed';
    this.#stopTimers();
    this.#failPending(message);
    this.#wakeVersionWaiters();
    const client = this.#client;
    this.#client = null;
    client?.end(true);
    const settle = this.#settle;
    this.#settle = null;
    settle?.reject(new Error(message));
  }

  #failPending(message: string): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new PrinterCommandError(message, 502));
    }
    this.#pending.clear();
  }

  #wakeVersionWaiters(): void {
    const waiters = this.#versionWaiters;
    this.#versionWaiters = [];
    for (const wake of waiters) wake();
  }

  #stopTimers(): void {
    if (this.#setupTimer) clearTimeout(this.#setupTimer);
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    if (this.#watchdogTimer) clearInterval(this.#watchdogTimer);
    this.#setupTimer = null;
    this.#graceTimer = null;
    this.#watchdogTimer = null;
  }
}

function sample(payload: Buffer): string {
  return payload.subarray(0, 120).toString('utf8');
}
