/**
 * Test clients for the Bambu simulator: an MQTT client (mqtt.js) that keeps every report, and a
 * minimal implicit-FTPS client on node:tls that can resume (or not) the control connection's TLS
 * session on its data connections. Used by the *.test.ts files beside this one.
 */
import { once } from 'node:events';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';

import { isJson, type Json, waitFor } from '../test-support.js';
import type { BambuSimulator } from './bambu-simulator.js';

/** TLS options a careful client uses: trust the simulator CA, check the serial through SNI. */
export function tlsOptions(sim: BambuSimulator): { ca: string; servername: string; rejectUnauthorized: true } {
  return { ca: sim.caPem, servername: sim.serial, rejectUnauthorized: true };
}

export function mqttOptions(sim: BambuSimulator, overrides: Partial<IClientOptions> = {}): IClientOptions {
  return {
    host: sim.host,
    port: sim.mqttPort,
    protocol: 'mqtts',
    protocolVersion: 4,
    username: 'bblp',
    password: 'access',
    reconnectPeriod: 0,
    connectTimeout: 5000,
    keepalive: 5,
    ...tlsOptions(sim),
    ...overrides,
  };
}

/** An MQTT client subscribed to the printer's report topic; every message kept, parsed where possible. */
export class ReportClient {
  /** Every report payload as text, in arrival order. */
  readonly raw: string[] = [];
  /** Parsed payloads (null where the payload is not JSON). */
  readonly messages: (Json | null)[] = [];
  #sequence = 100;

