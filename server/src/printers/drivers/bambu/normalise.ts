/**
 * The cached Bambu `print` report → the normalised PrinterState (protocols.md §1.2 and §5).
 * Pure: the session passes the cancel latch, the model and the clock.
 */
import {
  type AmsTray,
  type AmsUnit,
  clampPercent,
  type HmsError,
  offlineState,
  type PrinterState,
  type PrinterStatus,
  roundTemp,
} from '../../state.js';
import { CANCELLED_PRINT_ERROR, describeHmsEntry, describePrintError, printErrorCode } from './hms-codes.js';
import { type BambuVersion, hasChamberSensor, idText, int, isRecord, type Json, num, str } from './messages.js';

export interface NormaliseContext {
  /** A cancel was seen (FAILED + print_error 0x0300400C) and the printer is still FAILED. */
  cancelLatched: boolean;
  version: BambuVersion | null;
  /** Wall clock (ms), for the elapsed time of prints that report their start. */
  now: number;
  /**
   * The AMS, external spool and HMS list of the last state, when no report since then touched
   * their fields (`ams`, `vt_tray`, `vir_slot`, `hms`): reused as they are instead of rebuilt.
   * A P1/A1 delta carries them rarely, and rebuilding and deep-comparing them for every report of
   * every printer was a good part of a Bambu fleet's CPU.
   */
  unchanged?: Pick<PrinterState, 'ams' | 'external_tray' | 'hms_errors'> | null;
}

/** The report fields the AMS, external spool and HMS list are built from. */
export const STRUCTURED_FIELDS: readonly string[] = ['ams', 'vt_tray', 'vir_slot', 'hms'];

const GCODE_STATES: Readonly<Record<string, PrinterStatus>> = {
  IDLE: 'idle',
  PREPARE: 'preparing',
  SLICING: 'preparing',
  INIT: 'preparing',
  RUNNING: 'printing',
  PAUSE: 'paused',
  FINISH: 'finished',
  FAILED: 'error',
};

/** `stg_cur` (the printer's current stage) in words. -1 (X1) and 255 (P1) mean none. */
export const STAGES: Readonly<Record<number, string>> = {
  0: 'printing',
  1: 'auto bed levelling',
  2: 'heating bed',
  3: 'vibration compensation',
  4: 'changing filament',
  5: 'paused (M400)',
  6: 'paused: filament runout',
  7: 'heating nozzle',
  8: 'calibrating extrusion',
  9: 'scanning bed surface',
  10: 'inspecting first layer',
  11: 'identifying build plate',
  12: 'calibrating micro lidar',
  13: 'homing toolhead',
  14: 'cleaning nozzle',
  15: 'checking extruder temperature',
  16: 'paused by user',
  17: 'paused: front cover fell off',
  18: 'calibrating micro lidar',
  19: 'calibrating extrusion flow',
  20: 'paused: nozzle temperature malfunction',
  21: 'paused: heatbed temperature malfunction',
  22: 'unloading filament',
  23: 'paused: skipped step',
  24: 'loading filament',
  25: 'calibrating motor noise',
  26: 'paused: AMS offline',
  27: 'paused: heatbreak fan too slow',
  28: 'paused: chamber temperature control error',
  29: 'cooling chamber',
  30: 'paused by G-code',
  31: 'motor noise showoff',
  32: 'paused: nozzle covered with filament',
  33: 'paused: cutter error',
  34: 'paused: first layer error',
  35: 'paused: nozzle clog',
};

/** Stages that happen before the first layer: RUNNING in one of them, at layer 0, is still preparing. */
const PREPARATION_STAGES = new Set([1, 2, 3, 7, 8, 9, 11, 12, 13, 14, 15, 18, 19, 25, 29]);

const SPEED_LEVELS: Readonly<Record<number, string>> = { 1: 'silent', 2: 'standard', 3: 'sport', 4: 'ludicrous' };

const ZERO_HEX = /^0+$/;

/** The cancel latch after this report: set by FAILED + 0x0300400C, kept while FAILED lasts. */
export function nextCancelLatch(latched: boolean, report: Json): boolean {
  const state = str(report['gcode_state'])?.toUpperCase() ?? null;
  if (state === null) return latched;
  if (state !== 'FAILED') return false;
  const error = int(report['print_error']);
  if (error === CANCELLED_PRINT_ERROR) return true;
  if (error !== null && error !== 0) return false; // a real failure after all
  return latched;
}

