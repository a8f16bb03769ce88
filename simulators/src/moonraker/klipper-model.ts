import { type PrintPhase, type PrintPlan, PrintRun, sensorReading } from '../print-run.js';
import { filesListFixture, printerObjectsFixture } from './fixtures.js';
import { type JsonObject, ObjectStore } from './object-store.js';

/** Klippy's state as Moonraker reports it (`server.info` klippy_state; webhooks.state has the first four). */
export type KlippyState = 'ready' | 'startup' | 'shutdown' | 'error' | 'disconnected';

/** A Klipper/Moonraker refusal: `code` is the HTTP status Moonraker answers with. */
export class KlippyError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'KlippyError';
  }
}

export interface SimFile {
  path: string;
  modified: number;
  size: number;
  permissions: string;
}

export type KlippyEvent = 'ready' | 'shutdown' | 'disconnected';

export interface KlipperModelOptions {
  speed: number;
  /** Plan for prints started over the API (file name filled in). */
  plan: Partial<PrintPlan>;
  onKlippyEvent: (event: KlippyEvent) => void;
  now?: () => number;
  /** Sensor noise: each refresh reads the heaters ± up to this many °C (0 = exact, the default). */
  sensorNoise?: number;
}

/** The objects this printer has, in `printer.objects.list` order. */
export const OBJECT_NAMES = [
  'webhooks',
  'gcode_move',
  'toolhead',
  'extruder',
  'heater_bed',
  'fan',
  'idle_timeout',
  'virtual_sdcard',
  'print_stats',
  'display_status',
  'pause_resume',
] as const;

const GCODES_DIR = '/home/pi/printer_data/gcodes';
const READY_MESSAGE = 'Printer is ready';
const STARTUP_MESSAGE = 'Printer is not ready\nThe klippy host software is attempting to connect.  Please\nretry in a few moments.';
const SHUTDOWN_SUFFIX =
  '\nOnce the underlying issue is corrected, use the\n"FIRMWARE_RESTART" command to reset the firmware, reload the\nconfig, and restart the host software.\nPrinter is shutdown\n';
export const DEFAULT_SHUTDOWN_REASON = "Lost communication with MCU 'mcu'";
const HEATER_LIMITS = { extruder: 300, heater_bed: 130 } as const;
/** Gcode Klipper still accepts when it is not ready. */
const NOT_READY_COMMANDS = new Set(['FIRMWARE_RESTART', 'RESTART', 'STATUS', 'HELP', 'ECHO', 'M112']);

const PRINT_STATE: Record<PrintPhase, string> = {
  idle: 'standby',
  heating: 'printing',
  printing: 'printing',
  paused: 'paused',
  complete: 'complete',
  cancelled: 'cancelled',
  error: 'error',
};

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * A Klipper printer as Moonraker sees it: klippy state, the printer objects (driven by a
 * PrintRun), the gcode file store and the gcode commands a farm manager sends. Transport-free;
 * the simulator wraps it in HTTP and JSON-RPC.
 */
export class KlipperModel {
  readonly store = new ObjectStore();
  readonly run: PrintRun;
  readonly #files = new Map<string, SimFile>();
  readonly #now: () => number;
  readonly #plan: Partial<PrintPlan>;
  readonly #emit: (event: KlippyEvent) => void;
  readonly #sensorNoise: number;
  #speed: number;
  #klippy: KlippyState = 'ready';
  #stateMessage = READY_MESSAGE;
  #speedFactor = 1;
  #fanOverride: number | null = null;
  #printMessage = '';
  #homedAxes = '';
  #everPrinted = false;
  /** Simulated seconds spent paused in the current print (print_stats.total_duration counts them). */
  #pausedSeconds = 0;
  #lastRefresh: number;
  #lastPhase: PrintPhase = 'idle';

