import {
  type DiscoveredCamera,
  type DriverCommand,
  type DriverListener,
  type DriverOptions,
  PrinterCommandError,
  type PrinterConnection,
  type PrinterDriver,
  UnsupportedCommandError,
  type UploadOptions,
} from '../../driver.js';
import { isTimeout, noAnswer } from '../shared/network-errors.js';
import { SessionSlot } from '../shared/session-slot.js';
import { httpErrorMessage, isRecord, unwrapResult } from './messages.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, type HttpReply, type HttpRequest, MoonrakerEndpoint } from './moonraker-http.js';
import { MoonrakerSession } from './moonraker-session.js';

export interface MoonrakerDriverOptions extends DriverOptions {
  /** Websocket ping interval (ms); default 20 000. */
  keepaliveMs?: number;
  /** How long to wait for the pong (ms); default 10 000 (or keepaliveMs when that is shorter). */
  pongTimeoutMs?: number;
  /** How often to ask server.info again while Klippy is not ready (ms); default 2000. */
  klippyPollMs?: number;
  /** Diffs of sensor readings and clocks only are emitted at most this often (ms); default 1000. */
  readingsMs?: number;
}

const SUPPORTED: ReadonlySet<DriverCommand> = new Set<DriverCommand>([
  'pause',
  'resume',
  'stop',
  'emergencyStop',
  'startFile',
  'upload',
  'sendGcode',
  'setTemperatures',
]);

/** `/printer/gcode/script` answers when the gcode has run (G28, M109…), so it gets longer than a request. */
const GCODE_TIMEOUT_MS = 120_000;
/** Uploads of large files to a Raspberry Pi over Wi-Fi take a while. */
const UPLOAD_TIMEOUT_MS = 600_000;

/**
 * Klipper printers through Moonraker: live state over the JSON-RPC websocket (subscription
 * diffs, deep-merged), commands over HTTP. See moonraker-session.ts for the session, normalise.ts
 * for the mapping to the normalised state.
 */
export class MoonrakerDriver implements PrinterDriver {
  readonly apiType = 'moonraker' as const;
  readonly supports: ReadonlySet<DriverCommand> = SUPPORTED;
  readonly #endpoint: MoonrakerEndpoint;
  readonly #options: MoonrakerDriverOptions;
  readonly #requestTimeoutMs: number;
  readonly #session = new SessionSlot<MoonrakerSession>();