export function normalise(report: Json, context: NormaliseContext): PrinterState {
  const state = offlineState();
  state.online = true;

  const gcodeState = str(report['gcode_state'])?.toUpperCase() ?? '';
  let status: PrinterStatus = GCODE_STATES[gcodeState] ?? 'idle';
  if (gcodeState === 'FAILED' && context.cancelLatched) status = 'cancelled';
  const stageId = int(report['stg_cur']);
  const layer = int(report['layer_num']) ?? int(nested(report, '3D', 'layer_num'));
  if (status === 'printing' && stageId !== null && PREPARATION_STAGES.has(stageId) && (layer ?? 0) === 0) status = 'preparing';
  state.status = status;

  // Temperatures: the flat fields, else the newest models' device.* (packed as target<<16 | current).
  const device = isRecord(report['device']) ? report['device'] : {};
  const extruder = activeExtruder(device);
  state.nozzle_temp = roundTemp(num(report['nozzle_temper']) ?? unpackCurrent(extruder?.['temp']));
  state.nozzle_target_temp = roundTemp(num(report['nozzle_target_temper']) ?? unpackTarget(extruder?.['temp']));
  const bedPacked = nested(device, 'bed', 'info', 'temp') ?? device['bed_temp'];
  state.bed_temp = roundTemp(num(report['bed_temper']) ?? unpackCurrent(bedPacked));
  state.bed_target_temp = roundTemp(num(report['bed_target_temper']) ?? unpackTarget(bedPacked));
  state.chamber_temp = hasChamberSensor(context.version)
    ? roundTemp(num(report['chamber_temper']) ?? unpackCurrent(nested(device, 'ctc', 'info', 'temp')))
    : null;

  const fanSteps = num(report['cooling_fan_speed']);
  state.fan_speed = fanSteps === null ? null : clampPercent(Math.round((fanSteps / 15) * 100));
  const speedFactor = num(report['spd_mag']);
  state.speed_factor = speedFactor === null || speedFactor <= 0 ? null : Math.round(speedFactor);
  const speedLevel = int(report['spd_lvl']);
  state.speed_level = speedLevel === null ? null : (SPEED_LEVELS[speedLevel] ?? null);
  state.lights_on = chamberLight(report['lights_report']);
  const nozzleType = str(report['nozzle_type'])?.trim();
  state.nozzle_type = nozzleType ? nozzleType : null;
  const diameter = num(report['nozzle_diameter']);
  state.nozzle_diameter = diameter !== null && diameter > 0 ? diameter : null;

  if (status !== 'idle') {
    state.progress = clampPercent(num(report['mc_percent']));
    const remaining = num(report['mc_remaining_time']);
    state.remaining_seconds = remaining === null || remaining < 0 ? null : Math.round(remaining * 60);
    state.current_layer = layer;
    state.total_layers = int(report['total_layer_num']) ?? int(nested(report, '3D', 'total_layer_num'));
    const subtask = str(report['subtask_name'])?.trim();
    const gcodeFile = str(report['gcode_file'])?.trim();
    state.file_name = subtask || gcodeFile || null;
    const taskId = idText(report['task_id']);
    state.job_id = taskId && taskId !== '0' ? taskId : null;
    const started = num(report['gcode_start_time']);
    if ((status === 'printing' || status === 'paused') && started !== null && started > 1_000_000_000) {
      state.elapsed_seconds = Math.max(0, Math.round(context.now / 1000 - started));
    }
    state.stage = stageId !== null ? stageText(stageId, status) : null;
  }

  const unchanged = context.unchanged ?? null;
  state.hms_errors = unchanged ? unchanged.hms_errors : hmsErrors(report['hms']);

  const printError = int(report['print_error']);
  if (printError !== null && printError !== 0) {
    state.error_code = printErrorCode(printError);
    state.error_message = describePrintError(printError).message;
  }
  if (status === 'error') {
    state.error_message ??= 'The print failed';
  } else if (status === 'idle' || status === 'finished') {
    // A fatal health error on a printer that is not printing leaves it unusable.
    const fatal = state.hms_errors.find((h) => h.severity === 'fatal');
    if (fatal) {
      state.status = 'error';
      state.error_message ??= fatal.message;
    }
  }

  state.ams = unchanged ? unchanged.ams : amsUnits(report['ams']);
  state.external_tray = unchanged ? unchanged.external_tray : externalTray(report);
  return state;
}

function stageText(stageId: number, status: PrinterStatus): string | null {
  if (stageId < 0 || stageId === 255) return null;
  if (stageId === 0 && status !== 'printing') return null;
  return STAGES[stageId] ?? `stage ${stageId}`;
}

