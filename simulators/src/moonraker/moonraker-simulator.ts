import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { posix } from 'node:path';
import type { Duplex } from 'node:stream';

import { Busboy, type BusboyHeaders } from '@fastify/busboy';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

import { destroyAll, listen, trackConnections } from '../net.js';
import type { PrintPhase, PrintPlan } from '../print-run.js';
import {
  identifyResponseFixture,
  notificationFrame,
  printerInfoFixture,
  serverInfoFixture,
  uploadResponseFixture,
  webcamsFixture,
} from './fixtures.js';
import { DEFAULT_SHUTDOWN_REASON, KlipperModel, KlippyError, type KlippyEvent, type KlippyState } from './klipper-model.js';
import { isJsonObject, type JsonObject, type JsonValue, type ObjectRequest, parseObjectRequest } from './object-store.js';
import { onTick } from './shared-ticker.js';

export interface MoonrakerSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** When set, HTTP needs `X-Api-Key` and websocket clients must identify with `api_key`. */
  apiKey?: string | null;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** How often subscribed clients get `notify_status_update` diffs (default 250 ms, Klipper's rate). */
  diffIntervalMs?: number;
  /** The host name the printer reports (printer.info hostname). */
  name?: string;
  /** Plan for prints started over the API or by upload (durations, layers, targets). */
  plan?: Partial<PrintPlan>;
  /**
   * Thermistor noise: every reading of extruder/heater_bed `temperature` is off by up to ± this many
   * °C (uniform), as on real hardware, so a diff carries fresh temperatures even at a steady target.
   * 0 (default) = exact readings.
   */
  sensorNoise?: number;
  /**
   * Called after each `notify_status_update` diff was handed to a client's socket, with the diff and
   * `process.hrtime.bigint()` taken right after the write (for end-to-end latency measurements).
   */
  onStatusPush?: (diff: Readonly<Record<string, JsonObject>>, sentAt: bigint) => void;
}

interface RpcClient {
  id: number;
  ws: WebSocket;
  /** False while an API key is configured and the client has not identified with it. */
  authorized: boolean;
  subscription: ObjectRequest | null;
  /** Store version of the last status this client was sent. */
  pushedVersion: number;
}

/** A JSON-RPC (and HTTP) error: `code` is the JSON-RPC code or HTTP status. */
class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const JSON_BODY_LIMIT = 1024 * 1024;
const SHUTDOWN_SUFFIX =
  '\nOnce the underlying issue is corrected, use the\n"FIRMWARE_RESTART" command to reset the firmware, reload the\nconfig, and restart the host software.\nPrinter is shutdown\n';

/** HTTP endpoints and the JSON-RPC method each one is (Moonraker maps `/a/b/c` to `a.b.c`). */
const HTTP_ROUTES: Record<string, readonly string[]> = {
  '/server/info': ['GET'],
  '/printer/info': ['GET'],
  '/printer/objects/list': ['GET'],
  '/printer/objects/query': ['GET', 'POST'],
  '/printer/print/start': ['POST'],
  '/printer/print/pause': ['POST'],
  '/printer/print/resume': ['POST'],
  '/printer/print/cancel': ['POST'],
  '/printer/emergency_stop': ['POST'],
  '/printer/firmware_restart': ['POST'],
  '/printer/restart': ['POST'],
  '/printer/gcode/script': ['POST'],
  '/server/files/list': ['GET'],
  '/server/webcams/list': ['GET'],
};

/** Frames a broken network or firmware might deliver; a driver must log and drop every one. */
const GARBAGE_FRAMES: readonly (string | Buffer)[] = [
  '{"jsonrpc": "2.0", "method": "notify_status_update", "params": [{"print_stats": {"state": "stan',
  'this is not json',
  'null',
  '42',
  '[1, 2, 3]',
  '{"jsonrpc":"2.0","method":"notify_status_update","params":"garbage"}',
  '{"jsonrpc":"2.0","method":"notify_status_update","params":[["not","an","object"],1]}',
  '{"jsonrpc":"2.0","method":"notify_status_update","params":[{"print_stats":"standby","extruder":{"temperature":"hot","target":null}},1]}',
  '{"jsonrpc":"2.0","method":"notify_status_update","params":[{"print_stats":{"state":42,"info":"x"},"virtual_sdcard":{"progress":"half"}},1]}',
  '{"jsonrpc":"2.0","id":987654321,"result":"an answer nobody asked for"}',
  '{"jsonrpc":"2.0","id":"x","error":"not an error object"}',
  '{"jsonrpc":"2.0","method":42}',
  Buffer.from([0xff, 0xfe, 0x00, 0x01]),
];

