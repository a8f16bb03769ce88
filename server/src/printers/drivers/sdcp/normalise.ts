import { clampPercent, offlineState, type PrinterState, type PrinterStatus, roundTemp } from '../../state.js';
import { finite, isRecord, type JsonRecord } from './messages.js';

/** `CurrentStatus` machine states (protocols.md §4.2; 5–12 are the Elegoo FDM extension). */
const MACHINE_PRINTING = 1;
const MACHINE_TRANSFERRING = 2;
const MACHINE_STOPPING = 7;
const MACHINE_STOPPED = 8;

/** Machine states that are busy without a print (calibration, maintenance), in words. */
const MACHINE_STAGES: Readonly<Record<number, string>> = {
  3: 'exposure test',
  4: 'self-test',
  5: 'auto-levelling',
  6: 'input shaping',
  9: 'homing',
  10: 'loading or unloading filament',
  11: 'PID tuning',
  12: 'power-loss recovery',
};

/**
 * `PrintInfo.Status` while a job runs: the Centauri Carbon table (elegoo-link via
 * elegoo-homeassistant, protocols.md §4.2) over the resin spec's 0–10. Unknown codes count as
 * printing and stay visible in `stage`.
 */
const SUB_STATES: Readonly<Record<number, { status: PrinterStatus; stage: string | null }>> = {
  0: { status: 'preparing', stage: 'starting' },
  1: { status: 'preparing', stage: 'homing' },
  2: { status: 'printing', stage: 'dropping' },
  3: { status: 'printing', stage: 'exposing' },
  4: { status: 'printing', stage: 'lifting' },
  5: { status: 'paused', stage: 'pausing' },
  6: { status: 'paused', stage: null },
  7: { status: 'cancelled', stage: 'stopping' },
  8: { status: 'cancelled', stage: null },
  9: { status: 'finished', stage: null },
  10: { status: 'preparing', stage: 'checking the file' },
  11: { status: 'preparing', stage: 'checking the printer' },
  12: { status: 'printing', stage: 'resuming' },
  13: { status: 'printing', stage: null },
  14: { status: 'error', stage: null },
  15: { status: 'preparing', stage: 'auto-levelling' },
  16: { status: 'preparing', stage: 'preheating' },
  17: { status: 'preparing', stage: 'resonance testing' },
  18: { status: 'preparing', stage: 'starting' },
  19: { status: 'preparing', stage: 'auto-levelling done' },
  20: { status: 'preparing', stage: 'preheated' },
  21: { status: 'preparing', stage: 'homed' },
  22: { status: 'preparing', stage: 'resonance test done' },
  23: { status: 'printing', stage: 'feeding filament' },
  24: { status: 'printing', stage: 'unloading filament' },
  25: { status: 'paused', stage: 'filament unload failed' },
  26: { status: 'paused', stage: 'filament unload paused' },
};

/** Sub-states that end a job; the printer keeps showing them after it went back to idle. */
const END_STATES: Readonly<Record<number, PrinterStatus>> = { 7: 'cancelled', 8: 'cancelled', 9: 'finished', 14: 'error' };

/** `PrintInfo.ErrorNumber` (protocols.md §4.2). */
const ERROR_NUMBERS: Readonly<Record<number, string>> = {
  1: 'The file failed its MD5 check',
  2: 'The printer could not read the file',
  3: 'The file does not match the printer’s resolution',
  4: 'The printer does not recognise the file format',
  5: 'The file was sliced for a different printer model',
};

/** `ErrorStatusReason` codes the sources name (spec list 0–34; only these are known in words). */
const ERROR_REASONS: Readonly<Record<number, string>> = {
  1: 'Over-temperature',
  7: 'Auto-levelling failed',
  12: 'The USB drive was removed',
  13: 'Homing the X axis failed',
  14: 'Homing the Z axis failed',
  19: 'The print stopped with an exception',
};

/** The job fields of the last active status, for a stop that cleared them on the printer. */
export interface JobSnapshot {
  file_name: string | null;
  job_id: string | null;
  progress: number | null;
  elapsed_seconds: number | null;
  current_layer: number | null;
  total_layers: number | null;
}

export interface NormaliseContext {
  /**
   * This session saw the job running (`CurrentStatus` 1). The sub-state keeps its last value long
   * after a job, so an end state (9 complete, 8 stopped, 14 error) at idle only counts as the end
   * of a job when it was seen running — or when the printer still names the job's file.
   */
  jobSeen: boolean;
  /** CurrentTicks/TotalTicks in ms (resin spec) rather than seconds (Centauri Carbon). */
  ticksInMs: boolean;
  lastJob: JobSnapshot | null;
}

/** `CurrentStatus` as a list of machine states (empty when unknown). */
export function machineStates(status: JsonRecord): number[] {
  const current = status['CurrentStatus'];
  return Array.isArray(current) ? current.filter(finite) : [];
}

/** Whether a job runs now, from the machine state (never from the sticky sub-state). */
export function jobRunning(status: JsonRecord): boolean {
  const machine = machineStates(status);
  return machine.includes(MACHINE_PRINTING) || machine.includes(MACHINE_STOPPING);
}

/** Machine states that are neither idle, printing nor a transfer: calibration and the like end the latch. */
export function otherActivity(status: JsonRecord): boolean {
  return machineStates(status).some((m) => MACHINE_STAGES[m] !== undefined);
}

/**
 * The normalised state of an SDCP printer from the merged status cache (protocols.md §5). Pure;
 * called after every merged status message.
 */