  constructor(options: KlipperModelOptions) {
    this.#now = options.now ?? Date.now;
    this.#speed = options.speed;
    this.#plan = options.plan;
    this.#emit = options.onKlippyEvent;
    this.#sensorNoise = Math.max(0, options.sensorNoise ?? 0);
    this.run = new PrintRun(options.speed, this.#now);
    this.#lastRefresh = this.#now();
    const reference = printerObjectsFixture();
    for (const name of OBJECT_NAMES) this.store.define(name, reference[name] ?? (name === 'pause_resume' ? { is_paused: false } : {}));
    for (const file of filesListFixture()) this.#files.set(file.path, file);
    this.refresh();
  }

  get klippyState(): KlippyState {
    return this.#klippy;
  }

  get stateMessage(): string {
    return this.#stateMessage;
  }

  setSpeed(speed: number): void {
    this.refresh();
    this.#speed = speed;
    this.run.setSpeed(speed);
  }

  // ---- files ------------------------------------------------------------------------------

  files(): SimFile[] {
    return [...this.#files.values()];
  }

  hasFile(path: string): boolean {
    return this.#files.has(path);
  }

  /** Stores an uploaded file's metadata (the simulator keeps no contents); true when it replaced one. */
  addFile(path: string, size: number): { file: SimFile; replaced: boolean } {
    const replaced = this.#files.has(path);
    const file: SimFile = { path, size, modified: this.#now() / 1000, permissions: 'rw' };
    this.#files.set(path, file);
    return { file, replaced };
  }

  // ---- printing ---------------------------------------------------------------------------

  /** Someone pressed print on the printer: starts whatever the state, like a local start. */
  startPrint(fileName: string, plan: Partial<PrintPlan> = {}): void {
    this.refresh();
    if (!this.#files.has(fileName)) this.addFile(fileName, 1_000_000);
    this.run.start({ ...this.#plan, ...plan, fileName });
    this.#pausedSeconds = 0;
    this.#printMessage = '';
    this.#fanOverride = null;
    this.#homedAxes = 'xyz';
    this.#everPrinted = true;
    this.refresh();
  }

  /** `SDCARD_PRINT_FILE` as Moonraker's print start sends it: refused when busy or not ready. */
  printFile(fileName: string): void {
    this.#requireReady();
    this.refresh();
    if (this.run.isActive()) throw new KlippyError(400, 'SD busy');
    if (!this.#files.has(fileName)) throw new KlippyError(400, 'Unable to open file');
    this.startPrint(fileName);
  }

  /** Whether an upload with print=true may start now (Moonraker checks klippy and print_stats). */
  canStartPrint(): boolean {
    this.refresh();
    return this.#klippy === 'ready' && !this.run.isActive();
  }

  pause(): void {
    this.#requireReady();
    this.refresh();
    this.run.pause();
    this.refresh();
  }

  resume(): void {
    this.#requireReady();
    this.refresh();
    this.run.resume();
    this.refresh();
  }

  cancel(): void {
    this.#requireReady();
    this.refresh();
    this.run.cancel();
    this.refresh();
  }

  /** The print fails with a message in print_stats (e.g. a runout macro gave up). */
  failPrint(message: string): void {
    this.refresh();
    this.run.fail();
    this.#printMessage = message;
    this.refresh();
  }

  // ---- klippy state ------------------------------------------------------------------------

  emergencyStop(): void {
    this.shutdown(`Shutdown due to M112 command${SHUTDOWN_SUFFIX}`);
  }

  /** Klipper shuts down: heaters off, an active print fails, webhooks.state = shutdown. */
  shutdown(stateMessage: string): void {
    if (this.#klippy === 'disconnected') return;
    this.refresh();
    if (this.run.isActive()) {
      this.run.fail();
      this.#printMessage = stateMessage.split('\n')[0] ?? stateMessage;
    }
    this.run.setTargets({ nozzle: 0, bed: 0 });
    this.#klippy = 'shutdown';
    this.#stateMessage = stateMessage;
    this.refresh();
    this.#emit('shutdown');
  }

  /** Klippy's host connection drops (service stopped, host restart). */
  disconnect(): void {
    if (this.#klippy === 'disconnected') return;
    this.#klippy = 'disconnected';
    this.#emit('disconnected');
  }

  /** Klippy reconnected and is starting (no notification; clients polling server.info see it). */
  startup(): void {
    this.#klippy = 'startup';
    this.#stateMessage = STARTUP_MESSAGE;
    this.refresh();
  }

  /**
   * Klippy becomes ready. From shutdown/error/startup this is a FIRMWARE_RESTART: the klippy
   * connection drops (notify_klippy_disconnected), the printer comes back reset, then
   * notify_klippy_ready. From disconnected only the second half happens.
   */
  ready(): void {
    if (this.#klippy === 'ready') return;
    if (this.#klippy !== 'disconnected') this.disconnect();
    this.refresh();
    this.run.reset();
    this.run.setTargets({ nozzle: 0, bed: 0 });
    this.#speedFactor = 1;
    this.#fanOverride = null;
    this.#printMessage = '';
    this.#homedAxes = '';
    this.#pausedSeconds = 0;
    this.#klippy = 'ready';
    this.#stateMessage = READY_MESSAGE;
    this.refresh();
    this.#emit('ready');
  }

  // ---- gcode ------------------------------------------------------------------------------

  /** Runs a gcode script (lines separated by \n) the way Klipper would for a farm manager. */
  runGcode(script: string): void {
    for (const rawLine of script.split('\n')) {
      const line = rawLine.replace(/;.*$/, '').trim();
      if (line === '') continue;
      const [head = '', ...rest] = line.split(/\s+/);
      const command = head.toUpperCase();
      if (this.#klippy !== 'ready' && !NOT_READY_COMMANDS.has(command)) {
        throw new KlippyError(this.#klippy === 'disconnected' ? 503 : 400, this.#notReadyMessage());
      }
      const params = parseParams(rest);
      switch (command) {
        case 'M112':
          this.emergencyStop();
          return;
        case 'FIRMWARE_RESTART':
        case 'RESTART':
          this.ready();
          return;
        case 'SET_HEATER_TEMPERATURE': {
          const heater = params.get('HEATER') ?? '';
          if (heater !== 'extruder' && heater !== 'heater_bed') throw new KlippyError(400, `Heater '${heater}' not found`);
          this.#setTarget(heater, params.get('TARGET') ?? '0');
          break;
        }
        case 'M104':
        case 'M109':
          this.#setTarget('extruder', params.get('S') ?? '0');
          break;
        case 'M140':
        case 'M190':
          this.#setTarget('heater_bed', params.get('S') ?? '0');
          break;
        case 'M220':
          this.#speedFactor = Math.max(0.01, numberParam(params.get('S') ?? '100', 'S') / 100);
          break;
        case 'M106':
          this.#fanOverride = Math.min(1, Math.max(0, numberParam(params.get('S') ?? '255', 'S') / 255));
          break;
        case 'M107':
          this.#fanOverride = 0;
          break;
        case 'PAUSE':
          this.pause();
          break;
        case 'RESUME':
          this.resume();
          break;
        case 'CANCEL_PRINT':
          this.cancel();
          break;
        case 'SDCARD_PRINT_FILE':
          this.printFile((params.get('FILENAME') ?? '').replace(/^"|"$/g, ''));
          break;
        default:
          // Anything else (G28, M117, macros...) is accepted and does nothing here.
          break;
      }
    }
    this.refresh();
  }

  /** A thermistor reading: the true temperature plus uniform noise of ±sensorNoise °C, to 0.01 °C like Klipper. */
  #sensor(temperature: number): number {
    return sensorReading(temperature, this.#sensorNoise, 100);
  }

  #setTarget(heater: 'extruder' | 'heater_bed', raw: string): void {
    const target = numberParam(raw, 'TARGET');
    const max = HEATER_LIMITS[heater];
    if (target < 0 || target > max) {
      throw new KlippyError(400, `Requested temperature (${target.toFixed(1)}) out of range (0.0:${max.toFixed(1)})`);
    }
    this.refresh();
    this.run.setTargets(heater === 'extruder' ? { nozzle: target } : { bed: target });
    this.refresh();
  }

  #requireReady(): void {
    if (this.#klippy !== 'ready') throw new KlippyError(this.#klippy === 'disconnected' ? 503 : 400, this.#notReadyMessage());
  }

  #notReadyMessage(): string {
    return this.#klippy === 'disconnected' ? 'Klippy Disconnected' : this.#stateMessage;
  }

  // ---- printer objects ------------------------------------------------------------------------

  /** Brings the printer objects up to the present. Cheap: writes only fields whose value changed. */
  refresh(): void {
    const snap = this.run.snapshot();
    const now = this.#now();
    if (snap.phase === 'paused' && this.#lastPhase === 'paused') {
      this.#pausedSeconds += ((now - this.#lastRefresh) / 1000) * this.#speed;
    }
    this.#lastRefresh = now;
    this.#lastPhase = snap.phase;

    const s = this.store;
    const hasPlan = snap.fileName !== null;
    const active = snap.phase === 'heating' || snap.phase === 'printing' || snap.phase === 'paused';
    const loaded = active ? snap.fileName : null;
    const fileSize = hasPlan && snap.phase !== 'cancelled' ? (this.#files.get(snap.fileName ?? '')?.size ?? 0) : 0;
    // Klipper's progress is file_position / file_size, unrounded: it moves in every status update of a print.
    const position = snap.phase === 'idle' || snap.phase === 'cancelled' ? 0 : Math.floor(snap.progress * fileSize);
    const progress = snap.phase === 'complete' ? 1 : fileSize > 0 ? position / fileSize : 0;
    const z = round(snap.currentLayer * 0.2, 2);

    if (this.#klippy !== 'disconnected') {
      s.set('webhooks', 'state', this.#klippy);
      s.set('webhooks', 'state_message', this.#stateMessage);
    }

    s.set('print_stats', 'filename', snap.fileName ?? '');
    // Klipper reports durations as unrounded floats (eventtime differences).
    s.set('print_stats', 'total_duration', hasPlan ? snap.elapsedSeconds + this.#pausedSeconds : 0);
    s.set('print_stats', 'print_duration', snap.printSeconds);
    s.set('print_stats', 'filament_used', round(snap.progress * (snap.totalLayers * 12.5), 2));
    s.set('print_stats', 'state', PRINT_STATE[snap.phase]);
    s.set('print_stats', 'message', this.#printMessage);
    const info = s.get('print_stats', 'info');
    const totalLayer = hasPlan ? snap.totalLayers : null;
    const currentLayer = hasPlan ? snap.currentLayer : null;
    if (!isInfo(info, totalLayer, currentLayer)) s.set('print_stats', 'info', { total_layer: totalLayer, current_layer: currentLayer });

    s.set('virtual_sdcard', 'file_path', loaded === null ? null : `${GCODES_DIR}/${loaded}`);
    s.set('virtual_sdcard', 'progress', progress);
    s.set('virtual_sdcard', 'is_active', snap.phase === 'heating' || snap.phase === 'printing');
    s.set('virtual_sdcard', 'file_position', position);
    s.set('virtual_sdcard', 'file_size', fileSize);
    s.set('display_status', 'progress', progress);

    s.set('extruder', 'temperature', this.#sensor(snap.nozzleTemp));
    s.set('extruder', 'target', snap.nozzleTarget);
    s.set('extruder', 'power', heaterPower(snap.nozzleTemp, snap.nozzleTarget));
    s.set('heater_bed', 'temperature', this.#sensor(snap.bedTemp));
    s.set('heater_bed', 'target', snap.bedTarget);
    s.set('heater_bed', 'power', heaterPower(snap.bedTemp, snap.bedTarget));

    const fan = this.#fanOverride ?? snap.fan;
    s.set('fan', 'speed', round(fan, 3));
    s.set('fan', 'rpm', Math.round(fan * 6000));

    s.set('gcode_move', 'speed_factor', this.#speedFactor);
    if (!zIs(s.get('toolhead', 'position'), z)) {
      s.set('toolhead', 'position', [0, 0, z, 0]);
      s.set('gcode_move', 'position', [0, 0, z, 0]);
      s.set('gcode_move', 'gcode_position', [0, 0, z, 0]);
    }
    s.set('toolhead', 'homed_axes', this.#homedAxes);

    s.set('idle_timeout', 'state', active ? 'Printing' : this.#everPrinted ? 'Ready' : 'Idle');
    s.set('idle_timeout', 'printing_time', active ? round(snap.elapsedSeconds, 1) : 0);
    s.set('pause_resume', 'is_paused', snap.phase === 'paused');
  }
}

function heaterPower(temperature: number, target: number): number {
  if (target <= 0) return 0;
  return round(Math.min(1, Math.max(0.25, (target - temperature) / 20)), 2);
}

function isInfo(value: unknown, total: number | null, current: number | null): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const info = value as JsonObject;
  return info['total_layer'] === total && info['current_layer'] === current;
}

function zIs(value: unknown, z: number): boolean {
  return Array.isArray(value) && value[2] === z;
}

/** Klipper-style `KEY=VALUE` words and classic `S200` words. */
function parseParams(words: string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq > 0) params.set(word.slice(0, eq).toUpperCase(), word.slice(eq + 1));
    else if (/^[A-Za-z]/.test(word)) params.set((word[0] ?? '').toUpperCase(), word.slice(1));
  }
  return params;
}

function numberParam(raw: string, name: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new KlippyError(400, `Unable to parse '${raw}' as a float for ${name}`);
  return value;
}
