import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { posix } from 'node:path';
import type { Duplex } from 'node:stream';

import { Busboy, type BusboyHeaders } from '@fastify/busboy';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

import { onTick } from '../moonraker/shared-ticker.js';
import { destroyAll, listen, rawToString, trackConnections } from '../net.js';
import type { PrintPhase, PrintPlan } from '../print-run.js';
import { CentauriModel, localName, type StoredFile } from './cc-model.js';
import {
  attributesMessage,
  errorMessage,
  hexId,
  noticeMessage,
  parseRequest,
  responseMessage,
  type SdcpRequest,
  statusMessage,
  UPLOAD_OK,
  uploadFailure,
} from './envelope.js';
import { diffObjects, type JsonObject, type JsonValue } from './json.js';
import { MJPEG_BOUNDARY, writeFrame } from './mjpeg.js';
import { type Chunk, type TransferRecord, Transfers } from './transfers.js';

export interface SdcpSimulatorOptions {
  /** Listen address of every socket (default 127.0.0.1). */
  host?: string;
  /** Websocket + upload port; 0 (default) = ephemeral; the real printer uses 3030. */
  port?: number;
  /** MJPEG port; 0 (default) = ephemeral; the real printer uses 3031. */
  videoPort?: number;
  /** UDP discovery port; 0 = ephemeral, null (default) = no discovery; the real printer uses 3000. */
  udpPort?: number | null;
  /** 32 hex digits; random by default. */
  mainboardId?: string;
  /** The printer's name (attributes `Name`). */
  name?: string;
  /** Attributes `MachineName` (default "Centauri Carbon"). */
  machineName?: string;
  /** Attributes `FirmwareVersion` (default "V1.1.29"). */
  firmware?: string;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** Full status push cadence (default 2000 ms, like the Centauri Carbon). */
  statusIntervalMs?: number;
  /** A websocket without client traffic for this long is dropped (default 60 000 ms, like the CC). */
  idleCloseMs?: number;
  /** Plan of prints started by Cmd 128 (durations, layers, targets). */
  plan?: Partial<PrintPlan>;
  /** ± °C of thermistor noise on TempOfNozzle/TempOfHotbed (default 0 = exact). */
  sensorNoise?: number;
}

interface Client {
  ws: WebSocket;
  socket: Duplex;
  lastTraffic: number;
}

/** Largest chunk accepted (the protocol uses 1 MB chunks); the form is refused beyond. */
const MAX_CHUNK = 4 * 1024 * 1024;
const MJPEG_FRAME_MS = 500;
const VIDEO_PATH = '/video';

/**
 * An Elegoo Centauri Carbon speaking SDCP v3 on real sockets: the `/websocket` JSON protocol with
 * status pushes (every statusIntervalMs and on change), the chunked upload endpoint on the same
 * port, MJPEG video on a second port and UDP `M99999` discovery; prints driven by a PrintRun;
 * fault injection for tests. Timers are shared between instances (one per interval).
 */
export class SdcpSimulator {
  readonly #host: string;
  readonly #requested: { port: number; videoPort: number; udpPort: number | null };
  readonly #mainboardId: string;
  readonly #name: string;
  readonly #machineName: string;
  readonly #firmware: string;
  readonly #statusIntervalMs: number;
  readonly #idleCloseMs: number;
  readonly #model: CentauriModel;
  readonly #transfers: Transfers;
  readonly #clients = new Set<Client>();
  readonly #sockets = new Set<Socket>();
  readonly #videoSockets = new Set<Socket>();
  readonly #streams = new Set<ServerResponse>();
  #server: Server | null = null;
  #video: Server | null = null;
  #udp: UdpSocket | null = null;
  #wss: WebSocketServer | null = null;
  #port = 0;
  #videoPort = 0;
  #udpPort: number | null = null;
  #unticks: (() => void)[] = [];
  #untickVideo: (() => void) | null = null;
  /** The status as last broadcast; change pushes carry the difference to it. */
  #lastPushed: JsonObject | null = null;
  #refusing = false;
  #stalled = false;