export function normalise(status: JsonRecord, context: NormaliseContext): PrinterState {
  const state = offlineState();
  state.online = true;
  const info = isRecord(status['PrintInfo']) ? status['PrintInfo'] : {};
  const fans = isRecord(status['CurrentFanSpeed']) ? status['CurrentFanSpeed'] : {};
  const light = isRecord(status['LightStatus']) ? status['LightStatus'] : {};

  state.nozzle_temp = roundTemp(status['TempOfNozzle']);
  state.nozzle_target_temp = roundTemp(status['TempTargetNozzle']);
  state.bed_temp = roundTemp(status['TempOfHotbed']);
  state.bed_target_temp = roundTemp(status['TempTargetHotbed']);
  state.chamber_temp = roundTemp(status['TempOfBox']);
  state.fan_speed = clampPercent(fans['ModelFan']);
  state.speed_factor = finite(info['PrintSpeedPct']) ? Math.round(info['PrintSpeedPct']) : null;
  const second = light['SecondLight'];
  state.lights_on = typeof second === 'boolean' ? second : finite(second) ? second !== 0 : null;

  const machine = machineStates(status);
  const sub = finite(info['Status']) ? info['Status'] : null;
  const errorNumber = finite(info['ErrorNumber']) ? info['ErrorNumber'] : 0;
  const reason = finite(info['ErrorStatusReason']) ? info['ErrorStatusReason'] : 0;
  const fileName = printerFileName(info['Filename']);
  const taskId = typeof info['TaskId'] === 'string' && info['TaskId'] !== '' ? info['TaskId'] : null;
  const transferring = machine.includes(MACHINE_TRANSFERRING);

  let derived: PrinterStatus = 'idle';
  let stage: string | null = null;
  let withJob = false;
  if (machine.includes(MACHINE_PRINTING) || machine.includes(MACHINE_STOPPING)) {
    const known = sub === null ? undefined : SUB_STATES[sub];
    if (machine.includes(MACHINE_STOPPING) && !machine.includes(MACHINE_PRINTING)) {
      derived = 'cancelled';
      stage = 'stopping';
    } else if (known) {
      derived = known.status;
      stage = known.stage;
    } else {
      derived = 'printing';
      stage = sub === null ? null : `printer state ${sub}`;
    }
    withJob = true;
  } else {
    const end = machine.includes(MACHINE_STOPPED) ? 'cancelled' : sub === null ? undefined : END_STATES[sub];
    const failed = errorNumber !== 0 || reason !== 0;
    const endStatus = failed && end !== 'cancelled' ? 'error' : end;
    if (endStatus && (context.jobSeen || fileName !== null || taskId !== null)) {
      derived = endStatus;
      withJob = true;
    } else {
      const activity = machine.map((m) => MACHINE_STAGES[m]).find((s) => s !== undefined);
      stage = activity ?? null;
    }
  }
  if (errorNumber !== 0 && withJob) derived = 'error';
  if (transferring) stage = stage ?? 'receiving file';
  state.status = derived;
  state.stage = stage;

  if (withJob) {
    const scale = context.ticksInMs ? 1000 : 1;
    const current = finite(info['CurrentTicks']) ? info['CurrentTicks'] / scale : null;
    const total = finite(info['TotalTicks']) ? info['TotalTicks'] / scale : null;
    const progress = finite(info['Progress'])
      ? info['Progress']
      : current !== null && total !== null && total > 0
        ? (current / total) * 100
        : null;
    state.file_name = fileName;
    state.job_id = taskId;
    state.progress = clampPercent(progress);
    state.elapsed_seconds = current === null ? null : Math.round(current);
    state.current_layer = finite(info['CurrentLayer']) ? Math.round(info['CurrentLayer']) : null;
    state.total_layers = finite(info['TotalLayer']) ? Math.round(info['TotalLayer']) : null;
    const running = derived === 'preparing' || derived === 'printing' || derived === 'paused';
    state.remaining_seconds =
      derived === 'finished'
        ? 0
        : running && current !== null && total !== null && total > 0
          ? Math.max(0, Math.round(total - current))
          : null;
    // A stop clears the job fields on the Centauri Carbon; the last ones seen still describe the job.
    const last = context.lastJob;
    if (!running && fileName === null && taskId === null && last) {
      state.file_name = last.file_name;
      state.job_id = last.job_id;
      state.progress = last.progress;
      state.elapsed_seconds = last.elapsed_seconds;
      state.current_layer = last.current_layer;
      state.total_layers = last.total_layers;
    }
  }

  if (state.status === 'error') {
    state.error_code = errorNumber !== 0 ? `ErrorNumber ${errorNumber}` : reason !== 0 ? `ErrorStatusReason ${reason}` : null;
    state.error_message =
      (errorNumber !== 0 ? (ERROR_NUMBERS[errorNumber] ?? `The printer stopped the print with error ${errorNumber}`) : null) ??
      (reason !== 0 ? (ERROR_REASONS[reason] ?? `The printer stopped the print (reason ${reason})`) : null) ??
      'The printer stopped the print with an error';
  }
  return state;
}

/** The job fields of a normalised state, kept while the job runs. */
export function jobSnapshot(state: PrinterState): JobSnapshot {
  return {
    file_name: state.file_name,
    job_id: state.job_id,
    progress: state.progress,
    elapsed_seconds: state.elapsed_seconds,
    current_layer: state.current_layer,
    total_layers: state.total_layers,
  };
}

/** `/local/x.gcode` → `x.gcode` (the name startFile takes); other storages keep their path; "" → null. */
export function printerFileName(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return value.startsWith('/local/') ? value.slice('/local/'.length) || null : value;
}
