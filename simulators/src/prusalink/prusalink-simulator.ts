import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { destroyAll, listen, trackConnections } from '../net.js';
import { type PrintPlan, PrintRun, sensorReading } from '../print-run.js';
import { DigestNonces } from './digest-server.js';
import { type JsonObject, type JsonValue, numberAt, objectAt, prusaLinkFixtures, stringAt } from './fixtures.js';
import { shortName } from './short-name.js';

/**
 * A PrusaLink printer on a real HTTP port: the v1 API of Buddy firmware (MK4/XL/MINI…) or of the
 * Raspberry-Pi PrusaLink (MK3), with Digest and X-Api-Key authentication, the status/job state
 * machine driven by a `PrintRun`, PUT upload with the RFC 8941 headers, and fault injection.
 *
 * Cheap by design: no timers run while idle or printing (the print advances lazily when asked),
 * so a benchmark can hold a hundred of them in one process.
 */
export type PrusaLinkFirmware = 'buddy' | 'pi';

export interface PrusaLinkAuth {
  apiKey?: string;
  /** Digest user; 'maker' by default. */
  username?: string;
  /** Digest password; digest authentication is on when this is set. */
  password?: string;
}

export interface PrusaLinkSimulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** No auth at all when omitted. With a key and a password, X-Api-Key is checked when sent, otherwise Digest is required. */
  auth?: PrusaLinkAuth;
  firmware?: PrusaLinkFirmware;
  /** Simulated seconds per real second. */
  speed?: number;
  /** Hostname the printer reports. */
  name?: string;
  /** FINISHED/STOPPED fall back to IDLE this many real ms after they were first reported; null (default) = until `acknowledge()` or the next print. */
  autoAcknowledgeMs?: number | null;
  /** A digest nonce older than this is answered with `stale=true`; default 300 000. */
  nonceLifetimeMs?: number;
  /** ± °C of thermistor noise on temp_nozzle/temp_bed (0.1 °C steps, as PrusaLink reports them); default 0 = exact. */
  sensorNoise?: number;
}

export type PrusaLinkPrinterState = 'IDLE' | 'BUSY' | 'PRINTING' | 'PAUSED' | 'FINISHED' | 'STOPPED' | 'ERROR' | 'ATTENTION';

export interface PrusaLinkSimulatorStats {
  requests: number;
  /** 401 answers (each carries a fresh challenge). */
  unauthorized: number;
  /** 401 answers with `stale=true`. */
  stale: number;
  statusRequests: number;
  jobRequests: number;
}

export interface PrusaLinkUploadRecord {
  storage: string;
  path: string;
  size: number;
  /** The raw header values as received. */
  printAfterUpload: string | undefined;
  overwrite: string | undefined;
  contentType: string | undefined;
  printStarted: boolean;
}

interface StoredFile {
  /** 8.3 short name on Buddy; the long name on the Pi. */
  name: string;
  displayName: string;
  size: number;
  mTimestamp: number;
}

interface Storage {
  /** URL segment: /api/v1/files/{key}/… */
  key: string;
  path: string;
  title: string;
  type: 'USB' | 'LOCAL' | 'SDCARD';
  readOnly: boolean;
  files: Map<string, StoredFile>;
}

interface Job {
  id: number;
  file: StoredFile;
  storage: Storage;
  /** When the end (FINISHED/STOPPED) was first seen, for autoAcknowledgeMs. */
  endSeenAt: number | null;
}

const REALM = 'Administrator';
const TOTAL_SPACE = 7_948_206_080;
let instances = 0;

export class PrusaLinkSimulator {
  readonly firmware: PrusaLinkFirmware;
  readonly name: string;
  readonly serial: string;
  readonly stats: PrusaLinkSimulatorStats = { requests: 0, unauthorized: 0, stale: 0, statusRequests: 0, jobRequests: 0 };
  lastUpload: PrusaLinkUploadRecord | null = null;

