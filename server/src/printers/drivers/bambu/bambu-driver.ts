import { posix } from 'node:path';

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
import { hostPort, urlHost } from '../shared/address.js';
import { SessionSlot } from '../shared/session-slot.js';
import { BambuSession } from './bambu-session.js';
import { uploadOverFtps } from './ftps-upload.js';
import { type BambuFamily, type BambuVersion, int, isRecord, type Json, str, usesSdcardUrl } from './messages.js';
import { bambuTlsOptions } from './tls.js';

export const BAMBU_MQTT_PORT = 8883;
export const BAMBU_FTPS_PORT = 990;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Uploads of large projects over a printer's Wi-Fi take a while; this is the inactivity limit. */
const UPLOAD_IDLE_TIMEOUT_MS = 30_000;

export interface BambuDriverOptions extends DriverOptions {
  /**
   * No message from the printer for this long ends the session (default 60 000 ms); after half
   * of it the driver asks for pushall again.
   */
  silenceLimitMs?: number;
  /** How often the silence watchdog looks (default: a tenth of the limit, at most 1 s). */
  watchdogTickMs?: number;
  /** How long the first state waits for the get_version answer (default 1000 ms). */
  versionGraceMs?: number;
}

/** How to start a project (.3mf); every field has a default. */
export interface BambuStartOptions {
  /** Plate number inside the project (default 1 → "Metadata/plate_1.gcode"). */
  plate?: number;
  /** Feed from the AMS (default: when the printer has a loaded AMS tray). */
  useAms?: boolean;
  /** Absolute tray per filament of the file (unit*4+slot, 254 external); default: the active or first loaded tray. */
  amsMapping?: number[];
  /** Default true. */
  bedLeveling?: boolean;
  /** Defaults false. */
  flowCalibration?: boolean;
  vibrationCalibration?: boolean;
  layerInspect?: boolean;
  timelapse?: boolean;
}

const SUPPORTED: ReadonlySet<DriverCommand> = new Set<DriverCommand>([
  'pause',
  'resume',
  'stop',
  'startFile',
  'upload',
  'setLight',
  'sendGcode',
  'setTemperatures',
]);

const RTSP_FAMILIES: ReadonlySet<BambuFamily> = new Set<BambuFamily>(['X1', 'H2', 'X2', 'P2']);
const JPEG_FAMILIES: ReadonlySet<BambuFamily> = new Set<BambuFamily>(['P1', 'A1']);

/** Serial and access code: the dedicated fields, else the original's api_key "serial|access_code". */
export function bambuCredentials(connection: PrinterConnection): { serial: string | null; accessCode: string | null } {
  let serial = connection.serial?.trim() || null;
  let accessCode = connection.accessCode?.trim() || null;
  const apiKey = connection.apiKey?.trim() ?? '';
  if ((!serial || !accessCode) && apiKey.includes('|')) {
    const [s = '', ...rest] = apiKey.split('|');
    serial ??= s.trim() || null;
    accessCode ??= rest.join('|').trim() || null;
  }
  return { serial, accessCode };
}

/** File names go into FTP commands and MQTT payloads: no folders, no control characters. */
function checkFileName(fileName: string): string {
  const name = fileName.trim().replace(/^\/+/, '');
  if (name === '') throw new PrinterCommandError('No file name given', 400);
  if (/\p{Cc}/u.test(name)) throw new PrinterCommandError(`Invalid file name: ${JSON.stringify(fileName)}`, 400);
  if (/[/\\]/.test(name))
    throw new PrinterCommandError(`Bambu printers take files at the top of their storage; "${fileName}" names a folder`, 400);
  if (name === '.' || name === '..') throw new PrinterCommandError(`Invalid file name: ${fileName}`, 400);
  return name;
}

/**
 * Bambu Lab printers in LAN mode: live state over MQTT/TLS (deep-merged reports, see
 * bambu-session.ts), commands on the request topic, uploads over implicit FTPS. See README.md.
 */
export class BambuDriver implements PrinterDriver {
  readonly apiType = 'bambu' as const;
  readonly supports: ReadonlySet<DriverCommand> = SUPPORTED;
  readonly #connection: PrinterConnection;
  readonly #options: BambuDriverOptions;
  readonly #requestTimeoutMs: number;
  readonly #port: number;
  readonly #session = new SessionSlot<BambuSession>();

  constructor(connection: PrinterConnection, options: BambuDriverOptions) {
    this.#connection = connection;
    this.#options = options;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#port = connection.port ?? BAMBU_MQTT_PORT;
  }

  /** What get_version said about the printer, once known. */
  get version(): BambuVersion | null {
    return this.#session.current?.version ?? null;
  }

  /** The cached `print` report of the live session (for diagnostics and tests). */
  get report(): Json | null {
    return this.#session.current?.report ?? null;
  }

  /** How often the silence watchdog re-requested pushall in the current session. */
  get watchdogPushalls(): number {
    return this.#session.current?.watchdogPushalls ?? 0;
  }