  constructor(options: SdcpSimulatorOptions = {}) {
    this.#host = options.host ?? '127.0.0.1';
    this.#requested = {
      port: options.port ?? 0,
      videoPort: options.videoPort ?? 0,
      udpPort: options.udpPort === undefined ? null : options.udpPort,
    };
    this.#mainboardId = options.mainboardId ?? randomBytes(16).toString('hex');
    this.#machineName = options.machineName ?? 'Centauri Carbon';
    this.#name = options.name ?? this.#machineName;
    this.#firmware = options.firmware ?? 'V1.1.29';
    this.#statusIntervalMs = options.statusIntervalMs ?? 2000;
    this.#idleCloseMs = options.idleCloseMs ?? 60_000;
    this.#model = new CentauriModel({ speed: options.speed ?? 1, plan: options.plan ?? {}, sensorNoise: options.sensorNoise ?? 0 });
    this.#transfers = new Transfers({
      onActive: (active) => {
        this.#model.transferring = active;
        this.#pushChange();
      },
      onMd5Mismatch: () => this.#broadcast(JSON.stringify(errorMessage(this.#mainboardId, 1))),
    });
  }

  get port(): number {
    return this.#port;
  }

  get videoPort(): number {
    return this.#videoPort;
  }

  /** The discovery port, or null when discovery is off. */
  get udpPort(): number | null {
    return this.#udpPort;
  }

  get mainboardId(): string {
    return this.#mainboardId;
  }

  /** Open websocket sessions. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** The PrintRun's phase right now. */
  get phase(): PrintPhase {
    return this.#model.phase;
  }

  /** MJPEG clients connected now. */
  get videoClientCount(): number {
    return this.#streams.size;
  }

  /** The `Status` object as the next push would carry it. */
  status(): JsonObject {
    return this.#model.status();
  }

  files(): StoredFile[] {
    return this.#model.files();
  }

  /** Chunked uploads seen so far (the last 20), oldest first. */
  transfers(): TransferRecord[] {
    return this.#transfers.history();
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => this.#onRequest(req, res));
    const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false, maxPayload: 1024 * 1024 });
    trackConnections(server, this.#sockets, () => this.#refusing);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head));
    server.on('clientError', (_err, socket) => socket.destroy());
    this.#port = await listen(server, this.#requested.port, this.#host);
    this.#server = server;
    this.#wss = wss;

    const video = createServer((req, res) => this.#onVideo(req, res));
    trackConnections(video, this.#videoSockets);
    this.#videoPort = await listen(video, this.#requested.videoPort, this.#host);
    this.#video = video;

    if (this.#requested.udpPort !== null) {
      const udp = createSocket({ type: this.#host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
      udp.on('message', (msg, rinfo) => this.#onDiscovery(msg, rinfo));
      udp.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.#requested.udpPort ?? 0, this.#host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      this.#udpPort = udp.address().port;
      this.#udp = udp;
    }

    this.#unticks.push(onTick(this.#statusIntervalMs, () => this.#tick()));
    const housekeepingMs = Math.max(10, Math.min(1000, Math.floor(this.#idleCloseMs / 4)));
    this.#unticks.push(onTick(housekeepingMs, () => this.#housekeeping()));
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const untick of this.#unticks) untick();
    this.#unticks = [];
    this.#untickVideo?.();
    this.#untickVideo = null;
    for (const client of this.#clients) client.ws.terminate();
    this.#clients.clear();
    this.#wss?.close();
    this.#wss = null;
    for (const res of this.#streams) res.destroy();
    this.#streams.clear();
    const closed = [new Promise<void>((resolve) => server.close(() => resolve()))];
    destroyAll(this.#sockets);
    const video = this.#video;
    this.#video = null;
    if (video) {
      closed.push(new Promise<void>((resolve) => video.close(() => resolve())));
      destroyAll(this.#videoSockets);
    }
    const udp = this.#udp;
    this.#udp = null;
    if (udp) closed.push(new Promise<void>((resolve) => udp.close(() => resolve())));
    await Promise.all(closed);
  }

  // ---- programmatic control ------------------------------------------------------------------

  /** Someone pressed print on the printer's screen (the file is added when missing). */
  startPrint(fileName: string, plan?: Partial<PrintPlan>): void {
    this.#model.startPrint(fileName, plan);
    this.#pushChange();
  }

  /** A file already on the printer's local storage. */
  addFile(name: string, size = 1024): void {
    this.#model.addFile({ name, size, md5: '', createdAt: Math.floor(Date.now() / 1000) });
  }

  setSpeed(speed: number): void {
    this.#model.setSpeed(speed);
  }

  /** The print stops in error (PrintInfo.Status 14) with this `ErrorNumber` (default 2, file read). */
  failPrint(errorNumber = 2): void {
    this.#model.fail(errorNumber);
    this.#pushChange();
  }

  /** While on, every new TCP connection to the websocket/upload port is destroyed at once. */
  refuseConnections(on: boolean): void {
    this.#refusing = on;
  }

  /** Destroys every socket on the websocket/upload and video ports, without a close frame. */
  dropConnections(): void {
    destroyAll(this.#sockets);
    destroyAll(this.#videoSockets);
  }

  /** "SDCP socket closed without a close frame": the websocket sockets are destroyed, nothing sent. */
  closeWithoutFrame(): void {
    for (const client of this.#clients) client.socket.destroy();
  }

  /** While on: no replies, no pushes, no pongs, no idle closing, no HTTP or UDP answers; sockets stay open. */
  stall(on: boolean): void {
    this.#stalled = on;
  }

  /** Sends malformed and unexpected frames to every websocket client. */
  sendGarbage(): void {
    const id = this.#mainboardId;
    const frames: (string | Buffer)[] = [
      '{"Status":{"CurrentStatus":[1],"PrintInfo":{"Status":13',
      'this is not json',
      'null',
      '42',
      '[1, 2, 3]',
      '"a string"',
      JSON.stringify({ Status: 'printing', Topic: `sdcp/status/${id}` }),
      JSON.stringify({
        Status: {
          CurrentStatus: 'busy',
          TempOfNozzle: 'hot',
          TempTargetHotbed: null,
          PrintInfo: 'x',
          CurrentFanSpeed: { ModelFan: 'max' },
          LightStatus: { SecondLight: 'on', RgbLight: 'red' },
        },
        Topic: `sdcp/status/${id}`,
      }),
      JSON.stringify({
        Status: { CurrentStatus: ['x'], PrintInfo: { Status: '13', Progress: '50', Filename: 42, CurrentTicks: null, TaskId: {} } },
        Topic: `sdcp/status/${id}`,
      }),
      JSON.stringify({
        Id: hexId(),
        Data: { Cmd: 128, Data: { Ack: 0 }, RequestID: 'nobody-asked', MainboardID: id },
        Topic: `sdcp/response/${id}`,
      }),
      JSON.stringify({ Data: 'garbage', Topic: `sdcp/response/${id}` }),
      JSON.stringify({ Attributes: [], Topic: `sdcp/attributes/${id}` }),
      JSON.stringify({ Data: {}, Topic: `sdcp/unknown/${id}` }),
      JSON.stringify({ Topic: 42 }),
      JSON.stringify(noticeMessage(id, 'Simulated notice', 1)),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
    ];
    for (const client of this.#clients) for (const frame of frames) this.#send(client, frame);
  }

  /** The upload chunk at this byte offset fails with -3 (open failed); null = no failure. */
  failUploadAt(offset: number | null): void {
    this.#transfers.failAt = offset;
  }

  /** While on, received chunks are corrupted so the MD5 check at the end fails (sdcp/error ErrorCode 1). */
  corruptUploads(on: boolean): void {
    this.#transfers.corrupt = on;
  }

  // ---- pushes ----------------------------------------------------------------------------------

  #tick(): void {
    this.#model.advance();
    if (this.#stalled || this.#clients.size === 0) {
      this.#lastPushed = null;
      return;
    }
    const status = this.#model.status();
    this.#lastPushed = status;
    this.#broadcast(JSON.stringify(statusMessage(this.#mainboardId, status)));
  }

  /** Something changed now (a command, a transfer): push the changed fields only. */
  #pushChange(): void {
    if (this.#stalled || this.#clients.size === 0) return;
    const status = this.#model.status();
    const diff = diffObjects(this.#lastPushed, status);
    this.#lastPushed = status;
    if (diff) this.#broadcast(JSON.stringify(statusMessage(this.#mainboardId, diff)));
  }

  #housekeeping(): void {
    this.#transfers.expire();
    if (this.#stalled) return;
    const now = Date.now();
    for (const client of this.#clients) {
      // The CC drops a websocket without client traffic (its own pushes do not count).
      if (now - client.lastTraffic > this.#idleCloseMs) {
        this.#clients.delete(client);
        client.socket.destroy();
      }
    }
  }

  #broadcast(frame: string): void {
    for (const client of this.#clients) this.#send(client, frame);
  }

  #send(client: Client, frame: string | Buffer): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    client.ws.send(frame, (err) => {
      if (err) client.ws.terminate();
    });
  }

  // ---- websocket ---------------------------------------------------------------------------------

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#stalled) return; // the upgrade hangs, like a frozen printer
    const wss = this.#wss;
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (!wss || path !== '/websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { ws, socket, lastTraffic: Date.now() };
      this.#clients.add(client);
      ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(client, data, isBinary));
      ws.on('ping', (data: Buffer) => {
        client.lastTraffic = Date.now();
        if (!this.#stalled) ws.pong(data);
      });
      ws.on('close', () => this.#clients.delete(client));
      ws.on('error', () => ws.terminate());
    });
  }

  #onMessage(client: Client, data: RawData, isBinary: boolean): void {
    client.lastTraffic = Date.now();
    if (this.#stalled || isBinary) return;
    const text = rawToString(data);
    if (text === 'ping') {
      this.#send(client, 'pong');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // the printer ignores what it cannot parse
    }
    const request = parseRequest(message);
    // A request for another mainboard is not for this printer; an empty MainboardID (CC web UI) is.
    if (!request || (request.mainboardId !== '' && request.mainboardId !== this.#mainboardId)) return;
    this.#handle(client, request);
  }

  #handle(client: Client, request: SdcpRequest): void {
    const reply = (data: JsonObject): void =>
      this.#send(client, JSON.stringify(responseMessage(this.#mainboardId, request.cmd, request.requestId, data)));
    const model = this.#model;
    switch (request.cmd) {
      case 0:
        reply({ Ack: 0 });
        this.#send(client, JSON.stringify(statusMessage(this.#mainboardId, model.status())));
        return;
      case 1:
        reply({ Ack: 0 });
        this.#send(client, JSON.stringify(attributesMessage(this.#mainboardId, this.#attributes())));
        return;
      case 64:
        reply({ Ack: 0 });
        client.ws.close(1000, 'Disconnected');
        return;
      case 128: {
        const filename = request.data['Filename'];
        const ack = typeof filename === 'string' ? model.startFile(filename) : 2;
        reply({ Ack: ack });
        if (ack === 0) this.#pushChange();
        return;
      }
      case 129:
        this.#ackChange(reply, model.pause());
        return;
      case 130:
        this.#ackChange(reply, model.stop());
        return;
      case 131:
        this.#ackChange(reply, model.resume());
        return;
      case 134:
        // Sent by the CC web UI; meaning unknown, acknowledged.
        reply({ Ack: 0 });
        return;
      case 255: {
        const uuid = request.data['Uuid'];
        this.#transfers.cancel(typeof uuid === 'string' ? uuid : '');
        reply({ Ack: 0 });
        return;
      }
      case 258: {
        const url = request.data['Url'];
        const local = url === undefined || url === '/local' || url === '/local/';
        reply({
          Ack: 0,
          FileList: local
            ? model.files().map((f) => ({ name: `/local/${f.name}`, usedSize: f.size, totalSize: f.size, storageType: 0, type: 1 }))
            : [],
        });
        return;
      }
      case 320:
        reply({ Ack: 0, HistoryData: [] });
        return;
      case 386: {
        const enable = request.data['Enable'];
        reply(
          enable === 1 || enable === true ? { Ack: 0, VideoUrl: `${this.#advertisedHost()}:${this.#videoPort}${VIDEO_PATH}` } : { Ack: 0 },
        );
        return;
      }
      case 403: {
        const ack = model.set(request.data);
        reply({ Ack: ack });
        if (ack === 0) this.#pushChange();
        return;
      }
      default:
        reply({ Ack: 1 });
        return;
    }
  }

  #ackChange(reply: (data: JsonObject) => void, ok: boolean): void {
    reply({ Ack: ok ? 0 : 1 });
    if (ok) this.#pushChange();
  }

  #attributes(): JsonObject {
    const mac = this.#mainboardId.slice(0, 12).padEnd(12, '0').match(/../g)?.join(':') ?? '00:00:00:00:00:00';
    return {
      Name: this.#name,
      MachineName: this.#machineName,
      BrandName: 'ELEGOO',
      ProtocolVersion: 'V3.0.0',
      FirmwareVersion: this.#firmware,
      XYZsize: '256x256x256',
      MainboardIP: this.#advertisedHost(),
      MainboardID: this.#mainboardId,
      MainboardMAC: mac,
      NumberOfVideoStreamConnected: this.#streams.size,
      MaximumVideoStreamAllowed: 1,
      NumberOfCloudSDCPServicesConnected: 0,
      MaximumCloudSDCPSercicesAllowed: 1,
      NetworkStatus: 'wlan',
      UsbDiskStatus: 0,
      Capabilities: ['FILE_TRANSFER', 'PRINT_CONTROL', 'VIDEO_STREAM'],
      SupportFileType: ['GCODE'],
      DevicesStatus: { ZMotorStatus: 1, YMotorStatus: 1, XMotorStatus: 1, ExtruderMotorStatus: 1, RelaseFilmState: 0 },
      CameraStatus: 1,
      RemainingMemory: 5_800_000_000,
      SDCPStatus: 1,
    };
  }

  /** The address the printer reports for itself (MainboardIP, VideoUrl). */
  #advertisedHost(): string {
    if (this.#host !== '0.0.0.0' && this.#host !== '::') return this.#host;
    for (const list of Object.values(networkInterfaces())) {
      for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
    }
    return '127.0.0.1';
  }

  // ---- discovery ---------------------------------------------------------------------------------

  #onDiscovery(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.#stalled || msg.toString('latin1').trim() !== 'M99999') return;
    const reply: JsonObject = {
      Id: hexId(),
      Data: {
        Name: this.#name,
        MachineName: this.#machineName,
        BrandName: 'ELEGOO',
        MainboardIP: this.#advertisedHost(),
        MainboardID: this.#mainboardId,
        ProtocolVersion: 'V3.0.0',
        FirmwareVersion: this.#firmware,
      },
    };
    this.#udp?.send(JSON.stringify(reply), rinfo.port, rinfo.address);
  }

  // ---- HTTP: upload and video ----------------------------------------------------------------

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (this.#stalled) {
      req.resume();
      return; // no answer; the client's timeout has to notice
    }
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (path !== '/uploadFile/upload') {
      req.resume();
      sendJson(res, 404, { code: '404', messages: null, data: null, success: false });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 405, { code: '405', messages: null, data: null, success: false });
      return;
    }
    this.#upload(req)
      .then((reply) => sendJson(res, 200, reply))
      .catch((err: unknown) =>
        sendJson(res, 200, uploadFailure([{ field: 'common_field', message: err instanceof Error ? err.message : String(err) }])),
      );
  }

  async #upload(req: IncomingMessage): Promise<JsonObject> {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
      req.resume();
      return uploadFailure([{ field: 'common_field', message: 'multipart/form-data expected' }]);
    }
    const fields = new Map<string, string>();
    let file: { name: string; data: Buffer } | null = null;
    let tooLarge = false;
    await new Promise<void>((resolve, reject) => {
      const busboy = Busboy({ headers: req.headers as BusboyHeaders, limits: { files: 1, fields: 20, fileSize: MAX_CHUNK } });
      busboy.on('field', (name, value) => fields.set(name, value));
      busboy.on('file', (field, stream, filename) => {
        if (field !== 'File' || file) {
          stream.resume();
          return;
        }
        const parts: Buffer[] = [];
        stream.on('data', (part: Buffer) => parts.push(part));
        stream.on('limit', () => {
          tooLarge = true;
        });
        stream.on('end', () => {
          file = { name: filename, data: Buffer.concat(parts) };
        });
      });
      busboy.on('finish', () => resolve());
      busboy.on('error', (err) => reject(err instanceof Error ? err : new Error(String(err))));
      req.on('error', reject);
      req.pipe(busboy);
    });
    const received = file as { name: string; data: Buffer } | null;
    const missing: { field: string; message: string }[] = [];
    for (const field of ['S-File-MD5', 'Offset', 'Uuid', 'TotalSize'])
      if (!fields.get(field)) missing.push({ field, message: 'Cannot be empty' });
    const fileName = received ? posix.basename(received.name.replaceAll('\\', '/')) : '';
    if (!received || fileName === '' || localName(fileName) === null) missing.push({ field: 'File', message: 'Cannot be empty' });
    if (missing.length > 0 || !received) return uploadFailure(missing);
    if (tooLarge) return uploadFailure([{ field: 'common_field', message: -1 }]);
    const offset = Number(fields.get('Offset'));
    const totalSize = Number(fields.get('TotalSize'));
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(totalSize) || totalSize < 0)
      return uploadFailure([{ field: 'common_field', message: -1 }]);
    const chunk: Chunk = {
      md5: fields.get('S-File-MD5') ?? '',
      check: fields.get('Check') === '1',
      offset,
      uuid: fields.get('Uuid') ?? '',
      totalSize,
      fileName,
      data: received.data,
    };
    const result = this.#transfers.accept(chunk);
    if (!result.ok) return uploadFailure([{ field: result.field, message: result.message }]);
    if (result.done && result.stored) this.#model.addFile(result.stored);
    return UPLOAD_OK;
  }

  #onVideo(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (this.#stalled) return;
    if (path !== VIDEO_PATH || req.method !== 'GET') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`,
      'Cache-Control': 'no-cache, private',
      Pragma: 'no-cache',
      Connection: 'close',
    });
    this.#streams.add(res);
    res.on('close', () => {
      this.#streams.delete(res);
      if (this.#streams.size === 0) {
        this.#untickVideo?.();
        this.#untickVideo = null;
      }
    });
    writeFrame(res);
    this.#untickVideo ??= onTick(MJPEG_FRAME_MS, () => {
      if (this.#stalled) return;
      for (const stream of this.#streams) writeFrame(stream);
    });
  }
}

function sendJson(res: ServerResponse, status: number, body: JsonValue): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
