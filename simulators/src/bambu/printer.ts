/**
 * One Bambu printer without the network: the `print` report (built from a PrintRun, the AMS, lights
 * and errors), and the answers to request-topic commands. The simulator publishes what this returns.
 */
import { posix } from 'node:path';

import { DEFAULT_PLAN, type PrintPhase, type PrintPlan, PrintRun, sensorReading } from '../print-run.js';
import { amsJson, type AmsUnit, defaultUnit, externalSpoolJson, humidityIndexFor, makeTray, type Tray, type TrayInput } from './ams.js';
import { FileStore } from './file-store.js';
import type { ModelProfile } from './models.js';
import { pushStatus, ReportFields } from './report-fields.js';

export type GcodeState = 'IDLE' | 'PREPARE' | 'RUNNING' | 'PAUSE' | 'FINISH' | 'FAILED';

/** 0x0300400C, "task was cancelled": what a stop leaves in `print_error` for a few seconds. */
export const CANCELLED_PRINT_ERROR = 50348044;

/** Percentage points of the active spool one print uses (AMS `remain` falls by this much over a print). */
const FILAMENT_USE_PERCENT = 8;
const AMBIENT = 22;
const EXTERNAL_SPOOL = 254;
const NO_TRAY = 255;

export interface BambuPrinterOptions {
  serial: string;
  profile: ModelProfile;
  host: string;
  files: FileStore;
  speed: number;
  amsUnits: number;
  plan: Partial<PrintPlan>;
  /** Real ms until a cancel's print_error 50348044 goes back to 0. */
  cancelErrorClearMs: number;
  /** ± °C of uniform noise on nozzle/bed readings (0 = exact). */
  sensorNoise: number;
  now?: () => number;
}

/** What a print was started with (project_file parameters, or defaults for a print started on the printer). */
export interface BambuJob {
  fileName: string;
  subtaskName: string;
  /** `gcode_file` in the report: the plate path on X1/H2 (`/data/Metadata/plate_1.gcode`), the file on P1/A1. */
  gcodeFile: string;
  /** `param` of project_file (the plate's gcode inside the 3mf), null for other starts. */
  plate: string | null;
  useAms: boolean;
  amsMapping: number[];
  bedLeveling: boolean;
  /** Absolute tray feeding the print: ams*4+slot, 254 external spool. */
  tray: number;
  projectId: string;
  profileId: string;
  taskId: string;
  subtaskId: string;
}

export interface RequestOutcome {
  /** Messages to publish on the report topic, in order. */
  replies: string[];
  /** The command changed printer state: push a delta now rather than at the next tick. */
  changed: boolean;
}

type Json = Record<string, unknown>;

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

function ipv4LittleEndian(host: string): number {
  const parts = host.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return (a + b * 256 + c * 65536 + d * 16777216) >>> 0;
}

export class BambuPrinter {
  readonly fields = new ReportFields();
  readonly run: PrintRun;
  readonly profile: ModelProfile;
  readonly serial: string;
  readonly #host: string;
  readonly #files: FileStore;
  readonly #plan: Partial<PrintPlan>;
  readonly #cancelErrorClearMs: number;
  readonly #sensorNoise: number;
  readonly #now: () => number;
  readonly #keys: Set<string>;
  readonly #schema: 'p1' | 'x1';

  #sequence = 1000 + Math.floor(Math.random() * 40_000);
  #speed: number;
  #job: BambuJob | null = null;
  #printError = 0;
  #cancelClearAt: number | null = null;
  #hms: { attr: number; code: number }[] = [];
  #lights: Map<string, string>;
  #units: AmsUnit[];
  #external: Tray | null;
  #trayNow = NO_TRAY;
  #remainBase: { remain: number; progress: number } | null = null;
  #spdLvl = 2;
  #chamberTarget = 0;
  #chamber = 25;
  #lastRefresh: number;
  #liveview: boolean;
  #stg = '';
  /** Heat-up part of the current print's PREPARE (bed leveling follows it). */
  #heatSeconds = 0;
  #dirty = { ams: true, external: true, hms: true, lights: true, ipcam: true };