  async connect(listener: DriverListener): Promise<void> {
    await this.close();
    const { serial, accessCode } = bambuCredentials(this.#connection);
    if (!serial) throw new Error('No serial number is set for this Bambu printer (it names the TLS certificate and the MQTT topic)');
    if (!accessCode) throw new Error('No LAN access code is set for this Bambu printer');
    const silenceLimitMs = this.#options.silenceLimitMs ?? 60_000;
    const extraCa = this.#options.caCertificates ?? [];
    await this.#session.open(
      () =>
        new BambuSession(
          {
            host: this.#connection.host,
            port: this.#port,
            where: hostPort(this.#connection.host, this.#port),
            serial,
            accessCode,
            tls: bambuTlsOptions({ serial, insecure: this.#connection.tlsInsecure, extraCa }),
            extraCaCount: extraCa.length,
            logger: this.#options.logger,
            printerId: this.#connection.printerId,
            requestTimeoutMs: this.#requestTimeoutMs,
            keepaliveSeconds: Math.min(60, Math.max(5, Math.round((this.#options.keepaliveMs ?? 20_000) / 1000))),
            silenceLimitMs,
            watchdogTickMs: this.#options.watchdogTickMs ?? Math.max(20, Math.min(1000, Math.floor(silenceLimitMs / 10))),
            versionGraceMs: this.#options.versionGraceMs ?? 1000,
          },
          listener,
        ),
    );
  }

  async close(): Promise<void> {
    await this.#session.close();
  }

  /** Waits (briefly) for get_version when it has not been answered yet. */
  async waitForVersion(timeoutMs: number): Promise<BambuVersion | null> {
    return (await this.#session.current?.waitForVersion(timeoutMs)) ?? null;
  }

  async pause(): Promise<void> {
    await this.#live().request('print', { command: 'pause', param: '' });
  }

  async resume(): Promise<void> {
    await this.#live().request('print', { command: 'resume', param: '' });
  }

  /** Cancels the print: the printer reports FAILED with 0x0300400C, which maps to `cancelled`. */
  async stop(): Promise<void> {
    await this.#live().request('print', { command: 'stop', param: '' });
  }

  /**
   * Unsupported: Bambu's LAN protocol has no emergency stop (M112 over gcode_line is not a
   * documented kill), and mapping it to `stop` would promise more than a stop does.
   */
  emergencyStop(): Promise<void> {
    return Promise.reject(new UnsupportedCommandError('emergencyStop', 'Bambu Lab'));
  }

  /**
   * Prints a file stored on the printer: a project (.3mf) through `project_file`, plain gcode
   * through `gcode_file`.
   */
  async startFile(path: string, options: BambuStartOptions = {}): Promise<void> {
    const name = checkFileName(path.replace(/^\/*(mnt\/)?sdcard\//i, ''));
    const session = this.#live();
    const sdcard = usesSdcardUrl(session.version);
    const lower = name.toLowerCase();
    if (lower.endsWith('.gcode')) {
      await session.request('print', { command: 'gcode_file', param: sdcard ? `/sdcard/${name}` : `/${name}` });
      return;
    }
    if (!lower.endsWith('.3mf')) throw new PrinterCommandError(`Bambu printers print .3mf projects or .gcode files, not ${name}`, 400);
    const plate = options.plate ?? 1;
    if (!Number.isInteger(plate) || plate < 1) throw new PrinterCommandError(`Invalid plate number: ${plate}`, 400);
    const loaded = loadedTrays(session.report);
    const useAms = options.useAms ?? loaded.length > 0;
    const active = int(isRecord(session.report['ams']) ? session.report['ams']['tray_now'] : null);
    const defaultTray = active !== null && loaded.includes(active) ? active : loaded[0];
    const amsMapping = options.amsMapping ?? (useAms && defaultTray !== undefined ? [defaultTray] : []);
    await session.request('print', {
      command: 'project_file',
      param: `Metadata/plate_${plate}.gcode`,
      url: sdcard ? `file:///sdcard/${name}` : `ftp:///${name}`,
      file: '',
      md5: '',
      project_id: '0',
      profile_id: '0',
      task_id: '0',
      subtask_id: '0',
      subtask_name: posix.basename(name).replace(/(\.gcode)?\.3mf$/i, ''),
      bed_type: 'auto',
      timelapse: options.timelapse ?? false,
      bed_leveling: options.bedLeveling ?? true,
      flow_cali: options.flowCalibration ?? false,
      vibration_cali: options.vibrationCalibration ?? false,
      layer_inspect: options.layerInspect ?? false,
      use_ams: useAms,
      ams_mapping: amsMapping,
    });
  }

  /** Stores the file at the top of the printer's storage over FTPS, then starts it when asked. */
  async upload(fileName: string, data: Buffer, options: UploadOptions): Promise<void> {
    const name = checkFileName(fileName);
    if (options.startPrint) this.#live(); // fail before a long upload when the print cannot be started
    const { serial, accessCode } = bambuCredentials(this.#connection);
    if (!serial || !accessCode) throw new PrinterCommandError('The serial number and LAN access code of this printer are not set', 400);
    const extraCa = this.#options.caCertificates ?? [];
    await uploadOverFtps({
      host: this.#connection.host,
      port: this.#options.ftpsPort ?? BAMBU_FTPS_PORT,
      accessCode,
      tls: bambuTlsOptions({ serial, insecure: this.#connection.tlsInsecure, extraCa }),
      extraCaCount: extraCa.length,
      remotePath: `/${name}`,
      data,
      timeoutMs: Math.max(this.#requestTimeoutMs, UPLOAD_IDLE_TIMEOUT_MS),
    });
    if (options.startPrint) await this.startFile(name);
  }

  /** Chamber light on/off (`ledctrl`); on H2 models the second chamber light follows. */
  async setLight(on: boolean): Promise<void> {
    const session = this.#live();
    const nodes = ['chamber_light'];
    const lights = session.report['lights_report'];
    if (Array.isArray(lights) && lights.some((l) => isRecord(l) && l['node'] === 'chamber_light2')) nodes.push('chamber_light2');
    for (const node of nodes) {
      await session.request('system', {
        command: 'ledctrl',
        led_node: node,
        led_mode: on ? 'on' : 'off',
        led_on_time: 500,
        led_off_time: 500,
        loop_times: 0,
        interval_time: 0,
      });
    }
  }

  /** Raw gcode through `gcode_line` (lines separated by \n, with the trailing \n the firmware expects). */
  async sendGcode(script: string): Promise<void> {
    if (script.trim() === '') throw new PrinterCommandError('The gcode script is empty', 400);
    const param = script.replace(/\r\n?/g, '\n');
    await this.#live().request('print', { command: 'gcode_line', param: param.endsWith('\n') ? param : `${param}\n` });
  }

  async setTemperatures(targets: { nozzle?: number; bed?: number }): Promise<void> {
    const lines: string[] = [];
    for (const [code, what, value, max] of [
      ['M104', 'nozzle', targets.nozzle, 350],
      ['M140', 'bed', targets.bed, 130],
    ] as const) {
      if (value === undefined) continue;
      if (!Number.isFinite(value) || value < 0 || value > max)
        throw new PrinterCommandError(`Invalid ${what} target temperature: ${value}`, 400);
      lines.push(`${code} S${Math.round(value)}`);
    }
    if (lines.length === 0) return;
    await this.#live().request('print', { command: 'gcode_line', param: `${lines.join('\n')}\n` });
  }

  /**
   * The built-in camera: RTSPS on X1/H2/X2/P2S (the report's `ipcam.rtsp_url` when it has one;
   * "disable" = LAN liveview off, no camera), the port-6000 JPEG stream on P1/A1. The access code
   * is not put into the URL: the camera hub adds `bblp`/access code itself.
   */
  async discoverCameras(): Promise<DiscoveredCamera[]> {
    const session = this.#live();
    const version = session.version ?? (await session.waitForVersion(Math.min(3000, this.#requestTimeoutMs)));
    const ipcam = isRecord(session.report['ipcam']) ? session.report['ipcam'] : null;
    const rtspUrl = str(ipcam?.['rtsp_url'])?.trim();
    const family = version?.family ?? null;
    const host = urlHost(this.#connection.host);
    const rtsp = family ? RTSP_FAMILIES.has(family) : rtspUrl !== undefined;
    if (rtsp) {
      if (rtspUrl === 'disable') return [];
      const streamUrl = rtspUrl && /^rtsps?:\/\/[^\s]+$/i.test(rtspUrl) ? rtspUrl : `rtsps://${host}:322/streaming/live/1`;
      return [{ name: 'Chamber camera', streamUrl, snapshotUrl: null, kind: 'rtsp' }];
    }
    if (family ? JPEG_FAMILIES.has(family) : ipcam !== null) {
      return [{ name: 'Chamber camera', streamUrl: `bambu-jpeg://${host}:6000`, snapshotUrl: null, kind: 'jpeg-tcp' }];
    }
    return [];
  }

  #live(): BambuSession {
    return this.#session.live(hostPort(this.#connection.host, this.#port));
  }
}

/** Absolute ids of AMS trays with filament (unit*4+slot; AMS HT units by their id). */
function loadedTrays(report: Json): number[] {
  const ams = report['ams'];
  if (!isRecord(ams) || !Array.isArray(ams['ams'])) return [];
  const ids: number[] = [];
  for (const unit of ams['ams']) {
    if (!isRecord(unit) || !Array.isArray(unit['tray'])) continue;
    const unitId = int(unit['id']);
    if (unitId === null) continue;
    for (const tray of unit['tray']) {
      if (!isRecord(tray)) continue;
      const slot = int(tray['id']);
      if (slot === null || (str(tray['tray_type'])?.trim() ?? '') === '') continue;
      ids.push(unitId >= 128 ? unitId + slot : unitId * 4 + slot);
    }
  }
  return ids.sort((a, b) => a - b);
}