function nested(root: unknown, ...path: string[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** device.extruder.info[] entry of the active extruder ((state >> 4) & 0xF on dual-nozzle models). */
function activeExtruder(device: Json): Json | null {
  const extruder = device['extruder'];
  if (!isRecord(extruder) || !Array.isArray(extruder['info'])) return null;
  const infos = extruder['info'].filter(isRecord);
  const state = int(extruder['state']);
  const active = state === null ? 0 : (state >> 4) & 0xf;
  return infos.find((e) => int(e['id']) === active) ?? infos[0] ?? null;
}

function unpackCurrent(value: unknown): number | null {
  const n = int(value);
  return n === null || n < 0 ? null : n & 0xffff;
}

function unpackTarget(value: unknown): number | null {
  const n = int(value);
  return n === null || n < 0 ? null : (n >>> 16) & 0xffff;
}

function chamberLight(value: unknown): boolean | null {
  if (!Array.isArray(value)) return null;
  for (const entry of value) {
    if (!isRecord(entry) || entry['node'] !== 'chamber_light') continue;
    const mode = str(entry['mode']);
    if (mode === 'on' || mode === 'flashing') return true;
    if (mode === 'off') return false;
  }
  return null;
}

function hmsErrors(value: unknown): HmsError[] {
  if (!Array.isArray(value)) return [];
  const out: HmsError[] = [];
  const seen = new Set<string>();
  for (const entry of value) {
    if (!isRecord(entry)) continue;
    const attr = int(entry['attr']);
    const code = int(entry['code']);
    if (attr === null || code === null || attr < 0 || code < 0 || attr > 0xffffffff || code > 0xffffffff) continue;
    const described = describeHmsEntry(attr, code);
    if (seen.has(described.code)) continue;
    seen.add(described.code);
    out.push({ code: described.code, severity: described.severity, message: described.message });
  }
  return out;
}

function amsUnits(value: unknown): AmsUnit[] | null {
  if (!isRecord(value) || !Array.isArray(value['ams'])) return null;
  const units: AmsUnit[] = [];
  for (const raw of value['ams']) {
    if (!isRecord(raw)) continue;
    const id = int(raw['id']);
    if (id === null || id < 0) continue;
    const humidityRaw = num(raw['humidity_raw']);
    const index = int(raw['humidity']);
    const temperature = num(raw['temp']);
    const trays: AmsTray[] = [];
    if (Array.isArray(raw['tray'])) {
      for (const tray of raw['tray']) {
        if (!isRecord(tray)) continue;
        const slot = int(tray['id']);
        if (slot === null || slot < 0) continue;
        // AMS HT units (ids 128+) have one slot and the printer numbers it by the unit id.
        trays.push(trayOf(tray, slot, id >= 128 ? id + slot : id * 4 + slot));
      }
      trays.sort((a, b) => a.slot - b.slot);
    }
    units.push({
      id,
      humidity: humidityRaw !== null && humidityRaw >= 0 && humidityRaw <= 100 ? humidityRaw : null,
      humidity_index: index !== null && index >= 1 && index <= 5 ? index : null,
      // P1/A1 firmware sends "0.0" for units it does not read the temperature of.
      temperature: temperature === null || temperature === 0 ? null : roundTemp(temperature),
      trays,
    });
  }
  return units.length > 0 ? units : null;
}

function trayOf(raw: Json, slot: number, trayId: number): AmsTray {
  const type = str(raw['tray_type'])?.trim() ?? '';
  const empty = type === '';
  const hex = (value: unknown): string | null => {
    const text = str(value)?.trim().toUpperCase() ?? '';
    return text === '' || ZERO_HEX.test(text) ? null : text;
  };
  let color: string | null = null;
  const colorText = str(raw['tray_color'])?.trim().replace(/^#/, '').toUpperCase() ?? '';
  if (/^[0-9A-F]{8}$/.test(colorText)) color = colorText;
  else if (/^[0-9A-F]{6}$/.test(colorText)) color = `${colorText}FF`;
  const remain = num(raw['remain']);
  const filament = str(raw['tray_info_idx'])?.trim();
  return {
    slot,
    tray_id: trayId,
    empty,
    type: empty ? null : type,
    color: empty ? null : color,
    remain: empty || remain === null || remain < 0 || remain > 100 ? null : remain,
    tag_uid: empty ? null : hex(raw['tag_uid']),
    tray_uuid: empty ? null : hex(raw['tray_uuid']),
    filament_id: empty || !filament ? null : filament,
  };
}

/**
 * The external spool: `vir_slot[]` on dual-nozzle/new firmware (ids 254/255; the first loaded
 * one, else 254), else `vt_tray`.
 */
function externalTray(report: Json): AmsTray | null {
  const candidates: Json[] = [];
  const virtual = report['vir_slot'];
  if (Array.isArray(virtual)) candidates.push(...virtual.filter(isRecord));
  if (candidates.length === 0 && isRecord(report['vt_tray'])) candidates.push(report['vt_tray']);
  if (candidates.length === 0) return null;
  const loaded = candidates.find((t) => (str(t['tray_type'])?.trim() ?? '') !== '');
  const chosen = loaded ?? candidates.find((t) => int(t['id']) === 254) ?? candidates[0];
  if (!chosen) return null;
  return trayOf(chosen, 0, int(chosen['id']) ?? 254);
}