  private constructor(
    readonly client: MqttClient,
    readonly sim: BambuSimulator,
  ) {
    client.on('message', (_topic, payload) => {
      const text = payload.toString('utf8');
      this.raw.push(text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      this.messages.push(isJson(parsed) ? parsed : null);
    });
  }

  static async connect(sim: BambuSimulator, overrides: Partial<IClientOptions> = {}, subscribe = true): Promise<ReportClient> {
    const client = await connectAsync(mqttOptions(sim, overrides));
    const rc = new ReportClient(client, sim);
    if (subscribe) await client.subscribeAsync(`device/${sim.serial}/report`);
    return rc;
  }

  get reportTopic(): string {
    return `device/${this.sim.serial}/report`;
  }

  /** Publishes `{[section]: {sequence_id, ...body}}` on the request topic; returns the sequence_id used. */
  async request(section: string, body: Json): Promise<string> {
    const sequenceId = typeof body['sequence_id'] === 'string' ? body['sequence_id'] : String(++this.#sequence);
    await this.client.publishAsync(
      `device/${this.sim.serial}/request`,
      JSON.stringify({ [section]: { sequence_id: sequenceId, ...body } }),
    );
    return sequenceId;
  }

  /** The index the next message will have (to wait only for later messages). */
  mark(): number {
    return this.messages.length;
  }

  /** The first message from index `from` on for which `match` is true. */
  async waitFor(what: string, match: (m: Json) => boolean, from = 0, timeoutMs = 5000): Promise<Json> {
    return waitFor(
      what,
      () => {
        for (let i = from; i < this.messages.length; i++) {
          const m = this.messages[i];
          if (m && match(m)) return m;
        }
        return null;
      },
      timeoutMs,
    );
  }

  /** The `print` object of the first push_status from `from` on matching `match`. */
  async waitForPrint(what: string, match: (p: Json) => boolean, from = 0, timeoutMs = 5000): Promise<Json> {
    const m = await this.waitFor(
      what,
      (msg) => isJson(msg['print']) && msg['print']['command'] === 'push_status' && match(msg['print']),
      from,
      timeoutMs,
    );
    return m['print'] as Json;
  }

  /** The reply to a request: the first message of `section` echoing `sequenceId` with a `result`. */
  async reply(section: string, sequenceId: string, from = 0): Promise<Json> {
    const m = await this.waitFor(
      `${section} reply ${sequenceId}`,
      (msg) => {
        const body = msg[section];
        return isJson(body) && body['sequence_id'] === sequenceId && body['result'] !== undefined;
      },
      from,
    );
    return m[section] as Json;
  }

  /** Sends pushall and returns the full `print` object it brings. */
  async pushall(): Promise<Json> {
    const from = this.mark();
    await this.request('pushing', { command: 'pushall', version: 1, push_target: 1 });
    return this.waitForPrint('pushall answer', (p) => p['msg'] === 0, from);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** Deep-merges a delta into cached state the way a client must (objects merged, arrays replaced). */
export function mergeReport(state: Json, delta: Json): Json {
  for (const [key, value] of Object.entries(delta)) {
    const current = state[key];
    state[key] = isJson(current) && isJson(value) ? mergeReport({ ...current }, value) : value;
  }
  return state;
}

// ── FTPS ──────────────────────────────────────────────────────────────────────────────────────

export interface FtpReply {
  code: number;
  text: string;
}

/** A minimal implicit-FTPS client: one command at a time, passive mode, TLS data connections. */
export class FtpsTestClient {
  readonly #control: TLSSocket;
  readonly #tls: ConnectionOptions;
  #buffer = '';
  #replies: FtpReply[] = [];
  #waiters: ((reply: FtpReply) => void)[] = [];
  #partial: string[] = [];

  private constructor(control: TLSSocket, tls: ConnectionOptions) {
    this.#control = control;
    this.#tls = tls;
    control.setEncoding('utf8');
    control.on('data', (chunk: string) => this.#onData(chunk));
    control.on('error', () => undefined);
  }

  static async connect(sim: BambuSimulator, tls: Partial<ConnectionOptions> = {}): Promise<FtpsTestClient> {
    const options: ConnectionOptions = { host: sim.host, port: sim.ftpsPort, ...tlsOptions(sim), ...tls };
    const control = tlsConnect(options);
    await once(control, 'secureConnect');
    const client = new FtpsTestClient(control, options);
    const greeting = await client.read();
    if (greeting.code !== 220) throw new Error(`unexpected greeting ${greeting.code} ${greeting.text}`);
    return client;
  }

  get control(): TLSSocket {
    return this.#control;
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      const end = this.#buffer.indexOf('\r\n');
      if (end < 0) return;
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const match = /^(\d{3})([ -])(.*)$/.exec(line);
      if (match && match[2] === ' ') {
        const reply = { code: Number(match[1]), text: [...this.#partial, match[3] ?? ''].join('\n') };
        this.#partial = [];
        const waiter = this.#waiters.shift();
        if (waiter) waiter(reply);
        else this.#replies.push(reply);
      } else {
        this.#partial.push(match ? (match[3] ?? '') : line);
      }
    }
  }

  /** The next reply. */
  read(timeoutMs = 5000): Promise<FtpReply> {
    const queued = this.#replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<FtpReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error('timed out waiting for an FTP reply'));
      }, timeoutMs);
      const waiter = (reply: FtpReply): void => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.#waiters.push(waiter);
    });
  }

  async send(line: string, timeoutMs?: number): Promise<FtpReply> {
    this.#control.write(`${line}\r\n`);
    return this.read(timeoutMs);
  }

  async login(password: string, user = 'bblp'): Promise<FtpReply> {
    const u = await this.send(`USER ${user}`);
    if (u.code !== 331) return u;
    return this.send(`PASS ${password}`);
  }

  /** USER/PASS, PBSZ 0, PROT P, TYPE I, as a Bambu client does. */
  async setup(password: string): Promise<void> {
    for (const [line, code] of [
      [`USER bblp`, 331],
      [`PASS ${password}`, 230],
      ['PBSZ 0', 200],
      ['PROT P', 200],
      ['TYPE I', 200],
    ] as const) {
      const reply = await this.send(line);
      if (reply.code !== code) throw new Error(`${line.split(' ')[0]}: ${reply.code} ${reply.text}`);
    }
  }

  /** PASV or EPSV; returns the data port. */
  async passive(mode: 'PASV' | 'EPSV' = 'PASV'): Promise<number> {
    const reply = await this.send(mode);
    if (mode === 'PASV') {
      const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply.text);
      if (reply.code !== 227 || !m) throw new Error(`PASV: ${reply.code} ${reply.text}`);
      return Number(m[5]) * 256 + Number(m[6]);
    }
    const m = /\(\|\|\|(\d+)\|\)/.exec(reply.text);
    if (reply.code !== 229 || !m) throw new Error(`EPSV: ${reply.code} ${reply.text}`);
    return Number(m[1]);
  }

  /** A TLS data connection; `reuse` passes the control connection's session, as ha-bambulab does. */
  async openData(port: number, reuse: boolean): Promise<TLSSocket> {
    const session = reuse ? this.#control.getSession() : undefined;
    if (reuse && !session) throw new Error('the control connection has no TLS session to resume');
    const data = tlsConnect({ ...this.#tls, port, ...(session ? { session } : {}) });
    data.on('error', () => undefined);
    await once(data, 'secureConnect');
    return data;
  }

  /**
   * PASV, data connection, STOR, the bytes, then close the data socket WITHOUT a close_notify (as
   * a Bambu client must) unless `closeNotify`; returns the preliminary and final replies.
   */
  async upload(
    name: string,
    content: Buffer,
    options: { reuse?: boolean; closeNotify?: boolean; mode?: 'PASV' | 'EPSV' } = {},
  ): Promise<{ first: FtpReply; final: FtpReply | null; dataReused: boolean }> {
    const port = await this.passive(options.mode ?? 'PASV');
    const data = await this.openData(port, options.reuse ?? true);
    const dataReused = data.isSessionReused();
    const first = await this.send(`STOR ${name}`);
    if (first.code !== 150) {
      data.destroy();
      return { first, final: null, dataReused };
    }
    await new Promise<void>((resolve) => {
      data.write(content, () => resolve());
      data.once('close', () => resolve());
    });
    if (options.closeNotify) data.end();
    else data.destroy();
    const final = await this.read();
    return { first, final, dataReused };
  }

  /** LIST or NLST over a (session-resuming) data connection; returns the text and the final reply. */
  async list(verb: 'LIST' | 'NLST', arg = ''): Promise<{ first: FtpReply; final: FtpReply | null; text: string }> {
    const port = await this.passive('PASV');
    const data = await this.openData(port, true);
    data.setEncoding('utf8');
    let text = '';
    data.on('data', (chunk: string) => (text += chunk));
    const closed = once(data, 'close');
    const first = await this.send(arg ? `${verb} ${arg}` : verb);
    if (first.code !== 150) {
      data.destroy();
      return { first, final: null, text };
    }
    await closed;
    const final = await this.read();
    return { first, final, text };
  }

  close(): void {
    this.#control.destroy();
  }
}
