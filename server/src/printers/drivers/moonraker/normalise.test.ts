import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { offlineState } from '../../state.js';
import { isRecord, type JsonRecord, mergeStatus, type ObjectCache, parseRpcFrame, subscriptionObjects } from './messages.js';
import { normalise } from './normalise.js';

const FIXTURES = new URL('../../../../../simulators/fixtures/moonraker/', import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

/** The documented example objects (webhooks, print_stats, extruder…), as a subscription would start. */
function referenceObjects(): ObjectCache {
  const reference = fixture('printer_objects_reference.json');
  if (!isRecord(reference)) throw new Error('bad fixture');
  const cache: ObjectCache = {};
  const status: JsonRecord = {};
  for (const name of Object.keys(subscriptionObjects(null))) status[name] = reference[name];
  mergeStatus(cache, status);
  return cache;
}

function printing(overrides: JsonRecord = {}): ObjectCache {
  const cache = referenceObjects();
  mergeStatus(cache, {
    webhooks: { state: 'ready', state_message: 'Printer is ready' },
    print_stats: {
      state: 'printing',
      filename: 'benchy.gcode',
      total_duration: 130,
      print_duration: 100,
      info: { total_layer: 50, current_layer: 10 },
    },
    virtual_sdcard: { progress: 0.25, is_active: true },
    extruder: { temperature: 215.04, target: 215 },
    heater_bed: { temperature: 59.96, target: 60 },
    fan: { speed: 0.5 },
    gcode_move: { speed_factor: 1.5 },
    ...overrides,
  });
  return cache;
}

describe('mergeStatus', () => {
  it('deep-merges diffs: nested objects field by field, arrays and values replaced', () => {
    const cache: ObjectCache = {};
    mergeStatus(cache, {
      print_stats: { state: 'printing', info: { total_layer: 10, current_layer: 1 } },
      toolhead: { position: [0, 0, 0, 0] },
    });
    mergeStatus(cache, { print_stats: { info: { current_layer: 2 } }, toolhead: { position: [1, 2, 3, 4] } });
    expect(cache).toEqual({
      print_stats: { state: 'printing', info: { total_layer: 10, current_layer: 2 } },
      toolhead: { position: [1, 2, 3, 4] },
    });
  });

  it('merges the documented notify_status_update example into the documented objects', () => {
    const frame = parseRpcFrame(fixture('notify_status_update.json'));
    expect(frame?.kind).toBe('notification');
    const diff = frame?.kind === 'notification' ? frame.params[0] : null;
    expect(isRecord(diff)).toBe(true);
    const cache = referenceObjects();
    expect(mergeStatus(cache, diff as JsonRecord)).toEqual([]);
    expect(cache['gcode_move']).toMatchObject({ speed_factor: 1, speed: 1500 });
    expect(cache['toolhead']).toEqual({ status: 'Ready' });
  });

  it('refuses fields of the wrong type and objects that are not objects, keeping the rest', () => {
    const cache = printing();
    const rejected = mergeStatus(cache, {
      print_stats: { state: 42, info: { current_layer: 'x' }, filename: 'kept.gcode' },
      extruder: { temperature: 'hot', target: null },
      virtual_sdcard: 'garbage',
      fan: { speed: Number.NaN },
    });
    expect(rejected.sort()).toEqual([
      'extruder.target',
      'extruder.temperature',
      'fan.speed',
      'print_stats.info.current_layer',
      'print_stats.state',
      'virtual_sdcard',
    ]);
    expect(cache['print_stats']).toMatchObject({ state: 'printing', filename: 'kept.gcode', info: { current_layer: 10 } });
    expect(cache['extruder']).toMatchObject({ temperature: 215.04, target: 215 });
  });
});

describe('normalise', () => {
  it('maps a printing Klipper to the normalised state', () => {
    expect(normalise('ready', printing())).toEqual({
      ...offlineState(),
      status: 'printing',
      online: true,
      nozzle_temp: 215,
      nozzle_target_temp: 215,
      bed_temp: 60,
      bed_target_temp: 60,
      progress: 25,
      elapsed_seconds: 130,
      remaining_seconds: 300,
      current_layer: 10,
      total_layers: 50,
      file_name: 'benchy.gcode',
      fan_speed: 50,
      speed_factor: 150,
    });
  });

  it.each([
    ['standby', 'idle'],
    ['printing', 'printing'],
    ['paused', 'paused'],
    ['complete', 'finished'],
    ['cancelled', 'cancelled'],
    ['error', 'error'],
    ['something new', 'idle'],
  ])('print_stats.state %s → %s', (state, status) => {
    expect(normalise('ready', printing({ print_stats: { state } })).status).toBe(status);
  });

  it('is preparing while progress is 0 and a heater is still heating, printing once heated', () => {
    const heating = printing({ virtual_sdcard: { progress: 0 }, extruder: { temperature: 150, target: 215 } });
    expect(normalise('ready', heating)).toMatchObject({ status: 'preparing', stage: 'heating', remaining_seconds: null });
    const bedHeating = printing({ virtual_sdcard: { progress: 0 }, heater_bed: { temperature: 30, target: 60 } });
    expect(normalise('ready', bedHeating).status).toBe('preparing');
    const heated = printing({ virtual_sdcard: { progress: 0 } });
    expect(normalise('ready', heated)).toMatchObject({ status: 'printing', stage: null });
    const underway = printing({ extruder: { temperature: 150, target: 215 } });
    expect(normalise('ready', underway).status).toBe('printing');
  });

  it('leaves job fields empty when idle', () => {
    expect(normalise('ready', printing({ print_stats: { state: 'standby', filename: '' } }))).toMatchObject({
      status: 'idle',
      progress: null,
      elapsed_seconds: null,
      remaining_seconds: null,
      file_name: null,
      current_layer: null,
    });
  });

  it('a print error carries print_stats.message', () => {
    expect(normalise('ready', printing({ print_stats: { state: 'error', message: 'Move out of range' } }))).toMatchObject({
      status: 'error',
      error_message: 'Move out of range',
      remaining_seconds: null,
    });
  });

  it('Klipper shutdown outranks print_stats', () => {
    const cache = printing({ webhooks: { state: 'shutdown', state_message: 'Lost communication with MCU\n' } });
    expect(normalise('shutdown', cache)).toMatchObject({
      status: 'error',
      stage: 'Klipper shutdown',
      error_message: 'Lost communication with MCU',
      online: true,
    });
    expect(normalise('error', printing({ webhooks: { state: 'error', state_message: '' } }))).toMatchObject({
      status: 'error',
      stage: 'Klipper error',
      error_message: 'Klipper reported an error',
    });
  });

  it('Klippy disconnected or starting: offline, but the session is up', () => {
    expect(normalise('disconnected', printing())).toMatchObject({
      status: 'offline',
      online: true,
      stage: 'Klipper disconnected',
      nozzle_temp: null,
    });
    // The documented webhooks example is in "startup".
    expect(normalise('startup', referenceObjects())).toMatchObject({ status: 'offline', online: true, stage: 'Klipper starting' });
  });

  it('reads a chamber sensor when there is one', () => {
    const cache = printing({ 'temperature_sensor chamber': { temperature: 41.26 } });
    expect(normalise('ready', cache).chamber_temp).toBe(41.3);
    expect(subscriptionObjects('temperature_sensor chamber')['temperature_sensor chamber']).toEqual(['temperature']);
  });
});
