import { randomUUID } from 'node:crypto';

import { DEFAULT_PLAN, type PrintPhase, type PrintPlan, PrintRun, sensorReading } from '../print-run.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/** `CurrentStatus` machine states the simulator uses (protocols.md §4.2). */
export const MACHINE_IDLE = 0;
export const MACHINE_PRINTING = 1;
export const MACHINE_TRANSFERRING = 2;

/** `PrintInfo.Status` sub-states of the Centauri Carbon table (elegoo-link) the simulator uses. */
export const SUB = {
  idle: 0,
  pausing: 5,
  paused: 6,
  stopping: 7,
  stopped: 8,
  complete: 9,
  resuming: 12,
  printing: 13,
  error: 14,
  preheating: 16,
} as const;

/** Cmd 128 acks (protocols.md §4.4). */
export const START_ACK = { ok: 0, busy: 1, notFound: 2 } as const;

export interface StoredFile {
  name: string;
  size: number;
  md5: string;
  /** Unix seconds. */
  createdAt: number;
}

const AMBIENT_BOX = 25;
/** The Centauri Carbon's heater limits (nozzle 350 °C, bed 110 °C); the box has no heater, only a target. */
const LIMITS = { nozzle: 350, bed: 110, box: 60 } as const;

type Transition = 'pausing' | 'resuming' | 'stopping';

/**
 * A Centauri Carbon as SDCP shows it: a PrintRun behind the CC's machine and print sub-states,
 * fans, lights, the chamber ("box") temperature, the speed percentage and the local files.
 * `status()` builds the `Status` object in the recorded field order (fw 1.1.29 capture).
 *
 * Transitional sub-states (5 pausing, 12 resuming, 7 stopping) last until the next `advance()`
 * (the simulator calls it once per status interval), like the printer reporting them for a moment.
 * After a stop the job fields are cleared (Filename, TaskId, CurrentLayer, CurrentTicks, Progress),
 * as in the capture taken after a cancelled job; after completion and errors they stay.
 */
