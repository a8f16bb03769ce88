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
import { noAnswer } from '../shared/network-errors.js';
import { NoReplyError, RequestClosedError } from '../shared/pending-requests.js';
import { SessionSlot } from '../shared/session-slot.js';
import { ackOf, CMD, isRecord, type JsonRecord, parseFileList, sdcpErrorWords, startAckMessage, videoAckMessage } from './messages.js';
import { printerFileName } from './normalise.js';
import { SdcpEndpoint, SdcpSession } from './sdcp-session.js';
import { prepareUpload, sendChunks } from './upload.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** The Centauri Carbon drops a websocket after ~60 s without client traffic: ping well within that. */
const MAX_KEEPALIVE_MS = 25_000;
const DEFAULT_KEEPALIVE_MS = 20_000;
/** One 1 MB chunk over a printer's Wi-Fi. */
const MIN_CHUNK_TIMEOUT_MS = 30_000;

const SUPPORTED: ReadonlySet<DriverCommand> = new Set<DriverCommand>([
  'pause',
  'resume',
  'stop',
  'startFile',
  'upload',
  'setLight',
  'setTemperatures',
]);

/**
 * Elegoo printers speaking SDCP v3 (Centauri Carbon; the resin models share the protocol):
 * live state and commands over the `/websocket` JSON protocol, uploads over the chunked HTTP
 * endpoint on the same port, the camera through Cmd 386. See README.md for the decisions.
 */
export class SdcpDriver implements PrinterDriver {
  readonly apiType = 'elegoo' as const;
  readonly supports: ReadonlySet<DriverCommand> = SUPPORTED;
  readonly #endpoint: SdcpEndpoint;
  readonly #options: DriverOptions;
  readonly #requestTimeoutMs: number;
  readonly #session = new SessionSlot<SdcpSession>();

  constructor(
    private readonly connection: PrinterConnection,
    options: DriverOptions,
  ) {
    this.#endpoint = new SdcpEndpoint(connection);
    this.#options = options;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  async connect(listener: DriverListener): Promise<void> {
    await this.#session.open(
      () =>
        new SdcpSession(
          {
            endpoint: this.#endpoint,
            logger: this.#options.logger,
            printerId: this.connection.printerId,
            requestTimeoutMs: this.#requestTimeoutMs,
            keepaliveMs: Math.min(this.#options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS, MAX_KEEPALIVE_MS),
          },
          listener,
        ),
    );
  }

  async close(): Promise<void> {
    await this.#session.close();
  }

  async pause(): Promise<void> {
    await this.#simple(CMD.pause, 'pause', 'is a print running?');
  }

  async resume(): Promise<void> {
    await this.#simple(CMD.resume, 'resume', 'is the print paused?');
  }

  async stop(): Promise<void> {
    await this.#simple(CMD.stop, 'stop', 'is a print running?');
  }

  /**
   * SDCP has no emergency stop (no M112, no motor kill): Cmd 130 is an orderly stop that parks
   * and cools down. Reporting that as an emergency stop would promise more than happens, so the
   * command is unsupported; `stop` is the nearest thing and the UI offers it.
   */
  emergencyStop(): Promise<void> {
    return Promise.reject(new UnsupportedCommandError('emergencyStop', 'Elegoo SDCP'));
  }

  async startFile(path: string): Promise<void> {
    const filename = toPrinterPath(path);
    const display = printerFileName(filename) ?? filename;
    const reply = await this.#request(CMD.startPrint, { Filename: filename, StartLayer: 0 }, `start ${display}`);
    const ack = ackOf(reply);
    if (ack === 0) return;
    const { message, status } = startAckMessage(ack ?? -1, display);
    throw new PrinterCommandError(message, status);
  }

