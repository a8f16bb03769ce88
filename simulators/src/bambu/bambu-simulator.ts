/**
 * A Bambu Lab printer in LAN mode on real sockets (protocols.md §1): an MQTT 3.1.1 broker over TLS
 * (aedes) that publishes `device/{serial}/report` and reads `device/{serial}/request`, and an
 * implicit-FTPS server, both presenting a certificate with CN = serial signed by the simulator CA.
 * Reports follow the model: X1C pushes the whole `print` object every time, the others push
 * deltas (`"msg":1`) and answer pushall with the whole object (`"msg":0`). Prints run through the
 * shared PrintRun; faults (refuse, drop, stall, garbage, bad credentials, a cut upload) are
 * switched on from tests. Cheap enough for a thousand in one process: one timer for all of them,
 * deltas built from cached per-field JSON, one leaf certificate per serial.
 */
import type { Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';

import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';

import { onTick } from '../moonraker/shared-ticker.js';
import { destroyAll, listen, trackConnections } from '../net.js';
import type { PrintPhase, PrintPlan } from '../print-run.js';
import type { TrayInput } from './ams.js';
import { createSimulatorCa, type SimulatorCa } from './certs.js';
import { FileStore } from './file-store.js';
import { FtpsServer } from './ftps-server.js';
import { type BambuModel, modelProfile } from './models.js';
import { type BambuJob, BambuPrinter, type GcodeState } from './printer.js';

export interface BambuSimulatorOptions {
  serial: string;
  /** The LAN access code: MQTT password (user `bblp`) and FTPS password. */
  accessCode: string;
  /** Default 'P1S'. */
  model?: BambuModel;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) = ephemeral; real printers use 8883. */
  mqttPort?: number;
  /** 0 (default) = ephemeral; real printers use 990. */
  ftpsPort?: number;
  /** Share one CA across many simulators; default: a CA of its own. */
  ca?: SimulatorCa;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** Periodic report cadence (default 1000 ms). */
  pushIntervalMs?: number;
  /** AMS units 0–4 (AMS Lite on A1/A1 mini: 0–1). Default: 1 on X1C/P1S/A1/H2D, 0 on P1P/A1 mini. */
  amsUnits?: number;
  /** Refuse passive data connections that do not resume the control connection's TLS session (default true). */
  requireSessionReuse?: boolean;
  /** Plan for prints started by project_file/gcode_file/startPrint (durations, layers, targets). */
  plan?: Partial<PrintPlan>;
  /** Real ms a stop's `print_error` 50348044 stays before it goes back to 0 (default 3000). */
  cancelErrorClearMs?: number;
  /** ± °C of noise on nozzle/bed readings, so deltas keep carrying temperatures (default 0 = exact). */
  sensorNoise?: number;
  /**
   * Called when a push_status report (periodic, or the answer to pushall) was written to a
   * client's socket, with the payload and `process.hrtime.bigint()` taken right after that write
   * (once per report: the first subscriber's socket), for end-to-end latency measurements.
   */
  onReportPush?: (payload: string, sentAt: bigint) => void;
}

/** Payloads a broken network or firmware might deliver; a driver must log and drop every one. */
const GARBAGE_PAYLOADS: readonly (string | Buffer)[] = [
  'this is not json',
  '{"print":{"gcode_state":"RUNN',
  '',
  'null',
  '42',
  '"print"',
  '[1,2,3]',
  '{"print":"garbage"}',
  '{"print":[1,2]}',
  '{"print":{"command":"push_status","msg":1,"gcode_state":42,"mc_percent":"half","nozzle_temper":"hot","layer_num":null,"ams":"none","hms":{"attr":1},"lights_report":"on"}}',
  '{"print":{"command":"push_status","msg":1,"ams":{"ams":[{"id":"0","tray":[{"id":"x","remain":"lots","tray_color":12}]}]}}}',
  Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]),
];