  constructor(options: BambuPrinterOptions) {
    this.profile = options.profile;
    this.serial = options.serial;
    this.#schema = options.profile.schema;
    this.#host = options.host;
    this.#files = options.files;
    this.#plan = options.plan;
    this.#cancelErrorClearMs = options.cancelErrorClearMs;
    this.#sensorNoise = options.sensorNoise;
    this.#now = options.now ?? Date.now;
    this.#speed = options.speed;
    this.#lastRefresh = this.#now();
    this.run = new PrintRun(options.speed, this.#now);
    this.#lights = new Map(options.profile.lights.map(([node, mode]) => [node, mode]));
    this.#liveview = options.profile.rtsp === 'on';
    const units = Math.max(0, Math.min(options.profile.maxAmsUnits, Math.floor(options.amsUnits)));
    this.#units = Array.from({ length: units }, (_, id) => defaultUnit(options.serial, id, this.#schema));
    // Without an AMS, the external spool holds generic PLA (like the P1P-without-AMS capture); with one, it is empty.
    this.#external = units === 0 ? makeTray({ type: 'PLA', color: 'FFFFFFFF', remain: 0 }) : null;
    this.#trayNow = units > 0 ? NO_TRAY : EXTERNAL_SPOOL;
    this.#keys = new Set(this.#fieldOrder());
    this.#init();
  }

  // ── Reports ────────────────────────────────────────────────────────────────────────────────

  get gcodeState(): GcodeState {
    return this.#gcodeState(this.run.phase);
  }

  get job(): BambuJob | null {
    return this.#job;
  }

  /** The whole `print` object with msg 0 (the answer to pushall). */
  fullReport(): string {
    this.refresh();
    return pushStatus(this.fields.takeFull(), 0, ++this.#sequence);
  }

  /** The full report as it would be sent now, without sending it (pending deltas and sequence untouched). */
  peekFullReport(): string {
    this.refresh();
    return pushStatus(this.fields.all(), 0, this.#sequence + 1);
  }

  /**
   * The periodic push: the whole object on models that always send it (X1C), otherwise the fields
   * changed since the last push with msg 1 (just the envelope when nothing changed, a heartbeat).
   */
  periodicReport(): string {
    if (this.profile.fullEveryPush) return this.fullReport();
    this.refresh();
    return pushStatus(this.fields.takeDelta(), 1, ++this.#sequence);
  }

  /** Brings every field up to date with the print, heaters, AMS and latched errors. */
  refresh(): void {
    const now = this.#now();
    const s = this.run.snapshot();
    const state = this.#gcodeState(s.phase);
    if (this.#cancelClearAt !== null && now >= this.#cancelClearAt) {
      this.#cancelClearAt = null;
      if (this.#printError === CANCELLED_PRINT_ERROR) this.#printError = 0;
    }
    const active = s.phase === 'heating' || s.phase === 'printing' || s.phase === 'paused';
    const job = this.#job;
    const f = this.fields;
    // Nozzle/bed readings come in 1/32 °C steps on the wire (15.0625, 11.96875 in the captures).
    f.set('nozzle_temper', sensorReading(s.nozzleTemp, this.#sensorNoise, 32));
    f.set('nozzle_target_temper', s.nozzleTarget);
    f.set('bed_temper', sensorReading(s.bedTemp, this.#sensorNoise, 32));
    f.set('bed_target_temper', s.bedTarget);
    if (this.profile.chamber) {
      const dt = (Math.max(0, now - this.#lastRefresh) / 1000) * this.#speed;
      const goal = Math.max(AMBIENT + 3 + (s.bedTemp - AMBIENT) * 0.3, this.#chamberTarget);
      this.#chamber += (goal - this.#chamber) * (1 - Math.exp(-dt / 120));
      f.set('chamber_temper', Math.round(this.#chamber));
      this.#set('ctt', this.#chamberTarget);
    }
    this.#lastRefresh = now;

    f.set('mc_print_stage', active ? '2' : '1');
    const running = state === 'RUNNING';
    f.set('heatbreak_fan_speed', s.nozzleTemp >= 50 ? '15' : '0');
    f.set('cooling_fan_speed', String(running ? Math.round(s.fan * 15) : 0));
    f.set('big_fan1_speed', running && s.fan > 0 && this.profile.auxFans ? '10' : '0');
    f.set('big_fan2_speed', running && s.fan > 0 && this.profile.auxFans ? '2' : '0');
    f.set('mc_percent', s.fileName === null ? 0 : Math.floor(s.progress * 100));
    f.set('mc_remaining_time', s.phase === 'complete' || s.fileName === null ? 0 : Math.ceil(s.remainingSeconds / 60));
    f.set('ams_status', active && (job?.tray ?? NO_TRAY) < EXTERNAL_SPOOL ? 768 : 0);
    f.set('spd_lvl', this.#spdLvl);
    f.set('spd_mag', [50, 100, 124, 166][this.#spdLvl - 1] ?? 100);
    f.set('print_error', this.#printError);
    this.#set('mc_print_error_code', String(this.#printError & 0xffff));
    f.set('gcode_state', state);
    f.set('gcode_file_prepare_percent', job ? '100' : '0');
    f.set('project_id', job?.projectId ?? '0');
    f.set('profile_id', job?.profileId ?? '0');
    f.set('task_id', job?.taskId ?? '0');
    f.set('subtask_id', job?.subtaskId ?? '0');
    f.set('subtask_name', job?.subtaskName ?? '');
    f.set('gcode_file', job?.gcodeFile ?? '');
    f.set('print_type', active ? 'local' : 'idle');
    f.set('layer_num', s.currentLayer);
    f.set('total_layer_num', s.totalLayers);

    // Stages: heatbed preheating (2), then auto bed leveling (1) when asked, printing (0), paused by the user (16).
    let stage = this.profile.idleStage;
    if (state === 'PREPARE') stage = job?.bedLeveling && s.elapsedSeconds >= this.#heatSeconds ? 1 : 2;
    else if (state === 'RUNNING') stage = 0;
    else if (state === 'PAUSE') stage = 16;
    f.set('stg_cur', stage);
    const stg = active ? (job?.bedLeveling ? '2,1' : '2') : state === 'IDLE' ? '' : this.#stg;
    if (stg !== this.#stg || !f.has('stg') || f.get('stg') === null) {
      this.#stg = stg;
      f.setObject('stg', stg ? stg.split(',').map(Number) : []);
    }

    this.#refreshTrays(s.phase, s.progress);
    if (this.#dirty.ams) {
      f.setObject('ams', amsJson(this.#units, this.#schema, this.#trayNow, this.#trayNow));
      this.#dirty.ams = false;
    }
    if (this.#dirty.external) {
      f.setObject('vt_tray', externalSpoolJson(this.#external, this.#schema));
      if (this.#keys.has('vir_slot'))
        f.setObject('vir_slot', [externalSpoolJson(this.#external, 'x1', '254'), externalSpoolJson(null, 'x1', '255')]);
      this.#dirty.external = false;
    }
    if (this.#dirty.hms) {
      f.setObject(
        'hms',
        this.#hms.map((h) => ({ ...h })),
      );
      this.#dirty.hms = false;
    }
    if (this.#dirty.lights) {
      f.setObject(
        'lights_report',
        [...this.#lights].map(([node, mode]) => ({ node, mode })),
      );
      this.#dirty.lights = false;
    }
    if (this.#dirty.ipcam) {
      f.setObject('ipcam', this.#ipcam());
      this.#dirty.ipcam = false;
    }
  }

  // ── Control (tests, the simulator) ─────────────────────────────────────────────────────────

  setSpeed(speed: number): void {
    this.refresh();
    this.#speed = speed;
    this.run.setSpeed(speed);
  }

  /** Starts a print as if pressed on the printer (no upload needed). */
  startPrint(fileName: string, plan: Partial<PrintPlan> = {}, job: Partial<BambuJob> = {}): void {
    const bedLeveling = job.bedLeveling ?? false;
    const base = { ...DEFAULT_PLAN, nozzleTarget: 220, bedTarget: 55, ...this.#plan, ...plan, fileName };
    const useAms = job.useAms ?? this.#units.length > 0;
    const tray = useAms ? this.#pickTray(job.amsMapping ?? []) : EXTERNAL_SPOOL;
    this.#job = {
      fileName,
      subtaskName: job.subtaskName || posix.basename(fileName).replace(/(\.gcode)?\.3mf$|\.gcode$/i, ''),
      gcodeFile: job.gcodeFile ?? (this.#schema === 'x1' ? `/data/${job.plate ?? 'Metadata/plate_1.gcode'}` : posix.basename(fileName)),
      plate: job.plate ?? null,
      useAms,
      amsMapping: job.amsMapping ?? [],
      bedLeveling,
      tray,
      projectId: job.projectId ?? '0',
      profileId: job.profileId ?? '0',
      taskId: job.taskId ?? '0',
      subtaskId: job.subtaskId ?? '0',
    };
    this.#printError = 0;
    this.#cancelClearAt = null;
    this.#remainBase = null;
    // Bed leveling adds half the heat-up time after the bed is at temperature.
    const heatSeconds = base.heatSeconds + (bedLeveling ? base.heatSeconds / 2 : 0);
    this.run.start({ ...base, heatSeconds });
    this.#heatSeconds = base.heatSeconds;
  }

  /** A real failure (not a cancel): an active print ends FAILED with this print_error; 0 clears it. */
  setPrintError(code: number): void {
    this.refresh();
    if (code !== 0 && this.run.isActive()) this.run.fail();
    this.#printError = code;
    this.#cancelClearAt = null;
  }

  injectHms(attr: number, code: number): void {
    this.#hms.push({ attr, code });
    this.#dirty.hms = true;
  }

  clearHms(): void {
    this.#hms = [];
    this.#dirty.hms = true;
  }

  /** unit 0..n-1 and slot 0..3; unit 254 = the external spool (slot ignored). null = empty. */
  setTray(unit: number, slot: number, tray: TrayInput | null): void {
    if (unit === EXTERNAL_SPOOL) {
      this.#external = tray ? makeTray(tray) : null;
      this.#dirty.external = true;
      return;
    }
    const target = this.#units[unit];
    if (!target || !Number.isInteger(slot) || slot < 0 || slot > 3) {
      throw new Error(`no AMS slot ${unit}/${slot} on this printer (${this.#units.length} unit(s), slots 0-3)`);
    }
    target.trays[slot] = tray ? makeTray(tray) : null;
    if (this.#trayNow === unit * 4 + slot) this.#remainBase = null;
    this.#dirty.ams = true;
  }

  setAmsEnvironment(unit: number, env: { humidity?: number; humidityIndex?: number; temperature?: number }): void {
    const target = this.#units[unit];
    if (!target) throw new Error(`no AMS unit ${unit} on this printer (${this.#units.length} unit(s))`);
    if (env.humidity !== undefined) {
      target.humidity = env.humidity;
      if (env.humidityIndex === undefined) target.humidityIndex = humidityIndexFor(env.humidity);
    }
    if (env.humidityIndex !== undefined) target.humidityIndex = env.humidityIndex;
    if (env.temperature !== undefined) target.temperature = env.temperature;
    this.#dirty.ams = true;
  }

  /** H2: "LAN Only Liveview" on/off (`ipcam.rtsp_url` is "disable" while off). */
  setLiveview(on: boolean): void {
    if (this.profile.rtsp === 'none') return;
    this.#liveview = on;
    this.#dirty.ipcam = true;
  }

  // ── Commands ───────────────────────────────────────────────────────────────────────────────

  handleRequest(message: Json): RequestOutcome {
    const none: RequestOutcome = { replies: [], changed: false };
    const print = message['print'];
    if (isObject(print)) return this.#printCommand(print);
    const system = message['system'];
    if (isObject(system) && system['command'] === 'ledctrl') return this.#ledctrl(system);
    const pushing = message['pushing'];
    if (isObject(pushing) && pushing['command'] === 'pushall') return { replies: [this.fullReport()], changed: false };
    const info = message['info'];
    if (isObject(info) && info['command'] === 'get_version') return { replies: [this.#version(info)], changed: false };
    return none; // unknown sections and commands are ignored, like the printer
  }

  #printCommand(req: Json): RequestOutcome {
    const ok = (): RequestOutcome => ({ replies: [ack('print', req, 'success', 'success')], changed: true });
    const fail = (reason: string): RequestOutcome => ({ replies: [ack('print', req, 'fail', reason)], changed: false });
    switch (req['command']) {
      case 'pause':
        return this.run.pause() ? ok() : fail('pause failed: no print in progress');
      case 'resume':
        return this.run.resume() ? ok() : fail('resume failed: print is not paused');
      case 'stop':
        if (!this.run.cancel()) return fail('stop failed: no print in progress');
        this.#printError = CANCELLED_PRINT_ERROR;
        this.#cancelClearAt = this.#now() + this.#cancelErrorClearMs;
        return ok();
      case 'project_file':
        return this.#projectFile(req, ok, fail);
      case 'gcode_file': {
        if (this.run.isActive()) return fail('printer is busy');
        const file = this.#findFile([str(req['param'])]);
        if (!file) return fail(`file not found: ${str(req['param'])}`);
        this.startPrint(file, {}, { useAms: this.#units.length > 0 });
        return ok();
      }
      case 'gcode_line':
        this.#gcodeLines(str(req['param']));
        return ok();
      case 'clean_print_error':
        this.#printError = 0;
        this.#cancelClearAt = null;
        return ok();
      case 'print_speed': {
        const level = Number(str(req['param']));
        if (!Number.isInteger(level) || level < 1 || level > 4) return fail(`invalid speed level: ${str(req['param'])}`);
        this.#spdLvl = level;
        return ok();
      }
      default:
        return { replies: [], changed: false };
    }
  }

  #projectFile(req: Json, ok: () => RequestOutcome, fail: (reason: string) => RequestOutcome): RequestOutcome {
    if (this.run.isActive()) return fail('printer is busy');
    const url = str(req['url']);
    const file = this.#findFile([url, str(req['file'])]);
    if (!file) return fail(`file not found: ${url || str(req['file'])}`);
    const plate = str(req['param']) || 'Metadata/plate_1.gcode';
    const mapping = Array.isArray(req['ams_mapping']) ? req['ams_mapping'].map((v) => Number(v)).filter((v) => Number.isInteger(v)) : [];
    const leveling = req['bed_leveling'] ?? req['bed_levelling'];
    this.startPrint(
      file,
      {},
      {
        plate,
        gcodeFile: this.#schema === 'x1' ? `/data/${plate.replace(/^\/+/, '')}` : posix.basename(file),
        subtaskName: str(req['subtask_name']),
        useAms: req['use_ams'] === undefined ? this.#units.length > 0 : req['use_ams'] === true,
        amsMapping: mapping,
        bedLeveling: leveling === true,
        projectId: str(req['project_id'], '0'),
        profileId: str(req['profile_id'], '0'),
        taskId: str(req['task_id'], '0'),
        subtaskId: str(req['subtask_id'], '0'),
      },
    );
    return ok();
  }

  /** The stored path a project_file/gcode_file reference points at, or null. */
  #findFile(refs: string[]): string | null {
    for (const ref of refs) {
      if (!ref) continue;
      let path = ref;
      try {
        path = decodeURIComponent(ref);
      } catch {
        // keep it as sent
      }
      path = path
        .replace(/^ftp:\/\//i, '')
        .replace(/^file:\/\//i, '')
        .replace(/^\/(mnt\/)?sdcard(?=\/)/i, '');
      const resolved = FileStore.resolve('/', path);
      if (this.#files.get(resolved)) return resolved;
    }
    return null;
  }

  #gcodeLines(script: string): void {
    for (const raw of script.split('\n')) {
      const line = raw.replace(/;.*$/, '').trim().toUpperCase();
      const [cmd, ...args] = line.split(/\s+/);
      const s = args.find((a) => a.startsWith('S'));
      const value = s === undefined ? NaN : Number(s.slice(1));
      if (!Number.isFinite(value)) continue;
      if (cmd === 'M104' || cmd === 'M109') this.run.setTargets({ nozzle: value });
      else if (cmd === 'M140' || cmd === 'M190') this.run.setTargets({ bed: value });
      else if ((cmd === 'M141' || cmd === 'M191') && this.profile.chamber) this.#chamberTarget = value;
    }
  }

  #ledctrl(req: Json): RequestOutcome {
    const node = str(req['led_node']);
    const mode = str(req['led_mode']);
    if (!this.#lights.has(node)) return { replies: [ack('system', req, 'fail', `did not find the valid led: ${node}`)], changed: false };
    if (mode !== 'on' && mode !== 'off' && mode !== 'flashing') {
      return { replies: [ack('system', req, 'fail', `invalid led mode: ${mode}`)], changed: false };
    }
    if (this.#lights.get(node) !== mode) {
      this.#lights.set(node, mode);
      this.#dirty.lights = true;
    }
    return { replies: [ack('system', req, 'success', 'success')], changed: true };
  }

  #version(req: Json): string {
    const p = this.profile;
    const sn = this.serial;
    const units = this.#units;
    let module: Json[];
    if (this.#schema === 'p1') {
      module = [
        // product_name appears on P1 firmware 01.08 (P1P capture), not on the A1 capture (01.05).
        {
          name: 'ota',
          project_name: p.projectName,
          sw_ver: p.firmware,
          hw_ver: 'OTA',
          sn,
          ...(p.amsLite ? {} : { product_name: p.productName }),
          flag: 3,
        },
        { name: 'esp32', project_name: p.projectName, sw_ver: '01.11.35.64', hw_ver: 'AP04', sn: `${sn}-AP`, flag: 0 },
        { name: 'mc', project_name: 'P1', sw_ver: '00.01.32.85', loader_ver: '00.00.00.23', hw_ver: 'MC07', sn: `${sn}-MC`, flag: 0 },
        { name: 'th', project_name: 'P1', sw_ver: '00.00.09.95', loader_ver: '00.00.00.14', hw_ver: 'TH09', sn: `${sn}-TH`, flag: 0 },
        ...units.map((u) => ({
          name: p.amsLite ? `ams_f1/${u.id}` : `ams/${u.id}`,
          project_name: '',
          sw_ver: p.amsLite ? '00.00.07.94' : '00.00.06.49',
          loader_ver: '00.00.00.00',
          ota_ver: '00.00.00.00',
          hw_ver: p.amsLite ? 'AMS_F102' : 'AMS08',
          sn: `${sn}-AMS${u.id}`,
          flag: 0,
        })),
      ];
      return JSON.stringify({
        info: { command: 'get_version', sequence_id: str(req['sequence_id'], '0'), module, result: 'success', reason: '' },
      });
    }
    module = [
      {
        flag: 3,
        hw_ver: 'N/A',
        loader_ver: '00.00.00.00',
        name: 'ota',
        product_name: p.productName,
        sn,
        sw_ver: p.firmware,
        visible: true,
      },
      ...units.map((u) => ({
        flag: 0,
        hw_ver: 'AMS08',
        loader_ver: '00.00.00.00',
        name: `ams/${u.id}`,
        product_name: `AMS (${u.id + 1})`,
        sn: `${sn}-AMS${u.id}`,
        sw_ver: '00.01.06.62',
        visible: true,
      })),
      {
        flag: 0,
        hw_ver: 'MC07',
        loader_ver: '00.00.00.28',
        name: 'mc',
        product_name: '',
        sn: `${sn}-MC`,
        sw_ver: '00.00.32.89',
        visible: false,
      },
      {
        flag: 0,
        hw_ver: 'TH09',
        loader_ver: '00.00.00.14',
        name: 'th',
        product_name: '',
        sn: `${sn}-TH`,
        sw_ver: '00.00.07.12',
        visible: false,
      },
      { flag: 0, hw_ver: 'AP05', loader_ver: '00.00.01.08', name: 'ap', product_name: '', sn, sw_ver: '00.00.50.76', visible: false },
    ];
    return JSON.stringify({
      info: { command: 'get_version', module, sequence_id: str(req['sequence_id'], '0'), result: 'success', reason: '' },
    });
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────

  #gcodeState(phase: PrintPhase): GcodeState {
    switch (phase) {
      case 'heating':
        return 'PREPARE';
      case 'printing':
        return 'RUNNING';
      case 'paused':
        return 'PAUSE';
      case 'complete':
        return 'FINISH';
      case 'cancelled':
      case 'error':
        return 'FAILED';
      default:
        return 'IDLE';
    }
  }

  /** The first loaded tray named by ams_mapping, else the first loaded tray, else the external spool. */
  #pickTray(mapping: readonly number[]): number {
    const loaded = (id: number): boolean => id >= 0 && id < 16 && Boolean(this.#units[Math.floor(id / 4)]?.trays[id % 4]);
    const wanted = mapping.find((id) => id >= 0);
    if (wanted !== undefined && loaded(wanted)) return wanted;
    for (let id = 0; id < this.#units.length * 4; id++) if (loaded(id)) return id;
    return EXTERNAL_SPOOL;
  }

  #refreshTrays(phase: PrintPhase, progress: number): void {
    const job = this.#job;
    const hasAms = this.#units.length > 0;
    let trayNow: number;
    if (job && phase !== 'idle' && phase !== 'complete') trayNow = job.tray;
    else trayNow = hasAms ? NO_TRAY : EXTERNAL_SPOOL;
    if (trayNow !== this.#trayNow) {
      this.#trayNow = trayNow;
      this.#dirty.ams = true;
    }
    if (!job || trayNow >= EXTERNAL_SPOOL) return;
    const tray = this.#units[Math.floor(trayNow / 4)]?.trays[trayNow % 4];
    if (!tray || tray.remain < 0) return;
    if (!this.#remainBase) this.#remainBase = { remain: tray.remain, progress };
    const used = Math.floor((progress - this.#remainBase.progress) * FILAMENT_USE_PERCENT);
    const remain = Math.max(0, this.#remainBase.remain - Math.max(0, used));
    if (remain !== tray.remain) {
      tray.remain = remain;
      this.#dirty.ams = true;
    }
  }

  #ipcam(): Json {
    if (this.#schema === 'p1') {
      return { ipcam_dev: '1', ipcam_record: 'disable', timelapse: 'disable', resolution: '', tutk_server: 'disable', mode_bits: 3 };
    }
    const host = this.#host === '0.0.0.0' || this.#host === '::' ? '127.0.0.1' : this.#host;
    return {
      ipcam_dev: '1',
      ipcam_record: 'enable',
      mode_bits: 2,
      resolution: '1080p',
      rtsp_url: this.#liveview ? `rtsps://${host.includes(':') ? `[${host}]` : host}:322/streaming/live/1` : 'disable',
      timelapse: 'disable',
      tutk_server: 'disable',
    };
  }

  #set(key: string, value: string | number | boolean): void {
    if (this.#keys.has(key)) this.fields.set(key, value);
  }

  /** Top-level keys in the order of the captures (P1S capture for the P1/A1 schema, X1C for X1/H2). */
  #fieldOrder(): string[] {
    const p = this.profile;
    if (this.#schema === 'p1') {
      return [
        'ipcam',
        'upload',
        'net',
        'nozzle_temper',
        'nozzle_target_temper',
        'bed_temper',
        'bed_target_temper',
        ...(p.chamber ? ['chamber_temper'] : []),
        'mc_print_stage',
        'heatbreak_fan_speed',
        'cooling_fan_speed',
        'big_fan1_speed',
        'big_fan2_speed',
        'mc_percent',
        'mc_remaining_time',
        'ams_status',
        'ams_rfid_status',
        'hw_switch_state',
        'spd_mag',
        'spd_lvl',
        'print_error',
        'lifecycle',
        'wifi_signal',
        'gcode_state',
        'gcode_file_prepare_percent',
        'queue_number',
        'queue_total',
        'queue_est',
        'queue_sts',
        'project_id',
        'profile_id',
        'task_id',
        'subtask_id',
        'subtask_name',
        'gcode_file',
        'stg',
        'stg_cur',
        'print_type',
        'home_flag',
        'mc_print_line_number',
        'mc_print_sub_stage',
        'sdcard',
        'force_upgrade',
        'mess_production_state',
        'layer_num',
        'total_layer_num',
        's_obj',
        'filam_bak',
        'fan_gear',
        'nozzle_diameter',
        'nozzle_type',
        'cali_version',
        'k',
        'flag3',
        'upgrade_state',
        'hms',
        'online',
        'ams',
        'vt_tray',
        'lights_report',
        ...(p.amsLite ? ['xcam'] : []),
      ];
    }
    return [
      'ams',
      'ams_rfid_status',
      'ams_status',
      'bed_target_temper',
      'bed_temper',
      'big_fan1_speed',
      'big_fan2_speed',
      'cali_version',
      ...(p.chamber ? ['chamber_temper'] : []),
      'cooling_fan_speed',
      ...(p.chamber ? ['ctt'] : []),
      'fail_reason',
      'fan_gear',
      'force_upgrade',
      'gcode_file',
      'gcode_file_prepare_percent',
      'gcode_state',
      'heatbreak_fan_speed',
      'hms',
      'home_flag',
      'hw_switch_state',
      'ipcam',
      'layer_num',
      'lights_report',
      'mc_percent',
      'mc_print_error_code',
      'mc_print_stage',
      'mc_print_sub_stage',
      'mc_remaining_time',
      'net',
      'nozzle_diameter',
      'nozzle_target_temper',
      'nozzle_temper',
      'nozzle_type',
      'online',
      'print_error',
      'print_type',
      'profile_id',
      'project_id',
      'queue_est',
      'queue_number',
      'queue_sts',
      'queue_total',
      's_obj',
      'sdcard',
      'spd_lvl',
      'spd_mag',
      'stg',
      'stg_cur',
      'subtask_id',
      'subtask_name',
      'task_id',
      'total_layer_num',
      'upgrade_state',
      'upload',
      'vt_tray',
      ...(p.model === 'H2D' ? ['vir_slot'] : []),
      'wifi_signal',
      'xcam',
      'xcam_status',
    ];
  }

  /** Fields that never change, by schema. */
  #statics(): Json {
    const p = this.profile;
    const x1 = this.#schema === 'x1';
    const ip = ipv4LittleEndian(this.#host);
    return {
      upload: x1
        ? {
            file_size: 0,
            finish_size: 0,
            message: 'Good',
            oss_url: '',
            progress: 0,
            sequence_id: '0903',
            speed: 0,
            status: 'idle',
            task_id: '',
            time_remaining: 0,
            trouble_id: '',
          }
        : { status: 'idle', progress: 0, message: '' },
      net: x1
        ? {
            conf: 16,
            info: [
              { ip, mask: 16777215 },
              { ip: 0, mask: 0 },
            ],
          }
        : { conf: 0, info: [{ ip, mask: 16777215 }] },
      ams_rfid_status: 0,
      hw_switch_state: 0,
      lifecycle: 'product',
      wifi_signal: '-45dBm',
      queue_number: 0,
      queue_total: 0,
      queue_est: 0,
      queue_sts: 0,
      home_flag: p.homeFlag,
      mc_print_line_number: '0',
      mc_print_sub_stage: 0,
      sdcard: true,
      force_upgrade: false,
      mess_production_state: 'active',
      s_obj: [],
      filam_bak: [],
      fan_gear: 0,
      nozzle_diameter: '0.4',
      nozzle_type: p.nozzleType,
      cali_version: 0,
      k: '0.0200',
      flag3: 15,
      fail_reason: '0',
      xcam_status: '0',
      upgrade_state: x1
        ? {
            ahb_new_version_number: '',
            ams_new_version_number: '',
            consistency_request: false,
            dis_state: 0,
            err_code: 0,
            ext_new_version_number: '',
            force_upgrade: false,
            idx: 4,
            idx2: 0,
            lower_limit: '00.00.00.00',
            message: '',
            module: '',
            new_version_state: 2,
            ota_new_version_number: '',
            progress: '0',
            sequence_id: 0,
            sn: this.serial,
            status: 'IDLE',
          }
        : {
            sequence_id: 0,
            progress: '',
            status: 'IDLE',
            consistency_request: false,
            dis_state: 0,
            err_code: 0,
            force_upgrade: false,
            message: '0%, 0B/s',
            module: '',
            new_version_state: 2,
            cur_state_code: 0,
            idx2: 0,
            new_ver_list: [],
          },
      online: x1 ? { ahb: false, ext: false, version: 10 } : { ahb: false, rfid: false, version: 408456019 },
      xcam: x1
        ? {
            allow_skip_parts: false,
            buildplate_marker_detector: true,
            first_layer_inspector: true,
            halt_print_sensitivity: 'medium',
            print_halt: true,
            printing_monitor: true,
            spaghetti_detector: true,
          }
        : { buildplate_marker_detector: true },
    };
  }

  #init(): void {
    const statics = this.#statics();
    for (const key of this.#keys) {
      const value = statics[key];
      if (value !== null && typeof value === 'object') this.fields.setObject(key, value);
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') this.fields.set(key, value);
      else this.fields.set(key, null); // placeholder, filled by refresh() in this order
    }
    this.refresh();
    this.fields.clearChanges();
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The printer's answer to a command: the request echoed with `result` and `reason`. */
function ack(section: string, req: Json, result: 'success' | 'fail', reason: string): string {
  return JSON.stringify({ [section]: { ...req, sequence_id: str(req['sequence_id'], '0'), result, reason } });
}
