import type { PrinterStatePatch } from './state.js';

export const API_TYPES = ['moonraker', 'prusalink', 'bambu', 'elegoo'] as const;
export type ApiType = (typeof API_TYPES)[number];

/** Everything a driver needs to reach one printer; secrets already decrypted. */
export interface PrinterConnection {
  printerId: number;
  apiType: ApiType;
  host: string;
  /** Explicit port, or null for the protocol's default. */
  port: number | null;
  /** Moonraker/PrusaLink API key (X-Api-Key). */
  apiKey: string | null;
  /** HTTP digest credentials (PrusaLink). */
  username: string | null;
  password: string | null;
  /**
   * Bambu: the printer's serial (its TLS certificate name and MQTT topic) and LAN access code. When
   * null, drivers fall back to the original's `api_key` = "serial|access_code".
   */
  serial: string | null;
  accessCode: string | null;
  /** The user switched certificate checks off for this printer (the "don't verify" switch). */
  tlsInsecure: boolean;
}

export const DRIVER_COMMANDS = [
  'pause',
  'resume',
  'stop',
  'emergencyStop',
  'startFile',
  'upload',
  'setLight',
  'sendGcode',
  'setTemperatures',
] as const;
export type DriverCommand = (typeof DRIVER_COMMANDS)[number];

/** Thrown by a command the protocol (or this printer) cannot carry out; the API answers 501 with this message. */
export class UnsupportedCommandError extends Error {
  constructor(
    readonly command: DriverCommand,
    protocol: string,
  ) {
    super(`${protocol} printers do not support ${command}`);
    this.name = 'UnsupportedCommandError';
  }
}

/** A command the printer refused or could not be reached for; `status` is the HTTP status to answer with. */
export class PrinterCommandError extends Error {
  constructor(
    message: string,
    readonly status = 502,
  ) {
    super(message);
    this.name = 'PrinterCommandError';
  }
}

/** What the driver tells the supervisor. Calls must never throw back into the driver. */
export interface DriverListener {
  /** Normalised fields that changed (drivers diff before calling). */
  onState(patch: PrinterStatePatch): void;
  /** The live session ended (socket closed, too many failed polls); the supervisor reconnects with backoff. */
  onDisconnect(reason: string): void;
  /**
   * The printer answered but nothing changed (a pong, a poll with the same values). Keeps the
   * supervisor's 90 s silence watchdog from declaring a quiet, healthy printer offline.
   */
  onAlive?(): void;
}

export interface UploadOptions {
  /** Start printing the file once it is stored. */
  startPrint: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** Words for the user: what was found, or what went wrong (wrong key, refused, timed out...). */
  message: string;
  /** What the printer said about itself (model, firmware, hostname...) when reachable. */
  info?: Record<string, string | number | boolean | null>;
}

/** A camera the printer itself announces (Moonraker webcams, Bambu's built-in camera...). */
export interface DiscoveredCamera {
  name: string;
  /** Absolute URL of the live stream. */
  streamUrl: string;
  snapshotUrl: string | null;
  /** How the stream is served, so the camera hub knows how to read it. */
  kind: 'mjpeg' | 'webrtc' | 'hls' | 'rtsp' | 'jpeg-tcp' | 'other';
}

/**
 * One printer's protocol turned into normalised state patches and commands. A driver instance
 * serves one session at a time: `connect` resolves once the session is up and the first full
 * state has been emitted, and rejects (never throws synchronously) when it cannot be set up.
 * After `onDisconnect` the supervisor may call `connect` again. Parsing is total: unknown
 * fields are ignored, missing ones tolerated, malformed messages logged and dropped.
 */
export interface PrinterDriver {
  readonly apiType: ApiType;
  readonly supports: ReadonlySet<DriverCommand>;
  connect(listener: DriverListener): Promise<void>;
  /** Ends the session without reporting onDisconnect; safe to call at any time, also twice. */
  close(): Promise<void>;

  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  emergencyStop(): Promise<void>;
  startFile(path: string): Promise<void>;
  upload(fileName: string, data: Buffer, options: UploadOptions): Promise<void>;
  setLight(on: boolean): Promise<void>;
  sendGcode(script: string): Promise<void>;
  setTemperatures(targets: { nozzle?: number; bed?: number }): Promise<void>;
  /** Cameras the printer announces, for printers whose protocol has such a list. */
  discoverCameras?(): Promise<DiscoveredCamera[]>;
}

export interface DriverLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DriverOptions {
  logger: DriverLogger;
  /** PrusaLink poll interval (ms); default 2000. */
  pollIntervalMs?: number;
  /** Time limit for one HTTP request or connection attempt (ms); default 10000. */
  requestTimeoutMs?: number;
  /**
   * How often a push-based driver (WebSocket, MQTT) pings a quiet printer to prove the session is
   * alive (ms); default 20000. Must stay well under the supervisor's silence limit.
   */
  keepaliveMs?: number;
  /** PEM certificates trusted for printer TLS in addition to the built-in vendor CAs (ODIN_BAMBU_CA_FILE). */
  caCertificates?: string[];
  /** Bambu FTPS port; 990 on real printers, other values for simulators on one host. */
  ftpsPort?: number;
}