/**
 * A Moonraker (Klipper's API server) on real sockets: HTTP and a JSON-RPC 2.0 websocket at
 * `/websocket` on one port, printer objects driven by a PrintRun, subscriptions with diff pushes,
 * and fault injection for tests. Cheap enough to run a hundred in one process.
 */
export class MoonrakerSimulator {
  readonly #host: string;
  readonly #requestedPort: number;
  readonly #apiKey: string | null;
  readonly #diffIntervalMs: number;
  readonly #hostname: string;
  readonly #model: KlipperModel;
  readonly #onStatusPush: ((diff: Readonly<Record<string, JsonObject>>, sentAt: bigint) => void) | null;
  readonly #clients = new Set<RpcClient>();
  readonly #sockets = new Set<Socket>();
  readonly #clockBase = 1000 + Math.floor(Math.random() * 100_000);
  #server: Server | null = null;
  #wss: WebSocketServer | null = null;
  #port = 0;
  #nextClientId = 1_730_367_696;
  #untick: (() => void) | null = null;
  #refusing = false;
  #stalled = false;
  #httpFailure: number | null = null;

  constructor(options: MoonrakerSimulatorOptions = {}) {
    this.#host = options.host ?? '127.0.0.1';
    this.#requestedPort = options.port ?? 0;
    this.#apiKey = options.apiKey ?? null;
    this.#diffIntervalMs = options.diffIntervalMs ?? 250;
    const recordedHostname = printerInfoFixture()['hostname'];
    this.#hostname = options.name ?? (typeof recordedHostname === 'string' ? recordedHostname : 'moonraker-sim');
    this.#onStatusPush = options.onStatusPush ?? null;
    this.#model = new KlipperModel({
      speed: options.speed ?? 1,
      plan: options.plan ?? {},
      sensorNoise: options.sensorNoise ?? 0,
      onKlippyEvent: (event) => this.#onKlippyEvent(event),
    });
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `http://${host}:${this.#port}`;
  }

  /** Open websocket sessions. */
  get clientCount(): number {
    return this.#clients.size;
  }

  get klippyState(): KlippyState {
    return this.#model.klippyState;
  }

  /** The PrintRun's phase right now. */
  get phase(): PrintPhase {
    return this.#model.run.phase;
  }

  /** Every printer object as a full query would return it (after bringing it up to date). */
  objects(): Record<string, JsonObject> {
    this.#model.refresh();
    return this.#model.store.query(new Map(this.#model.store.names().map((n) => [n, null])));
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => this.#onRequest(req, res));
    const wss = new WebSocketServer({ noServer: true, autoPong: false });
    trackConnections(server, this.#sockets, () => this.#refusing);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head));
    server.on('clientError', (_err, socket) => socket.destroy());
    this.#port = await listen(server, this.#requestedPort, this.#host);
    this.#server = server;
    this.#wss = wss;
    this.#untick = onTick(this.#diffIntervalMs, () => this.#pushDiffs());
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    this.#untick?.();
    this.#untick = null;
    for (const client of this.#clients) client.ws.terminate();
    this.#clients.clear();
    this.#wss?.close();
    this.#wss = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    destroyAll(this.#sockets);
    await closed;
  }

  // ---- programmatic control ------------------------------------------------------------------

  /** Someone pressed print on the printer's screen. */
  startPrint(fileName: string, plan?: Partial<PrintPlan>): void {
    this.#model.startPrint(fileName, plan);
  }

  setSpeed(speed: number): void {
    this.#model.setSpeed(speed);
  }

  /**
   * Someone set heater targets on the printer's screen (SET_HEATER_TEMPERATURE): during a print the
   * new target wins over the plan's until the print ends. Out-of-range targets throw like Klipper.
   */
  setTargets(targets: { nozzle?: number; bed?: number }): void {
    const lines: string[] = [];
    if (targets.nozzle !== undefined) lines.push(`SET_HEATER_TEMPERATURE HEATER=extruder TARGET=${targets.nozzle}`);
    if (targets.bed !== undefined) lines.push(`SET_HEATER_TEMPERATURE HEATER=heater_bed TARGET=${targets.bed}`);
    if (lines.length > 0) this.#model.runGcode(lines.join('\n'));
  }

  /** The print fails with `message` in print_stats (Klipper stays ready). */
  failPrint(message = 'Print failed'): void {
    this.#model.failPrint(message);
  }

  /** While on, every new TCP connection is destroyed at once. */
  refuseConnections(on: boolean): void {
    this.#refusing = on;
  }

  /** Destroys every open socket (HTTP and websocket) without a close frame. */
  dropConnections(): void {
    destroyAll(this.#sockets);
  }

  /** While on: no HTTP or JSON-RPC answers, no pushes, no pongs; sockets stay open. */
  stall(on: boolean): void {
    this.#stalled = on;
  }

  /** Sends malformed JSON-RPC frames to every websocket client. */
  sendGarbage(): void {
    for (const client of this.#clients) for (const frame of GARBAGE_FRAMES) this.#send(client, frame);
  }

  /** Every HTTP request is answered with this status (null = normal service). */
  failHttp(status: number | null): void {
    this.#httpFailure = status;
  }

  /** Klipper shuts down (webhooks.state shutdown, notify_klippy_shutdown); `message` becomes state_message. */
  klippyShutdown(message?: string): void {
    this.#model.shutdown(message ?? `${DEFAULT_SHUTDOWN_REASON}${SHUTDOWN_SUFFIX}`);
  }

  /** Klipper comes back ready (a FIRMWARE_RESTART when it was shut down): notify_klippy_ready. */
  klippyReady(): void {
    this.#model.ready();
  }

  /** Moonraker loses Klippy (notify_klippy_disconnected; subscriptions end). */
  klippyDisconnect(): void {
    this.#model.disconnect();
  }

  /** Klippy is connected but starting (server.info klippy_state "startup"). */
  klippyStartup(): void {
    this.#model.startup();
  }

  /** A burst of `count` status diffs (extruder temperature jitter ending on the true value). */
  flood(count: number): void {
    if (this.#stalled) return;
    this.#model.refresh();
    const temperature = this.#model.store.get('extruder', 'temperature');
    if (typeof temperature !== 'number') return;
    for (const client of this.#clients) {
      const fields = client.subscription?.get('extruder');
      if (fields === undefined || (fields !== null && !fields.includes('temperature'))) continue;
      for (let i = 0; i < count; i++) {
        const value = i === count - 1 ? temperature : Math.round((temperature + ((i % 4) + 1) * 0.3) * 100) / 100;
        this.#send(
          client,
          JSON.stringify({
            jsonrpc: '2.0',
            method: 'notify_status_update',
            params: [{ extruder: { temperature: value } }, this.#eventtime()],
          }),
        );
      }
    }
  }

  // ---- pushes ----------------------------------------------------------------------------

  #pushDiffs(): void {
    if (this.#stalled || this.#clients.size === 0) return;
    let refreshed = false;
    let eventtime = 0;
    for (const client of this.#clients) {
      if (!client.subscription) continue;
      if (!refreshed) {
        this.#model.refresh();
        eventtime = this.#eventtime();
        refreshed = true;
      }
      const diff = this.#model.store.changedSince(client.pushedVersion, client.subscription);
      client.pushedVersion = this.#model.store.version;
      if (!diff) continue;
      const sent = this.#send(client, JSON.stringify({ jsonrpc: '2.0', method: 'notify_status_update', params: [diff, eventtime] }));
      if (sent && this.#onStatusPush) this.#onStatusPush(diff, process.hrtime.bigint());
    }
  }

  #onKlippyEvent(event: KlippyEvent): void {
    if (event === 'disconnected') for (const client of this.#clients) client.subscription = null;
    if (this.#stalled) return;
    const frame = notificationFrame(`notify_klippy_${event}`);
    for (const client of this.#clients) this.#send(client, frame);
  }

  /** Whether the frame was handed to the socket (false when the client is not open). */
  #send(client: RpcClient, frame: string | Buffer): boolean {
    if (client.ws.readyState !== WebSocket.OPEN) return false;
    client.ws.send(frame, (err) => {
      if (err) client.ws.terminate();
    });
    return true;
  }

  #eventtime(): number {
    return Math.round((this.#clockBase + performance.now() / 1000) * 1e6) / 1e6;
  }

  // ---- websocket ---------------------------------------------------------------------------

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#stalled) return; // the upgrade hangs, like a frozen host
    const wss = this.#wss;
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (!wss || path !== '/websocket' || this.#httpFailure !== null) {
      const status = this.#httpFailure ?? 404;
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: RpcClient = {
        id: this.#nextClientId++,
        ws,
        authorized: this.#apiKey === null || req.headers['x-api-key'] === this.#apiKey,
        subscription: null,
        pushedVersion: 0,
      };
      this.#clients.add(client);
      ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(client, data, isBinary));
      ws.on('ping', (data: Buffer) => {
        if (!this.#stalled) ws.pong(data);
      });
      ws.on('close', () => this.#clients.delete(client));
      ws.on('error', () => ws.terminate());
    });
  }

  #onMessage(client: RpcClient, data: RawData, isBinary: boolean): void {
    if (this.#stalled) return;
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(rawToString(data));
    } catch {
      this.#send(client, JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
      return;
    }
    if (!isJsonObject(message) || message['jsonrpc'] !== '2.0' || typeof message['method'] !== 'string') {
      const id = isJsonObject(message) ? (message['id'] ?? null) : null;
      this.#send(client, JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id }));
      return;
    }
    const id = message['id'];
    const params = isJsonObject(message['params']) ? message['params'] : {};
    let reply: JsonObject;
    try {
      reply = { jsonrpc: '2.0', result: this.#call(message['method'], params, client), id: id ?? null };
    } catch (err) {
      const { code, message: text } = toError(err);
      reply = { jsonrpc: '2.0', error: { code, message: text }, id: id ?? null };
    }
    if (id !== undefined) this.#send(client, JSON.stringify(reply));
  }

  // ---- methods (shared by HTTP and JSON-RPC) ---------------------------------------------------

  #call(method: string, args: JsonObject, client: RpcClient | null): JsonValue {
    if (client && !client.authorized && method !== 'server.connection.identify') throw new RpcError(401, 'Unauthorized');
    const model = this.#model;
    switch (method) {
      case 'server.connection.identify': {
        if (!client) throw new RpcError(-32601, 'Method not found');
        if (!client.authorized) {
          if (args['api_key'] !== this.#apiKey) throw new RpcError(401, 'Unauthorized');
          client.authorized = true;
        }
        return { ...identifyResponseFixture(), connection_id: client.id };
      }
      case 'server.info': {
        const state = model.klippyState;
        return {
          ...serverInfoFixture(),
          klippy_connected: state !== 'disconnected',
          klippy_state: state,
          websocket_count: this.#clients.size,
        };
      }
      case 'server.files.list': {
        const root = typeof args['root'] === 'string' ? args['root'] : 'gcodes';
        if (root === 'config') return [];
        if (root !== 'gcodes') throw new RpcError(400, `Invalid root path (${root})`);
        return model.files().map((f) => ({ path: f.path, modified: f.modified, size: f.size, permissions: f.permissions }));
      }
      case 'server.webcams.list':
        return webcamsFixture();
      default:
        break;
    }
    if (!method.startsWith('printer.')) throw new RpcError(-32601, 'Method not found');
    if (model.klippyState === 'disconnected') throw new RpcError(503, 'Klippy Disconnected');
    switch (method) {
      case 'printer.info':
        return { ...printerInfoFixture(), state: model.klippyState, state_message: model.stateMessage, hostname: this.#hostname };
      case 'printer.objects.list':
        return { objects: model.store.names() };
      case 'printer.objects.query':
      case 'printer.objects.subscribe': {
        const request = parseObjectRequest(args['objects']);
        if (!request) throw new RpcError(400, 'No data for argument: objects');
        model.refresh();
        if (method === 'printer.objects.subscribe') {
          if (!client) throw new RpcError(-32601, 'Method not found');
          client.subscription = request;
          client.pushedVersion = model.store.version;
        }
        return { eventtime: this.#eventtime(), status: model.store.query(request) };
      }
      case 'printer.print.start': {
        const filename = args['filename'];
        if (typeof filename !== 'string' || filename === '') throw new RpcError(400, 'No data for argument: filename');
        model.printFile(filename.replace(/^\/+/, ''));
        return 'ok';
      }
      case 'printer.print.pause':
        model.pause();
        return 'ok';
      case 'printer.print.resume':
        model.resume();
        return 'ok';
      case 'printer.print.cancel':
        model.cancel();
        return 'ok';
      case 'printer.emergency_stop':
        model.emergencyStop();
        return 'ok';
      case 'printer.firmware_restart':
      case 'printer.restart':
        model.ready();
        return 'ok';
      case 'printer.gcode.script': {
        const script = args['script'];
        if (typeof script !== 'string') throw new RpcError(400, 'No data for argument: script');
        model.runGcode(script);
        return 'ok';
      }
      default:
        throw new RpcError(-32601, 'Method not found');
    }
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (this.#stalled) return; // no answer; the client's timeout has to notice
    this.#handleHttp(req, res).catch((err: unknown) => {
      const { code, message } = toError(err);
      sendError(res, code >= 400 && code < 600 ? code : 500, message);
    });
  }

  async #handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#httpFailure !== null) {
      req.resume();
      sendError(res, this.#httpFailure, 'Simulated failure');
      return;
    }
    if (this.#apiKey !== null && req.headers['x-api-key'] !== this.#apiKey) {
      req.resume();
      sendError(res, 401, 'Unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    if (url.pathname === '/server/files/upload') {
      if (method !== 'POST') throw new RpcError(405, 'Method Not Allowed');
      await this.#upload(req, res);
      return;
    }
    const methods = HTTP_ROUTES[url.pathname];
    if (!methods) {
      req.resume();
      throw new RpcError(404, 'Not Found');
    }
    if (!methods.includes(method)) {
      req.resume();
      throw new RpcError(405, 'Method Not Allowed');
    }
    const args = await readArgs(req, url);
    const result = this.#call(url.pathname.slice(1).replaceAll('/', '.'), args, null);
    sendJson(res, 200, { result });
  }

  async #upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
      req.resume();
      throw new RpcError(400, 'Upload requires multipart/form-data');
    }
    const fields = new Map<string, string>();
    let file: { name: string; size: number; hash: ReturnType<typeof createHash> } | null = null;
    await new Promise<void>((resolve, reject) => {
      const busboy = Busboy({ headers: req.headers as BusboyHeaders, limits: { files: 1, fields: 20 } });
      busboy.on('field', (name, value) => fields.set(name, value));
      busboy.on('file', (field, stream, filename) => {
        if (field !== 'file' || file) {
          stream.resume();
          return;
        }
        const current = { name: filename, size: 0, hash: createHash('sha256') };
        file = current;
        stream.on('data', (chunk: Buffer) => {
          current.size += chunk.length;
          current.hash.update(chunk);
        });
      });
      busboy.on('finish', () => resolve());
      busboy.on('error', (err) => reject(new RpcError(400, `Malformed upload: ${err instanceof Error ? err.message : String(err)}`)));
      req.on('error', reject);
      req.pipe(busboy);
    });
    const received = file as { name: string; size: number; hash: ReturnType<typeof createHash> } | null;
    if (!received || received.name === '') throw new RpcError(400, 'No file name specified in upload form');
    const root = fields.get('root') ?? 'gcodes';
    if (root !== 'gcodes') throw new RpcError(400, `Invalid root request: ${root}`);
    const path = posix.normalize(posix.join(fields.get('path') ?? '', received.name)).replace(/^\/+/, '');
    if (path.startsWith('..') || path === '.' || path === '') throw new RpcError(400, `Invalid file path: ${path}`);
    const checksum = fields.get('checksum');
    const digest = received.hash.digest('hex');
    if (checksum !== undefined && checksum.toLowerCase() !== digest) {
      throw new RpcError(422, `File checksum mismatch: expected ${checksum}, calculated ${digest}`);
    }
    const { file: stored } = this.#model.addFile(path, received.size);
    let printStarted = false;
    if (fields.get('print') === 'true' && this.#model.canStartPrint()) {
      this.#model.startPrint(path);
      printStarted = true;
    }
    const reply = uploadResponseFixture();
    reply['item'] = { path: stored.path, root, modified: stored.modified, size: stored.size, permissions: stored.permissions };
    reply['print_started'] = printStarted;
    reply['print_queued'] = false;
    reply['action'] = 'create_file';
    res.setHeader('Location', `${this.url}/server/files/${root}/${encodeURI(path)}`);
    sendJson(res, 201, { result: reply });
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function toError(err: unknown): { code: number; message: string } {
  if (err instanceof RpcError || err instanceof KlippyError) return { code: err.code, message: err.message };
  return { code: 500, message: err instanceof Error ? err.message : String(err) };
}

function sendJson(res: ServerResponse, status: number, body: JsonValue): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: status, message } });
}

/** Moonraker takes arguments from the query string and from a JSON (or form) body alike. */
async function readArgs(req: IncomingMessage, url: URL): Promise<JsonObject> {
  const args: JsonObject = {};
  if (url.pathname === '/printer/objects/query' && req.method === 'GET') {
    const objects: JsonObject = {};
    for (const [name, value] of url.searchParams) objects[name] = value === '' ? null : value.split(',');
    args['objects'] = objects;
  } else {
    for (const [name, value] of url.searchParams) args[name] = value;
  }
  if (req.method !== 'POST') {
    req.resume();
    return args;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > JSON_BODY_LIMIT) throw new RpcError(413, 'Request body too large');
    chunks.push(buffer);
  }
  if (size === 0) return args;
  const text = Buffer.concat(chunks).toString('utf8');
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(text)) args[name] = value;
    return args;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RpcError(400, 'Invalid JSON body');
  }
  if (!isJsonObject(body)) throw new RpcError(400, 'Request body must be a JSON object');
  return { ...args, ...body };
}