  constructor(
    private readonly connection: PrinterConnection,
    options: MoonrakerDriverOptions,
  ) {
    this.#endpoint = new MoonrakerEndpoint(connection);
    this.#options = options;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  async connect(listener: DriverListener): Promise<void> {
    const keepaliveMs = this.#options.keepaliveMs ?? 20_000;
    await this.#session.open(
      () =>
        new MoonrakerSession(
          {
            endpoint: this.#endpoint,
            logger: this.#options.logger,
            printerId: this.connection.printerId,
            requestTimeoutMs: this.#requestTimeoutMs,
            keepaliveMs,
            pongTimeoutMs: this.#options.pongTimeoutMs ?? Math.min(10_000, keepaliveMs),
            klippyPollMs: this.#options.klippyPollMs ?? 2000,
            readingsMs: this.#options.readingsMs ?? 1000,
          },
          listener,
        ),
    );
  }

  async close(): Promise<void> {
    await this.#session.close();
  }

  async pause(): Promise<void> {
    await this.#command({ method: 'POST', path: '/printer/print/pause' });
  }

  async resume(): Promise<void> {
    await this.#command({ method: 'POST', path: '/printer/print/resume' });
  }

  async stop(): Promise<void> {
    await this.#command({ method: 'POST', path: '/printer/print/cancel' });
  }

  async emergencyStop(): Promise<void> {
    await this.#command({ method: 'POST', path: '/printer/emergency_stop' });
  }

  async startFile(path: string): Promise<void> {
    const filename = path.replace(/^\/+/, '');
    if (filename === '') throw new PrinterCommandError('No file name given', 400);
    await this.#command({ method: 'POST', path: '/printer/print/start', query: { filename } });
  }

  async upload(fileName: string, data: Buffer, options: UploadOptions): Promise<void> {
    const name = fileName.replace(/^\/+/, '');
    if (name === '') throw new PrinterCommandError('No file name given', 400);
    // A sub-folder goes in the `path` field; the multipart file name is the bare name.
    const slash = name.lastIndexOf('/');
    if (slash === name.length - 1) throw new PrinterCommandError(`Not a file name: ${fileName}`, 400);
    const form = new FormData();
    form.append('root', 'gcodes');
    if (slash > 0) form.append('path', name.slice(0, slash));
    if (options.startPrint) form.append('print', 'true');
    // A Buffer's memory is never shared; the cast lets the DOM typings (the web app's tests) accept it too.
    form.append('file', new Blob([new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength)]), name.slice(slash + 1));
    const reply = await this.#command({ method: 'POST', path: '/server/files/upload', form, timeoutMs: UPLOAD_TIMEOUT_MS });
    const result = unwrapResult(reply.body);
    if (options.startPrint && isRecord(result) && result['print_started'] === false && result['print_queued'] !== true) {
      throw new PrinterCommandError(`${name} was uploaded, but Moonraker did not start it (is the printer busy or not ready?)`, 409);
    }
  }

  setLight(_on: boolean): Promise<void> {
    // Klipper has no standard light: it is a user-named output_pin, LED or power device.
    return Promise.reject(new UnsupportedCommandError('setLight', 'Moonraker'));
  }

  async sendGcode(script: string): Promise<void> {
    if (script.trim() === '') throw new PrinterCommandError('The gcode script is empty', 400);
    await this.#command({ method: 'POST', path: '/printer/gcode/script', json: { script }, timeoutMs: GCODE_TIMEOUT_MS });
  }

  async setTemperatures(targets: { nozzle?: number; bed?: number }): Promise<void> {
    const lines: string[] = [];
    for (const [heater, value] of [
      ['extruder', targets.nozzle],
      ['heater_bed', targets.bed],
    ] as const) {
      if (value === undefined) continue;
      if (!Number.isFinite(value) || value < 0) throw new PrinterCommandError(`Invalid target temperature for ${heater}: ${value}`, 400);
      lines.push(`SET_HEATER_TEMPERATURE HEATER=${heater} TARGET=${Math.round(value * 10) / 10}`);
    }
    if (lines.length === 0) return;
    await this.#command({ method: 'POST', path: '/printer/gcode/script', json: { script: lines.join('\n') } });
  }

  /**
   * Moonraker's webcam list. Relative URLs ("/webcam/?action=stream") are served by the web
   * front end (Mainsail/Fluidd behind nginx) on the default HTTP port, not by Moonraker's port.
   */
  async discoverCameras(): Promise<DiscoveredCamera[]> {
    const reply = await this.#command({ method: 'GET', path: '/server/webcams/list' });
    return parseWebcams(reply.body, `http://${this.#endpoint.hostPort.replace(/:\d+$/, '')}`);
  }

  /** One HTTP command; anything but 2xx becomes a PrinterCommandError with the printer's words. */
  async #command(request: HttpRequest): Promise<HttpReply> {
    const timeoutMs = Math.max(request.timeoutMs ?? 0, this.#requestTimeoutMs);
    let reply: HttpReply;
    try {
      reply = await this.#endpoint.request({ ...request, timeoutMs }, this.#requestTimeoutMs);
    } catch (err) {
      if (isTimeout(err)) throw new PrinterCommandError(noAnswer(this.#endpoint.hostPort, timeoutMs), 504);
      throw new PrinterCommandError(this.#endpoint.describeNetworkError(err, timeoutMs), 502);
    }
    if (reply.status >= 200 && reply.status < 300) return reply;
    const message = httpErrorMessage(reply.body) ?? `Moonraker answered HTTP ${reply.status} to ${request.path}`;
    if (reply.status === 401 || reply.status === 403) {
      throw new PrinterCommandError(this.#endpoint.apiKey ? 'Moonraker refused the API key' : 'Moonraker requires an API key', 502);
    }
    // A 4xx is the printer refusing in its current state ("SD busy", "Printer is shutdown"...).
    throw new PrinterCommandError(message, reply.status < 500 ? 409 : 502);
  }
}

const SERVICE_KINDS: Record<string, DiscoveredCamera['kind']> = {
  mjpegstreamer: 'mjpeg',
  'mjpegstreamer-adaptive': 'mjpeg',
  'uv4l-mjpeg': 'mjpeg',
  ipstream: 'other',
  'webrtc-camerastreamer': 'webrtc',
  'webrtc-go2rtc': 'webrtc',
  'webrtc-janus': 'webrtc',
  'webrtc-mediamtx': 'webrtc',
  hlsstream: 'hls',
  jmuxer: 'other',
};

/** Enabled webcams from a `/server/webcams/list` reply (wrapped or not), with absolute URLs. */
export function parseWebcams(body: unknown, webBase: string): DiscoveredCamera[] {
  const result = typeof body === 'object' && body !== null && 'result' in body ? body.result : body;
  const list = typeof result === 'object' && result !== null ? (result as { webcams?: unknown }).webcams : undefined;
  if (!Array.isArray(list)) return [];
  const cameras: DiscoveredCamera[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const cam = item as Record<string, unknown>;
    if (cam['enabled'] === false || typeof cam['stream_url'] !== 'string' || cam['stream_url'] === '') continue;
    const absolute = (url: unknown) => {
      if (typeof url !== 'string' || url === '') return null;
      try {
        return new URL(url, webBase).toString();
      } catch {
        return null;
      }
    };
    const streamUrl = absolute(cam['stream_url']);
    if (!streamUrl) continue;
    cameras.push({
      name: typeof cam['name'] === 'string' ? cam['name'] : 'Camera',
      streamUrl,
      snapshotUrl: absolute(cam['snapshot_url']),
      kind: SERVICE_KINDS[String(cam['service'])] ?? 'other',
    });
  }
  return cameras;
}