export class CentauriModel {
  readonly run: PrintRun;
  readonly #files = new Map<string, StoredFile>();
  readonly #plan: Partial<PrintPlan>;
  #speed: number;
  #fileName = '';
  #taskId = '';
  /** The slicer's estimate the CC reports as TotalTicks (seconds): heat-up plus printing. */
  #totalTicks = 0;
  /** The sub-state shown while no job runs: the last one, as on the real printer (initially 0). */
  #lastSub: number = SUB.idle;
  #transition: Transition | null = null;
  #errorNumber = 0;
  #transferring = false;
  #fanOverride: { ModelFan: number | null; AuxiliaryFan: number | null; BoxFan: number | null } = {
    ModelFan: null,
    AuxiliaryFan: null,
    BoxFan: null,
  };
  #secondLight = 1;
  #rgb: [number, number, number] = [0, 0, 0];
  #speedPct = 100;
  #boxTarget = 0;
  #box = AMBIENT_BOX;
  #boxTick = Date.now();
  #coord = '0.00,0.00,0.00';

  /** ± °C of thermistor noise on the nozzle and bed readings (0 = exact). */
  readonly #sensorNoise: number;

  constructor(options: { speed: number; plan: Partial<PrintPlan>; sensorNoise?: number }) {
    this.#sensorNoise = Math.max(0, options.sensorNoise ?? 0);
    this.#speed = options.speed;
    this.#plan = options.plan;
    this.run = new PrintRun(options.speed);
  }

  get phase(): PrintPhase {
    return this.run.phase;
  }

  get transferring(): boolean {
    return this.#transferring;
  }

  set transferring(on: boolean) {
    this.#transferring = on;
  }

  setSpeed(speed: number): void {
    this.#integrateBox();
    this.#speed = speed;
    this.run.setSpeed(speed);
  }

  files(): StoredFile[] {
    return [...this.#files.values()].map((f) => ({ ...f }));
  }

  addFile(file: StoredFile): void {
    this.#files.set(file.name, { ...file });
  }

  /** A job is running or still stopping: no new print, no new upload target… */
  busy(): boolean {
    return this.run.isActive() || this.#transition === 'stopping' || this.#transferring;
  }

  /** Cmd 128: `/local/<name>` or a bare name; USB storage is not simulated. */
  startFile(path: string, plan?: Partial<PrintPlan>): number {
    if (this.busy()) return START_ACK.busy;
    const name = localName(path);
    if (name === null || !this.#files.has(name)) return START_ACK.notFound;
    this.#begin(name, plan);
    return START_ACK.ok;
  }

  /** Someone pressed print on the screen (the file is added when it is not there yet). */
  startPrint(fileName: string, plan?: Partial<PrintPlan>): void {
    if (!this.#files.has(fileName)) this.addFile({ name: fileName, size: 0, md5: '', createdAt: unixSeconds() });
    this.#begin(fileName, plan);
  }

  #begin(fileName: string, plan?: Partial<PrintPlan>): void {
    const full: PrintPlan = { ...DEFAULT_PLAN, ...this.#plan, ...plan, fileName };
    this.run.start(full);
    this.#totalTicks = Math.round(full.heatSeconds + full.durationSeconds);
    this.#fileName = fileName;
    this.#taskId = randomUUID();
    this.#errorNumber = 0;
    this.#transition = null;
    this.#fanOverride = { ModelFan: null, AuxiliaryFan: null, BoxFan: null };
  }

  pause(): boolean {
    if (!this.run.pause()) return false;
    this.#transition = 'pausing';
    return true;
  }

  resume(): boolean {
    if (!this.run.resume()) return false;
    this.#transition = 'resuming';
    return true;
  }

  stop(): boolean {
    if (!this.run.cancel()) return false;
    this.#transition = 'stopping';
    return true;
  }

  /** The print ends in error 14 with `ErrorNumber` (1 MD5, 2 file read, 3 resolution, 4 format, 5 model). */
  fail(errorNumber: number): void {
    this.run.fail();
    this.#transition = null;
    this.#errorNumber = errorNumber;
    this.#lastSub = SUB.error;
  }

  /** Ends transitional sub-states; called once per status interval. Returns whether anything changed. */
  advance(): boolean {
    if (this.#transition === null) return false;
    this.#transition = null;
    return true;
  }

  /**
   * Cmd 403: exactly one field per request (Ack 0), else Ack 1. Values out of the printer's range
   * are refused with Ack 1 too.
   */
  set(data: JsonObject): number {
    const keys = Object.keys(data);
    if (keys.length !== 1) return 1;
    const key = keys[0] ?? '';
    const value = data[key];
    switch (key) {
      case 'TempTargetNozzle':
        if (!inRange(value, 0, LIMITS.nozzle)) return 1;
        this.run.setTargets({ nozzle: value });
        return 0;
      case 'TempTargetHotbed':
        if (!inRange(value, 0, LIMITS.bed)) return 1;
        this.run.setTargets({ bed: value });
        return 0;
      case 'TempTargetBox':
        if (!inRange(value, 0, LIMITS.box)) return 1;
        this.#integrateBox();
        this.#boxTarget = value;
        return 0;
      case 'PrintSpeedPct':
        if (!inRange(value, 10, 300)) return 1;
        this.#speedPct = Math.round(value);
        return 0;
      case 'TargetFanSpeed': {
        if (!isJsonObject(value)) return 1;
        const next = { ...this.#fanOverride };
        for (const [fan, speed] of Object.entries(value)) {
          if ((fan !== 'ModelFan' && fan !== 'AuxiliaryFan' && fan !== 'BoxFan') || !inRange(speed, 0, 100)) return 1;
          next[fan] = Math.round(speed);
        }
        this.#fanOverride = next;
        return 0;
      }
      case 'LightStatus': {
        if (!isJsonObject(value)) return 1;
        const second = value['SecondLight'];
        const rgb = value['RgbLight'];
        if (second !== undefined && typeof second !== 'boolean' && second !== 0 && second !== 1) return 1;
        if (rgb !== undefined && !(Array.isArray(rgb) && rgb.length === 3 && rgb.every((c) => inRange(c, 0, 255)))) return 1;
        // The web UI sends SecondLight as true/false; the status reports 0/1 (fw 1.1.29 capture).
        if (second !== undefined) this.#secondLight = second === true || second === 1 ? 1 : 0;
        if (Array.isArray(rgb)) this.#rgb = [Number(rgb[0]), Number(rgb[1]), Number(rgb[2])];
        return 0;
      }
      default:
        return 1;
    }
  }

  /** The `Status` object of an `sdcp/status` message, fields in the order of the fw 1.1.29 capture. */
  status(): JsonObject {
    const snap = this.run.snapshot();
    this.#integrateBox();
    let machine: number = MACHINE_IDLE;
    let sub: number = this.#lastSub;
    let cleared = false;
    switch (snap.phase) {
      case 'heating':
        machine = MACHINE_PRINTING;
        sub = this.#transition === 'resuming' ? SUB.resuming : SUB.preheating;
        break;
      case 'printing':
        machine = MACHINE_PRINTING;
        sub = this.#transition === 'resuming' ? SUB.resuming : SUB.printing;
        break;
      case 'paused':
        machine = MACHINE_PRINTING;
        sub = this.#transition === 'pausing' ? SUB.pausing : SUB.paused;
        break;
      case 'cancelled':
        if (this.#transition === 'stopping') {
          machine = MACHINE_PRINTING;
          sub = SUB.stopping;
        } else {
          sub = SUB.stopped;
          cleared = true;
        }
        break;
      case 'complete':
        sub = SUB.complete;
        break;
      case 'error':
        sub = SUB.error;
        break;
      case 'idle':
        break;
    }
    if (machine === MACHINE_IDLE) this.#lastSub = sub;
    if (snap.phase === 'printing') {
      const t = snap.printSeconds / 7;
      this.#coord = `${(128 + 60 * Math.sin(t)).toFixed(2)},${(128 + 60 * Math.cos(t)).toFixed(2)},${(snap.currentLayer * 0.2).toFixed(2)}`;
    }
    const hasJob = snap.phase !== 'idle';
    const autoModelFan = Math.round(snap.fan * 100);
    const printing = snap.phase === 'printing' || snap.phase === 'heating';
    const currentStatus: JsonValue[] = [machine];
    if (this.#transferring) {
      if (machine === MACHINE_IDLE) currentStatus[0] = MACHINE_TRANSFERRING;
      else currentStatus.push(MACHINE_TRANSFERRING);
    }
    return {
      CurrentStatus: currentStatus,
      TimeLapseStatus: 0,
      PlatFormType: 0,
      TempOfHotbed: sensorReading(snap.bedTemp, this.#sensorNoise, 100),
      TempOfNozzle: sensorReading(snap.nozzleTemp, this.#sensorNoise, 100),
      TempOfBox: Math.round(this.#box * 100) / 100,
      TempTargetHotbed: snap.bedTarget,
      TempTargetNozzle: snap.nozzleTarget,
      TempTargetBox: this.#boxTarget,
      CurrenCoord: this.#coord,
      CurrentFanSpeed: {
        ModelFan: this.#fanOverride.ModelFan ?? autoModelFan,
        AuxiliaryFan: this.#fanOverride.AuxiliaryFan ?? (printing && autoModelFan > 0 ? 30 : 0),
        BoxFan: this.#fanOverride.BoxFan ?? 0,
      },
      ZOffset: 0,
      LightStatus: { SecondLight: this.#secondLight, RgbLight: [...this.#rgb] },
      PrintInfo: {
        Status: sub,
        CurrentLayer: cleared ? 0 : snap.currentLayer,
        TotalLayer: snap.totalLayers,
        CurrentTicks: cleared ? 0 : Math.round(snap.elapsedSeconds * 100) / 100,
        TotalTicks: hasJob ? this.#totalTicks : 0,
        Filename: cleared ? '' : this.#fileName,
        TaskId: cleared ? '' : this.#taskId,
        PrintSpeedPct: this.#speedPct,
        Progress: cleared ? 0 : Math.floor(snap.progress * 100),
        ErrorNumber: this.#errorNumber,
      },
    };
  }

  /** The chamber drifts towards its target (or a little above ambient when the bed is hot). */
  #integrateBox(): void {
    const now = Date.now();
    const dt = (Math.max(0, now - this.#boxTick) / 1000) * this.#speed;
    this.#boxTick = now;
    if (dt === 0) return;
    const bed = this.run.snapshot().bedTemp;
    const goal = Math.max(this.#boxTarget, AMBIENT_BOX + Math.max(0, bed - 22) * 0.15);
    this.#box += (goal - this.#box) * (1 - Math.exp(-dt / 120));
  }
}

/** `/local/x.gcode` or `x.gcode` → `x.gcode`; USB and other storages → null. */
export function localName(path: string): string | null {
  if (path.startsWith('/local/')) return path.slice('/local/'.length) || null;
  if (path.startsWith('/')) return null;
  return path === '' ? null : path;
}

function inRange(value: JsonValue | undefined, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