export class BambuSimulator {
  readonly #options: BambuSimulatorOptions;
  readonly #ca: SimulatorCa;
  readonly #files = new FileStore();
  readonly #printer: BambuPrinter;
  readonly #reportTopic: string;
  readonly #requestTopic: string;
  readonly #pushIntervalMs: number;
  readonly #commands: Record<string, unknown>[] = [];
  readonly #mqttSockets = new Set<Socket>();
  /** Reports on their way to a socket, by payload buffer (only with onReportPush). */
  readonly #unwritten = new Map<Buffer, string>();
  #accessCode: string;
  #broker: Aedes | null = null;
  #mqttServer: TlsServer | null = null;
  #ftps: FtpsServer | null = null;
  #mqttPort = 0;
  #untick: (() => void) | null = null;
  #pushPending = false;
  #refusing = false;
  #stalled = false;
  #failMidTransfer = false;

  constructor(options: BambuSimulatorOptions) {
    if (!options.serial) throw new Error('BambuSimulator needs a serial');
    this.#options = options;
    this.#ca = options.ca ?? createSimulatorCa();
    this.#accessCode = options.accessCode;
    this.#reportTopic = `device/${options.serial}/report`;
    this.#requestTopic = `device/${options.serial}/request`;
    this.#pushIntervalMs = options.pushIntervalMs ?? 1000;
    const profile = modelProfile(options.model ?? 'P1S');
    this.#printer = new BambuPrinter({
      serial: options.serial,
      profile,
      host: options.host ?? '127.0.0.1',
      files: this.#files,
      speed: options.speed ?? 1,
      amsUnits: options.amsUnits ?? profile.defaultAmsUnits,
      plan: options.plan ?? {},
      cancelErrorClearMs: options.cancelErrorClearMs ?? 3000,
      sensorNoise: options.sensorNoise ?? 0,
    });
  }

  get serial(): string {
    return this.#options.serial;
  }

  get model(): BambuModel {
    return this.#printer.profile.model;
  }

  get caPem(): string {
    return this.#ca.caPem;
  }

  get mqttPort(): number {
    return this.#mqttPort;
  }

  get ftpsPort(): number {
    return this.#ftps?.port ?? 0;
  }

  get host(): string {
    return this.#options.host ?? '127.0.0.1';
  }

  /** The PrintRun's phase right now. */
  get phase(): PrintPhase {
    return this.#printer.run.phase;
  }

  get gcodeState(): GcodeState {
    return this.#printer.gcodeState;
  }

  /** Connected MQTT clients. */
  get clientCount(): number {
    return this.#broker?.connectedClients ?? 0;
  }

  async start(): Promise<void> {
    if (this.#broker) return;
    const { certPem, keyPem } = this.#ca.issueLeaf(this.#options.serial);
    const host = this.host;
    const broker = new Aedes({
      authenticate: (_client, username, password, done) => {
        if (username !== 'bblp') return done(authError('bad username or password', 4), false);
        if (!password || password.toString('utf8') !== this.#accessCode) return done(authError('not authorized', 5), false);
        done(null, true);
      },
      authorizeSubscribe: (_client, sub, done) => {
        const allowed = topicMatches(sub.topic, this.#reportTopic) || topicMatches(sub.topic, this.#requestTopic);
        done(null, allowed ? sub : null); // anything else: SUBACK 0x80
      },
      authorizePublish: (_client, packet, done) => {
        if (packet.topic !== this.#requestTopic) return done(new Error(`publishing to ${packet.topic} is not allowed`));
        packet.retain = false;
        done(null);
      },
    });
    await broker.listen();
    broker.on('publish', (packet, client: Client | null) => {
      if (client && packet.topic === this.#requestTopic) this.#onRequest(packet.payload);
    });
    broker.on('clientError', () => undefined);
    broker.on('connectionError', () => undefined);
    this.#broker = broker;

    const server = createTlsServer({ key: keyPem, cert: certPem }, (socket: TLSSocket) => {
      if (this.#options.onReportPush) this.#watchWrites(socket, this.#options.onReportPush);
      broker.handle(socket);
    });
    trackConnections(server, this.#mqttSockets, () => this.#refusing);
    server.on('tlsClientError', () => undefined);
    this.#mqttPort = await listen(server, this.#options.mqttPort ?? 0, host);
    this.#mqttServer = server;

    const ftps = new FtpsServer({
      host,
      port: this.#options.ftpsPort ?? 0,
      key: keyPem,
      cert: certPem,
      files: this.#files,
      accessCode: () => this.#accessCode,
      requireSessionReuse: this.#options.requireSessionReuse ?? true,
      nlstFullPaths: this.#printer.profile.nlstFullPaths,
      refusing: () => this.#refusing,
      stalled: () => this.#stalled,
      failMidTransfer: () => this.#failMidTransfer,
    });
    await ftps.start();
    this.#ftps = ftps;
    this.#untick = onTick(this.#pushIntervalMs, () => this.#push());
  }

  async stop(): Promise<void> {
    this.#untick?.();
    this.#untick = null;
    const broker = this.#broker;
    const server = this.#mqttServer;
    const ftps = this.#ftps;
    this.#broker = null;
    this.#mqttServer = null;
    this.#ftps = null;
    destroyAll(this.#mqttSockets);
    await Promise.all([
      server ? new Promise<void>((resolve) => server.close(() => resolve())) : undefined,
      broker ? new Promise<void>((resolve) => broker.close(() => resolve())) : undefined,
      ftps?.stop(),
    ]);
  }

  // ── The printer ────────────────────────────────────────────────────────────────────────────

  /** Someone pressed print on the printer (or in Bambu Studio): no upload needed. */
  startPrint(fileName: string, plan?: Partial<PrintPlan>): void {
    this.#printer.startPrint(fileName, plan ?? {});
    this.#pushSoon();
  }

  setSpeed(n: number): void {
    this.#printer.setSpeed(n);
  }

  /**
   * Heater targets set on the printer's screen (as M104/M140 would): during a print they win over
   * the plan's until it ends. The change goes out in a delta at once, as the printer reports it.
   */
  setTargets(targets: { nozzle?: number; bed?: number }): void {
    this.#printer.run.setTargets(targets);
    this.#pushSoon();
  }

  injectHms(attr: number, code: number): void {
    this.#printer.injectHms(attr, code);
    this.#pushSoon();
  }

  clearHms(): void {
    this.#printer.clearHms();
    this.#pushSoon();
  }

  /** A real failure: an active print ends FAILED with this `print_error` (kept until the next print); 0 clears it. */
  setPrintError(code: number): void {
    this.#printer.setPrintError(code);
    this.#pushSoon();
  }

  /** AMS `unit` 0.., `slot` 0–3 (unit 254 = the external spool, `vt_tray`); null = empty slot. */
  setTray(unit: number, slot: number, tray: TrayInput | null): void {
    this.#printer.setTray(unit, slot, tray);
    this.#pushSoon();
  }

  /** `humidity` = RH % (humidity_raw, X1/H2 only; also sets the index unless given), `humidityIndex` 1–5, `temperature` °C. */
  setAmsEnvironment(unit: number, env: { humidity?: number; humidityIndex?: number; temperature?: number }): void {
    this.#printer.setAmsEnvironment(unit, env);
    this.#pushSoon();
  }

  /** H2D: switch "LAN Only Liveview" on (`ipcam.rtsp_url` is "disable" until then). No effect on P1/A1. */
  setLiveview(on: boolean): void {
    this.#printer.setLiveview(on);
    this.#pushSoon();
  }

  /** Files stored over FTPS, in upload order; `name` is the path without the leading "/". */
  uploads(): { name: string; size: number; md5: string }[] {
    return this.#files.files().map((f) => ({ name: f.path.slice(1), size: f.size, md5: f.md5 }));
  }

  /** Every request payload received (parsed JSON objects), in order; kept while stalled too. */
  commands(): Record<string, unknown>[] {
    return this.#commands.map((c) => structuredClone(c));
  }

  /** The current print's parameters (project_file etc.), null before the first print. */
  currentJob(): BambuJob | null {
    const job = this.#printer.job;
    return job ? { ...job, amsMapping: [...job.amsMapping] } : null;
  }

  /** The full `print` object as pushall would return it, without publishing it. */
  report(): Record<string, unknown> {
    this.#printer.refresh();
    return JSON.parse(`{${this.#printer.fields.all()}}`) as Record<string, unknown>;
  }

  // ── Faults ─────────────────────────────────────────────────────────────────────────────────

  /** While on, new MQTT and FTPS connections are closed as soon as they are accepted. */
  refuseConnections(on: boolean): void {
    this.#refusing = on;
  }

  /** Destroys every MQTT and FTPS connection (no DISCONNECT, no close_notify). */
  dropConnections(): void {
    destroyAll(this.#mqttSockets);
    this.#ftps?.dropConnections();
  }

  /** While on: sockets stay open and MQTT pings are answered, but no reports, no command answers, no FTP replies. */
  stall(on: boolean): void {
    this.#stalled = on;
  }

  sendGarbage(): void {
    for (const payload of GARBAGE_PAYLOADS) this.#publish(payload);
  }

  /** Half of a full report: a message cut off mid-JSON. */
  sendTruncatedJson(): void {
    const full = this.#printer.peekFullReport();
    this.#publish(full.slice(0, Math.floor(full.length / 2)));
  }

  /** A section no driver knows (`{"foo":{...}}`); it must be ignored. */
  sendUnknownSection(): void {
    this.#publish('{"foo":{"command":"bar","sequence_id":"7","value":42,"nested":{"gcode_state":"FAILED"}}}');
  }

  /** Later MQTT connections and FTPS logins must use this code; open sessions stay. */
  setAccessCode(code: string): void {
    this.#accessCode = code;
  }

  /** While on, every FTPS upload's data connection is cut after its first chunk (426, nothing stored). */
  failFtpsMidTransfer(on: boolean): void {
    this.#failMidTransfer = on;
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────

  #onRequest(payload: Buffer | string): void {
    let message: unknown;
    try {
      message = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    } catch {
      return; // the printer ignores what it cannot parse
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
    const request = message as Record<string, unknown>;
    this.#commands.push(request);
    if (this.#stalled) return;
    const outcome = this.#printer.handleRequest(request);
    for (const reply of outcome.replies) this.#publish(reply, reply.includes('"command":"push_status"'));
    if (outcome.changed) this.#pushSoon();
  }

  /** State changed by a command or a test: push now (coalesced) instead of waiting for the tick. */
  #pushSoon(): void {
    if (this.#pushPending || !this.#broker) return;
    this.#pushPending = true;
    setImmediate(() => {
      this.#pushPending = false;
      this.#push();
    });
  }

  #push(): void {
    const broker = this.#broker;
    if (!broker || this.#stalled || broker.connectedClients === 0) return;
    this.#publish(this.#printer.periodicReport(), true);
  }

  #publish(payload: string | Buffer, report = false): void {
    const broker = this.#broker;
    if (!broker) return;
    const packet: PublishPacket = {
      cmd: 'publish',
      topic: this.#reportTopic,
      payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
      qos: 0,
      retain: false,
      dup: false,
    };
    const watched = report && this.#options.onReportPush !== undefined && typeof payload === 'string';
    if (watched) this.#unwritten.set(packet.payload as Buffer, payload);
    // aedes writes to the subscribers' sockets a few ticks later, and calls back later still.
    broker.publish(packet, () => {
      if (watched) this.#unwritten.delete(packet.payload as Buffer);
    });
  }

  /**
   * Stamps reports as they are written: aedes (through mqtt-packet) writes a PUBLISH as header,
   * topic and then the payload buffer itself, so the write of that very buffer is the moment the
   * report left for the client. Measuring here, not in publish()'s callback, keeps aedes' own
   * deferrals out of the figure (the callback comes after the client may already have it).
   */
  #watchWrites(socket: TLSSocket, onPush: (payload: string, sentAt: bigint) => void): void {
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const watched = (chunk: unknown, ...rest: unknown[]): boolean => {
      const written = write(chunk, ...rest);
      const payload = Buffer.isBuffer(chunk) ? this.#unwritten.get(chunk) : undefined;
      if (payload !== undefined && Buffer.isBuffer(chunk)) {
        this.#unwritten.delete(chunk);
        onPush(payload, process.hrtime.bigint());
      }
      return written;
    };
    socket.write = watched;
  }
}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: returnCode });
}

/** MQTT topic filter matching (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const part = f[i];
    if (part === '#') return true; // also matches the parent level ("a/#" matches "a")
    if (i >= t.length) return false;
    if (part !== '+' && part !== t[i]) return false;
  }
  return f.length === t.length;
}