  /**
   * Chunked upload (1 MB, MD5 of the whole file checked by the printer), then a check that the
   * printer lists the file and no MD5/format error arrived on `sdcp/error`; then Cmd 128 when asked.
   * The printer keeps files in one folder: a path is reduced to its file name.
   */
  async upload(fileName: string, data: Buffer, options: UploadOptions): Promise<void> {
    const name = baseName(fileName);
    if (name === '') throw new PrinterCommandError(`Not a file name: ${fileName}`, 400);
    const session = this.#live();
    const upload = prepareUpload(name, data);
    const errors: unknown[] = [];
    const unwatch = session.watchErrors((code) => errors.push(code));
    try {
      try {
        await sendChunks(this.#endpoint, upload, Math.max(this.#requestTimeoutMs, MIN_CHUNK_TIMEOUT_MS));
      } catch (err) {
        // Let the printer leave "receiving file" at once instead of waiting for its own timeout.
        session.request(CMD.cancelTransfer, { Uuid: upload.uuid, FileName: name }).catch(() => undefined);
        throw err;
      }
      const listing = await this.#request(CMD.fileList, { Url: '/local' }, 'list its files');
      if (errors.length > 0) throw new PrinterCommandError(`The printer rejected ${name}: ${sdcpErrorWords(errors[0])}`, 502);
      const files = parseFileList(listing);
      if (files && !files.some((f) => f === `/local/${name}` || f === name)) {
        throw new PrinterCommandError(`The printer does not list ${name} after the upload`, 502);
      }
    } finally {
      unwatch();
    }
    if (options.startPrint) await this.startFile(name);
  }

  async setLight(on: boolean): Promise<void> {
    const light = this.#live().status['LightStatus'];
    const rgb = isRecord(light) && Array.isArray(light['RgbLight']) ? light['RgbLight'] : [0, 0, 0];
    // As the printer's own web UI sends it: SecondLight as a boolean, the RGB light unchanged.
    await this.#set({ LightStatus: { SecondLight: on, RgbLight: rgb } }, `turn the light ${on ? 'on' : 'off'}`);
  }

  sendGcode(_script: string): Promise<void> {
    // SDCP has no gcode command; the Centauri Carbon's console is unofficial.
    return Promise.reject(new UnsupportedCommandError('sendGcode', 'Elegoo SDCP'));
  }

  /** Cmd 403 takes one field per request: one request per heater, in whole degrees. */
  async setTemperatures(targets: { nozzle?: number; bed?: number }): Promise<void> {
    const requests: { field: 'TempTargetNozzle' | 'TempTargetHotbed'; heater: string; value: number }[] = [];
    for (const [field, heater, value] of [
      ['TempTargetNozzle', 'nozzle', targets.nozzle],
      ['TempTargetHotbed', 'bed', targets.bed],
    ] as const) {
      if (value === undefined) continue;
      if (!Number.isFinite(value) || value < 0)
        throw new PrinterCommandError(`Invalid target temperature for the ${heater}: ${value}`, 400);
      requests.push({ field, heater, value: Math.round(value) });
    }
    for (const { field, heater, value } of requests) await this.#set({ [field]: value }, `set the ${heater} target to ${value} °C`);
  }

  /** Cmd 386 Enable:1 → `VideoUrl` (given without a scheme by some firmware). No camera → []. */
  async discoverCameras(): Promise<DiscoveredCamera[]> {
    const reply = await this.#request(CMD.video, { Enable: 1 }, 'start its camera stream');
    const ack = ackOf(reply);
    if (ack === 2) return [];
    if (ack !== 0) throw new PrinterCommandError(videoAckMessage(ack ?? -1), ack === 1 ? 409 : 502);
    const url = typeof reply['VideoUrl'] === 'string' ? reply['VideoUrl'].trim() : '';
    if (url === '') return [];
    const streamUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
    const kind: DiscoveredCamera['kind'] = /^rtsp:/i.test(streamUrl) ? 'rtsp' : /^https?:/i.test(streamUrl) ? 'mjpeg' : 'other';
    return [{ name: 'Camera', streamUrl, snapshotUrl: null, kind }];
  }

  // ---- requests --------------------------------------------------------------------------------

  async #simple(cmd: number, verb: string, hint: string): Promise<void> {
    const ack = ackOf(await this.#request(cmd, {}, verb));
    if (ack !== 0) throw new PrinterCommandError(`The printer refused to ${verb} (code ${ack ?? 'none'}) — ${hint}`, 409);
  }

  async #set(data: JsonRecord, what: string): Promise<void> {
    const ack = ackOf(await this.#request(CMD.set, data, what));
    if (ack !== 0) throw new PrinterCommandError(`The printer refused to ${what} (code ${ack ?? 'none'})`, 409);
  }

  #live(): SdcpSession {
    return this.#session.live(this.#endpoint.hostPort);
  }

  async #request(cmd: number, data: JsonRecord, what: string): Promise<JsonRecord> {
    const session = this.#live();
    try {
      return await session.request(cmd, data);
    } catch (err) {
      if (err instanceof NoReplyError)
        throw new PrinterCommandError(`${noAnswer(this.#endpoint.hostPort, this.#requestTimeoutMs)} (asked to ${what})`, 504);
      if (err instanceof RequestClosedError)
        throw new PrinterCommandError(`The connection to the printer closed before it answered (asked to ${what})`, 502);
      throw err;
    }
  }
}

/** `x.gcode`, `/x.gcode`, `local/x.gcode` → `/local/x.gcode`; `/local/…` and `/usb/…` stay. */
export function toPrinterPath(path: string): string {
  const trimmed = path.trim();
  if (trimmed === '' || trimmed === '/') throw new PrinterCommandError('No file name given', 400);
  if (trimmed.startsWith('/local/') || trimmed.startsWith('/usb/')) return trimmed;
  const bare = trimmed.replace(/^\/+/, '').replace(/^local\//, '');
  if (bare === '') throw new PrinterCommandError('No file name given', 400);
  return `/local/${bare}`;
}

function baseName(fileName: string): string {
  const parts = fileName.replaceAll('\\', '/').split('/');
  return (parts.at(-1) ?? '').trim();
}