  readonly #sensorNoise: number;
  readonly #host: string;
  #port: number;
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  readonly #stalled = new Set<ServerResponse>();
  #auth: PrusaLinkAuth;
  readonly #nonces: DigestNonces;
  readonly #run: PrintRun;
  readonly #storages: Storage[];
  readonly #autoAcknowledgeMs: number | null;
  #job: Job | null = null;
  #nextJobId = 1;
  #attention: string | null = null;
  /** Paused by setAttention, resumed when the attention is cleared. */
  #attentionPaused = false;
  #refuse = false;
  #stall = false;
  #garbage = false;
  #failStatus: number | null = null;
  #z: number;

  constructor(options: PrusaLinkSimulatorOptions = {}) {
    instances++;
    this.firmware = options.firmware ?? 'buddy';
    const fx = prusaLinkFixtures();
    this.name = options.name ?? (this.firmware === 'buddy' ? stringAt(fx.version, 'hostname', 'PrusaXL') : 'prusa-mk3');
    this.serial = `SIM${String(instances).padStart(6, '0')}`;
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.#auth = { ...options.auth };
    this.#nonces = new DigestNonces(options.nonceLifetimeMs ?? 300_000);
    this.#run = new PrintRun(options.speed ?? 1);
    this.#sensorNoise = Math.max(0, options.sensorNoise ?? 0);
    this.#autoAcknowledgeMs = options.autoAcknowledgeMs ?? null;
    this.#z = numberAt(objectAt(fx.statusIdle, 'printer'), 'axis_z', 0);
    this.#storages =
      this.firmware === 'buddy'
        ? [{ key: 'usb', path: '/usb/', title: 'usb', type: 'USB', readOnly: false, files: new Map() }]
        : [
            { key: 'local', path: '/local', title: 'PrusaLink gcodes', type: 'LOCAL', readOnly: false, files: new Map() },
            { key: 'sdcard', path: '/sdcard', title: 'SD Card', type: 'SDCARD', readOnly: true, files: new Map() },
          ];
    // The file of the recorded job is on the stick from the start.
    const recorded = objectAt(fx.jobPrinting, 'file');
    const displayName = stringAt(recorded, 'display_name', 'TabletStand3.bgcode');
    this.#writable().files.set(displayName, {
      name: this.firmware === 'buddy' ? stringAt(recorded, 'name', 'TABLET~1.BGC') : displayName,
      displayName,
      size: numberAt(recorded, 'size', 754_535),
      mTimestamp: numberAt(recorded, 'm_timestamp', 1_698_686_881),
    });
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `http://${host}:${this.#port}`;
  }

  /** The state `/api/v1/status` reports now. */
  get state(): PrusaLinkPrinterState {
    this.#housekeeping();
    return this.#printerState();
  }

  get jobId(): number | null {
    this.#housekeeping();
    return this.#job?.id ?? null;
  }

  /** Files on a storage ('usb' on Buddy, 'local' on the Pi by default). */
  files(storage?: string): { name: string; displayName: string; size: number }[] {
    const target = storage === undefined ? this.#writable() : this.#storages.find((s) => s.key === storage);
    return target ? [...target.files.values()].map((f) => ({ name: f.name, displayName: f.displayName, size: f.size })) : [];
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => this.#handle(req, res));
    trackConnections(server, this.#sockets, () => this.#refuse);
    this.#port = await listen(server, this.#port, this.#host);
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of this.#stalled) res.destroy();
    this.#stalled.clear();
    destroyAll(this.#sockets);
    await closed;
  }

  // ---- programmatic control -------------------------------------------------------------------

  /** Someone pressed print on the printer. The file is added to the storage if it is not there. */
  startPrint(fileName: string, plan: Partial<PrintPlan> = {}): number {
    this.#housekeeping();
    if (this.#busy()) throw new Error(`printer is ${this.#printerState()}, cannot start ${fileName}`);
    const storage = this.#writable();
    const file = this.#findFile(storage, fileName) ?? this.#storeFile(storage, fileName, 1_048_576);
    return this.#startJob(storage, file, plan);
  }

  /** The user confirmed the end of the print on the printer's screen: FINISHED/STOPPED/ERROR → IDLE. */
  acknowledge(): void {
    this.#run.tick();
    const phase = this.#run.phase;
    if (phase === 'complete' || phase === 'cancelled' || phase === 'error') {
      this.#run.reset();
      this.#job = null;
    }
  }

  setSpeed(speed: number): void {
    this.#run.setSpeed(speed);
  }

  /** ATTENTION (e.g. filament runout) pauses a running print; null clears it and resumes what it paused. */
  setAttention(message: string | null): void {
    this.#housekeeping();
    if (message !== null) {
      if (this.#attention === null && this.#run.pause()) this.#attentionPaused = true;
      this.#attention = message;
      return;
    }
    this.#attention = null;
    if (this.#attentionPaused) this.#run.resume();
    this.#attentionPaused = false;
  }

  /** The print fails (ERROR until acknowledged). */
  failPrint(): void {
    this.#housekeeping();
    if (this.#run.isActive()) this.#run.fail();
  }

  /** Every nonce handed out so far becomes stale. */
  expireNonces(): void {
    this.#nonces.expireAll();
  }

  refuseConnections(on: boolean): void {
    this.#refuse = on;
  }

  dropConnections(): void {
    destroyAll(this.#sockets);
  }

  /** While on, requests hang without an answer (released by closing their sockets when turned off). */
  stall(on: boolean): void {
    this.#stall = on;
    if (on) return;
    for (const res of this.#stalled) res.destroy();
    this.#stalled.clear();
  }

  /** While on, `/api/v1/status` and `/api/v1/job` answer 200 with a malformed JSON body. */
  sendGarbage(on: boolean): void {
    this.#garbage = on;
  }

  /** Every request answers this status (null to stop). */
  failHttp(status: number | null): void {
    this.#failStatus = status;
  }

  setCredentials(auth: PrusaLinkAuth): void {
    this.#auth = { ...auth };
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.stats.requests++;
    if (this.#failStatus !== null)
      return this.#error(req, res, this.#failStatus, 'Simulated failure', `The printer answers HTTP ${this.#failStatus} to everything.`);
    if (this.#stall) {
      this.#stalled.add(res);
      res.on('close', () => this.#stalled.delete(res));
      return;
    }
    if (!this.#authorized(req, res)) return;
    this.#housekeeping();

    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    let segments: string[];
    try {
      segments = pathname
        .split('/')
        .filter((s) => s !== '')
        .map((s) => decodeURIComponent(s));
    } catch {
      return this.#error(req, res, 400, 'Bad Request', 'The request path is not valid.');
    }
    const method = req.method ?? 'GET';
    const [a, b, c, d, e] = segments;

    if (a !== 'api') return this.#notFound(req, res);
    if (b === 'version' && segments.length === 2) {
      if (this.#only(req, res, 'GET')) this.#json(res, 200, this.#version());
      return;
    }
    if (b !== 'v1') return this.#notFound(req, res);
    if (segments.length === 3 && (c === 'info' || c === 'storage' || c === 'status' || c === 'job')) {
      if (!this.#only(req, res, 'GET')) return;
      if (c === 'info') return this.#json(res, 200, this.#info());
      if (c === 'storage') return this.#json(res, 200, this.#storageList());
      if (c === 'status') this.stats.statusRequests++;
      else this.stats.jobRequests++;
      if (this.#garbage) return this.#sendGarbage(res);
      if (c === 'status') return this.#json(res, 200, this.#status());
      const job = this.#jobBody();
      return job === null ? this.#empty(res, 204) : this.#json(res, 200, job);
    }
    if (c === 'job' && d !== undefined && /^\d+$/.test(d)) {
      const id = Number(d);
      if (segments.length === 4) {
        if (this.#only(req, res, 'DELETE')) this.#jobAction(req, res, id, 'stop');
        return;
      }
      if (segments.length === 5 && (e === 'pause' || e === 'resume')) {
        if (this.#only(req, res, 'PUT')) this.#jobAction(req, res, id, e);
        return;
      }
    }
    if (c === 'files' && d !== undefined && segments.length >= 5) {
      const storage = this.#storages.find((s) => s.key === d);
      if (!storage) return this.#error(req, res, 404, 'Not Found', `Storage ${d} does not exist.`);
      const path = segments.slice(4).join('/');
      if (method === 'POST') return this.#startFile(req, res, storage, path);
      if (method === 'PUT') return this.#upload(req, res, storage, path);
      return this.#error(req, res, 405, 'Method Not Allowed', `${method} is not supported here.`, { Allow: 'POST, PUT' });
    }
    return this.#notFound(req, res);
  }

  #authorized(req: IncomingMessage, res: ServerResponse): boolean {
    const { apiKey, password } = this.#auth;
    if (apiKey === undefined && password === undefined) return true;
    const key = req.headers['x-api-key'];
    if (typeof key === 'string') {
      if (apiKey !== undefined && key === apiKey) return true;
      this.#unauthorized(req, res, false);
      return false;
    }
    const header = req.headers.authorization;
    if (password !== undefined && typeof header === 'string') {
      const verdict = this.#nonces.verify(header, req.method ?? 'GET', req.url ?? '/', REALM, this.#auth.username ?? 'maker', password);
      if (verdict === 'ok') return true;
      this.#unauthorized(req, res, verdict === 'stale');
      return false;
    }
    this.#unauthorized(req, res, false);
    return false;
  }

  #unauthorized(req: IncomingMessage, res: ServerResponse, stale: boolean): void {
    this.stats.unauthorized++;
    if (stale) this.stats.stale++;
    const challenge = `Digest realm="${REALM}", nonce="${this.#nonces.issue()}", qop="auth", algorithm=MD5${stale ? ', stale=true' : ''}`;
    this.#error(req, res, 401, 'Unauthorized', 'The credentials are missing or wrong.', { 'WWW-Authenticate': challenge });
  }

  #jobAction(req: IncomingMessage, res: ServerResponse, id: number, action: 'pause' | 'resume' | 'stop'): void {
    const job = this.#job;
    if (!job || job.id !== id) return this.#error(req, res, 404, 'Not Found', `There is no job with id ${id}.`);
    const phase = this.#run.phase;
    let done: boolean;
    if (action === 'pause') done = this.#attention === null && this.#run.pause();
    else if (action === 'resume') done = this.#attention === null && this.#run.resume();
    else {
      done = this.#run.cancel();
      if (done) {
        this.#attention = null;
        this.#attentionPaused = false;
      }
    }
    if (!done) {
      const state = this.#attention !== null ? 'ATTENTION' : this.#stateOf(phase);
      const [title, text] =
        action === 'pause'
          ? ['Not Printing', `The printer is ${state}, not printing.`]
          : action === 'resume'
            ? ['Not Paused', `The printer is ${state}, not paused.`]
            : ['Not Printing', `The printer is ${state}; there is no running job to stop.`];
      return this.#error(req, res, 409, title, text);
    }
    return this.#empty(res, 204);
  }

  #startFile(req: IncomingMessage, res: ServerResponse, storage: Storage, path: string): void {
    const file = this.#findFile(storage, path);
    if (!file) return this.#error(req, res, 404, 'Not Found', `File ${path} does not exist.`);
    if (this.#busy()) return this.#error(req, res, 409, 'Printer Busy', `Cannot start a print: the printer is ${this.#printerState()}.`);
    this.#startJob(storage, file, {});
    this.#empty(res, 204);
  }

  #upload(req: IncomingMessage, res: ServerResponse, storage: Storage, path: string): void {
    const lengthHeader = req.headers['content-length'];
    if (lengthHeader === undefined) return this.#error(req, res, 411, 'Length Required', 'Content-Length is required.');
    const length = Number(lengthHeader);
    if (!/^\d+$/.test(lengthHeader) || !Number.isSafeInteger(length))
      return this.#error(req, res, 400, 'Bad Request', 'Content-Length is not valid.');
    if (storage.readOnly) return this.#error(req, res, 409, 'Read-Only Storage', `Storage ${storage.key} is read-only.`);
    // RFC 8941 booleans: only the exact "?1" is true.
    const printAfterUpload = header(req, 'print-after-upload');
    const overwrite = header(req, 'overwrite');
    const toPrint = printAfterUpload === '?1';
    const existing = this.#findFile(storage, path);
    if (existing && overwrite !== '?1') return this.#error(req, res, 409, 'File Exists', `File ${path} already exists.`);
    if (existing && this.#job && this.#job.file === existing && this.#run.isActive()) {
      return this.#error(req, res, 409, 'File Printed', `File ${path} is being printed.`);
    }
    if (toPrint && this.#busy())
      return this.#error(req, res, 409, 'Printer Busy', `Cannot print after upload: the printer is ${this.#printerState()}.`);

    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    req.on('end', () => {
      if (received !== length) return this.#error(req, res, 400, 'Bad Request', 'The body does not match Content-Length.');
      if (existing) storage.files.delete(existing.displayName);
      const file = this.#storeFile(storage, path, received);
      let printStarted = false;
      if (toPrint && !this.#busy()) {
        this.#startJob(storage, file, {});
        printStarted = true;
      }
      this.lastUpload = {
        storage: storage.key,
        path,
        size: received,
        printAfterUpload,
        overwrite,
        contentType: header(req, 'content-type'),
        printStarted,
      };
      this.#json(res, 201, this.#fileInfo(storage, file));
    });
  }

  // ---- state ----------------------------------------------------------------------------------

  /** Lazy bookkeeping run before every answer: auto-acknowledge. */
  #housekeeping(): void {
    const job = this.#job;
    if (!job) return;
    const phase = this.#run.phase;
    if (phase !== 'complete' && phase !== 'cancelled') return;
    const now = Date.now();
    job.endSeenAt ??= now;
    if (this.#autoAcknowledgeMs !== null && now - job.endSeenAt >= this.#autoAcknowledgeMs) this.acknowledge();
  }

  #busy(): boolean {
    return this.#run.isActive() || this.#attention !== null || this.#run.phase === 'error';
  }

  #startJob(storage: Storage, file: StoredFile, plan: Partial<PrintPlan>): number {
    this.#run.reset();
    this.#run.start({ ...plan, fileName: file.displayName });
    this.#job = { id: this.#nextJobId++, file, storage, endSeenAt: null };
    return this.#job.id;
  }

  #printerState(): PrusaLinkPrinterState {
    if (this.#attention !== null) return 'ATTENTION';
    return this.#stateOf(this.#run.phase);
  }

  #stateOf(phase: PrintRun['phase']): PrusaLinkPrinterState {
    switch (phase) {
      case 'heating':
        return 'BUSY';
      case 'printing':
        return 'PRINTING';
      case 'paused':
        return 'PAUSED';
      case 'complete':
        return 'FINISHED';
      case 'cancelled':
        return 'STOPPED';
      case 'error':
        return 'ERROR';
      default:
        return 'IDLE';
    }
  }

  #writable(): Storage {
    const storage = this.#storages.find((s) => !s.readOnly) ?? this.#storages[0];
    if (!storage) throw new Error('no storage');
    return storage;
  }

  #findFile(storage: Storage, path: string): StoredFile | null {
    const direct = storage.files.get(path);
    if (direct) return direct;
    for (const file of storage.files.values()) if (file.name === path) return file;
    return null;
  }

  #storeFile(storage: Storage, displayName: string, size: number): StoredFile {
    const name = this.firmware === 'buddy' ? shortName(displayName, new Set([...storage.files.values()].map((f) => f.name))) : displayName;
    const file: StoredFile = { name, displayName, size, mTimestamp: Math.floor(Date.now() / 1000) };
    storage.files.set(displayName, file);
    return file;
  }

  // ---- payloads -------------------------------------------------------------------------------

  #version(): JsonObject {
    if (this.firmware === 'buddy') return { ...prusaLinkFixtures().version, hostname: this.name };
    return {
      api: '2.0.0',
      server: '0.7.2',
      text: 'PrusaLink',
      hostname: this.name,
      firmware: '3.14.1-8237',
      capabilities: { 'upload-by-put': true },
    };
  }

  #info(): JsonObject {
    const fx = prusaLinkFixtures().info;
    if (this.firmware === 'buddy') return { ...fx, serial: this.serial, hostname: this.name };
    return {
      mmu: false,
      name: this.name,
      location: '',
      farm_mode: false,
      nozzle_diameter: numberAt(fx, 'nozzle_diameter', 0.4),
      min_extrusion_temp: numberAt(fx, 'min_extrusion_temp', 170),
      serial: this.serial,
      sd_ready: false,
      active_camera: false,
      hostname: this.name,
      port: '/dev/ttyAMA0',
      network_error_chime: false,
    };
  }

  #storageList(): JsonObject {
    return {
      storage_list: this.#storages.map((s) => {
        const used = [...s.files.values()].reduce((sum, f) => sum + f.size, 0);
        return {
          name: s.title,
          type: s.type,
          path: s.path,
          print_files: used,
          free_space: s.readOnly ? 0 : TOTAL_SPACE - used,
          total_space: s.readOnly ? 0 : TOTAL_SPACE,
          available: !s.readOnly,
          read_only: s.readOnly,
        };
      }),
    };
  }

  #storageStatus(): JsonValue {
    if (this.firmware === 'buddy') {
      const s = this.#writable();
      return { path: s.path, name: s.key, read_only: s.readOnly };
    }
    return this.#storages.map((s) => ({ path: s.path, name: s.key, read_only: s.readOnly }));
  }

  #status(): JsonObject {
    const snap = this.#run.snapshot();
    const state = this.#printerState();
    const moving = snap.phase === 'heating' || snap.phase === 'printing';
    if (snap.currentLayer > 0) this.#z = Math.round(snap.currentLayer * 20) / 100;
    const idle = objectAt(prusaLinkFixtures().statusIdle, 'printer');
    const printer: JsonObject = {
      state,
      temp_bed: this.#reading(snap.bedTemp),
      target_bed: snap.bedTarget,
      temp_nozzle: this.#reading(snap.nozzleTemp),
      target_nozzle: snap.nozzleTarget,
      axis_z: this.#z,
    };
    // Axis X/Y are only reported while the head is not moving.
    if (!moving) {
      printer['axis_x'] = numberAt(idle, 'axis_x', 0);
      printer['axis_y'] = numberAt(idle, 'axis_y', 0);
    }
    printer['flow'] = 100;
    printer['speed'] = 100;
    printer['fan_hotend'] = snap.nozzleTemp > 50 ? 5000 : 0;
    printer['fan_print'] = Math.round(snap.fan * 5000);
    if (this.#attention !== null) printer['status_printer'] = { ok: false, message: this.#attention };
    else if (this.firmware === 'pi') printer['status_printer'] = { ok: true, message: 'OK' };
    const body: JsonObject = {};
    const job = this.#job;
    if (job) body['job'] = { id: job.id, ...this.#jobNumbers(snap) };
    body['storage'] = this.#storageStatus();
    body['printer'] = printer;
    return body;
  }

  #reading(temperature: number): number {
    return sensorReading(temperature, this.#sensorNoise, 10);
  }

  #jobNumbers(snap: ReturnType<PrintRun['snapshot']>): JsonObject {
    return {
      progress: Math.floor(snap.progress * 100),
      time_remaining: Math.round(snap.remainingSeconds),
      time_printing: Math.round(snap.elapsedSeconds),
    };
  }

  #jobBody(): JsonObject | null {
    const job = this.#job;
    if (!job) return null;
    const snap = this.#run.snapshot();
    const state =
      snap.phase === 'paused'
        ? 'PAUSED'
        : snap.phase === 'complete'
          ? 'FINISHED'
          : snap.phase === 'cancelled'
            ? 'STOPPED'
            : snap.phase === 'error'
              ? 'ERROR'
              : 'PRINTING';
    const { file, storage } = job;
    const folder = storage.path.replace(/\/$/, '');
    if (this.firmware === 'buddy') {
      return {
        id: job.id,
        state,
        ...this.#jobNumbers(snap),
        file: {
          refs: buddyRefs(storage, file),
          name: file.name,
          display_name: file.displayName,
          path: folder,
          size: file.size,
          m_timestamp: file.mTimestamp,
        },
      };
    }
    return {
      id: job.id,
      state,
      ...this.#jobNumbers(snap),
      inaccurate_estimates: false,
      file: {
        name: file.name,
        display_name: file.displayName,
        path: folder,
        display_path: `/${storage.title}`,
        size: file.size,
        m_timestamp: file.mTimestamp,
        refs: piRefs(storage, file),
      },
    };
  }

  #fileInfo(storage: Storage, file: StoredFile): JsonObject {
    if (this.firmware === 'buddy') {
      // The keys Buddy firmware was seen to answer a PUT with.
      return {
        name: file.name,
        ro: false,
        type: 'PRINT_FILE',
        m_timestamp: file.mTimestamp,
        size: file.size,
        refs: buddyRefs(storage, file),
        display_name: file.displayName,
      };
    }
    return {
      name: file.name,
      read_only: false,
      type: 'PRINT_FILE',
      m_timestamp: file.mTimestamp,
      size: file.size,
      display_name: file.displayName,
      refs: piRefs(storage, file),
    };
  }

  // ---- replies --------------------------------------------------------------------------------

  #only(req: IncomingMessage, res: ServerResponse, method: string): boolean {
    if (req.method === method) return true;
    this.#error(req, res, 405, 'Method Not Allowed', `${req.method ?? '?'} is not supported here.`, { Allow: method });
    return false;
  }

  #notFound(req: IncomingMessage, res: ServerResponse): void {
    this.#error(req, res, 404, 'Not Found', `${req.url ?? ''} does not exist.`);
  }

  #json(res: ServerResponse, status: number, body: JsonValue): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  #empty(res: ServerResponse, status: number): void {
    res.writeHead(status);
    res.end();
  }

  #sendGarbage(res: ServerResponse): void {
    const text = '{"printer": {"state": "PRINTING", "temp_nozzle": 21';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** Error bodies as the spec has them: JSON `{code,title,text}` when asked for JSON, plain text otherwise. */
  #error(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    title: string,
    text: string,
    headers: Record<string, string> = {},
  ): void {
    if (status === 204 || status === 304 || status < 200) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const json = (req.headers.accept ?? '').includes('application/json');
    const body = json ? JSON.stringify({ code: String(status), title, text }) : text;
    res.writeHead(status, {
      ...headers,
      'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function buddyRefs(storage: Storage, file: StoredFile): JsonObject {
  const folder = storage.path.replace(/\/$/, '');
  return { icon: `/thumb/s${folder}/${file.name}`, thumbnail: `/thumb/l${folder}/${file.name}`, download: `${folder}/${file.name}` };
}

function piRefs(storage: Storage, file: StoredFile): JsonObject {
  const name = encodeURIComponent(file.name);
  return {
    download: `/api/files/${storage.key}/${name}/raw`,
    icon: `/api/thumbnails/${storage.key}/${name}.small.png`,
    thumbnail: `/api/thumbnails/${storage.key}/${name}.orig.png`,
  };
}
