import { clampPercent, offlineState, type PrinterState, type PrinterStatus, roundTemp } from '../../state.js';
import { CHAMBER_OBJECTS, isRecord, type JsonRecord, type KlippyState, type ObjectCache } from './messages.js';

/** Within this many °C of its target a heater counts as heated (Klipper's own settle delta is 1 °C). */
const HEATED_TOLERANCE = 2;

const PRINT_STATUS: Readonly<Record<string, PrinterStatus>> = {
  standby: 'idle',
  printing: 'printing',
  paused: 'paused',
  complete: 'finished',
  cancelled: 'cancelled',
  error: 'error',
};

/**
 * The normalised state of a Klipper printer from Klippy's state and the cached printer objects
 * (protocols.md §5). Pure; called after every merged diff.
 *
 * While Moonraker is reachable but Klippy is not there (disconnected, or still starting), the
 * printer is `offline` with `online: true`: the session with the host is up — no reconnect is
 * needed — but the printer itself cannot be used, and `stage` says why.
 */
export function normalise(klippy: KlippyState, objects: ObjectCache): PrinterState {
  const state = offlineState();
  state.online = true;
  if (klippy === 'disconnected') {
    state.stage = 'Klipper disconnected';
    return state;
  }

  const webhooks = objects['webhooks'] ?? {};
  const printStats = objects['print_stats'] ?? {};
  const sdcard = objects['virtual_sdcard'] ?? {};
  const extruder = objects['extruder'] ?? {};
  const bed = objects['heater_bed'] ?? {};

  state.nozzle_temp = roundTemp(extruder['temperature']);
  state.nozzle_target_temp = roundTemp(extruder['target']);
  state.bed_temp = roundTemp(bed['temperature']);
  state.bed_target_temp = roundTemp(bed['target']);
  state.chamber_temp = roundTemp(chamberOf(objects)?.['temperature']);
  const fan = num(objects['fan']?.['speed']);
  state.fan_speed = fan === null ? null : clampPercent(fan * 100);
  const speedFactor = num(objects['gcode_move']?.['speed_factor']);
  state.speed_factor = speedFactor === null ? null : Math.round(speedFactor * 1000) / 10;

  const printState = str(printStats['state']);
  const status: PrinterStatus = (printState !== null ? PRINT_STATUS[printState] : undefined) ?? 'idle';
  const progress = num(sdcard['progress']);
  state.status = status;

  if (status !== 'idle') {
    const info = isRecord(printStats['info']) ? printStats['info'] : {};
    const printDuration = num(printStats['print_duration']);
    const elapsed = num(printStats['total_duration']);
    state.file_name = str(printStats['filename']) || null;
    state.progress = progress === null ? null : clampPercent(progress * 100);
    state.elapsed_seconds = elapsed === null ? null : Math.round(elapsed);
    state.remaining_seconds =
      (status === 'printing' || status === 'paused' || status === 'finished') && progress !== null && progress > 0 && printDuration !== null
        ? Math.max(0, Math.round(printDuration / Math.min(1, progress) - printDuration))
        : null;
    state.current_layer = num(info['current_layer']);
    state.total_layers = num(info['total_layer']);
  }

  if (status === 'printing' && (progress ?? 0) === 0 && (heating(extruder) || heating(bed))) {
    state.status = 'preparing';
    state.stage = 'heating';
  }
  if (status === 'error') state.error_message = str(printStats['message']) || 'The print failed';

  // Klippy itself being down outranks whatever print_stats last said.
  const webhooksState = str(webhooks['state']) ?? (klippy === 'ready' ? null : klippy);
  if (webhooksState === 'shutdown' || webhooksState === 'error') {
    state.status = 'error';
    state.stage = webhooksState === 'shutdown' ? 'Klipper shutdown' : 'Klipper error';
    state.error_message =
      str(webhooks['state_message'])?.trim() || (webhooksState === 'shutdown' ? 'Klipper is shut down' : 'Klipper reported an error');
  } else if (webhooksState === 'startup') {
    state.status = 'offline';
    state.stage = 'Klipper starting';
  }
  return state;
}

function chamberOf(objects: ObjectCache): JsonRecord | undefined {
  for (const name of CHAMBER_OBJECTS) {
    const chamber = objects[name];
    if (chamber !== undefined) return chamber;
  }
  return undefined;
}

function heating(heater: JsonRecord): boolean {
  const target = num(heater['target']);
  const temperature = num(heater['temperature']);
  return target !== null && target > 0 && temperature !== null && temperature < target - HEATED_TOLERANCE;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
