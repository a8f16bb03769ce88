/**
 * Merge and normalisation against the recorded captures, plus odd shapes. Helpers: the recorded Bambu captures in `<repo>/../shared/fixtures/bambu` (read from there,
 * never copied: the *.hab.json files come from a repository without a licence), and the merge a
 * session performs, without the network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import type { PrinterState } from '../../state.js';
import { type BambuVersion, isFullReport, isRecord, type Json, mergeReport, parsePayload, parseVersion } from './messages.js';
import { nextCancelLatch, normalise } from './normalise.js';

/** `<repo>/../shared/fixtures/bambu/` */
const SHARED_FIXTURES = fileURLToPath(new URL('../../../../../../shared/fixtures/bambu/', import.meta.url));
const HAVE_SHARED_FIXTURES = existsSync(SHARED_FIXTURES);
const SKIP_REASON = `skipped: the shared Bambu captures are not at ${SHARED_FIXTURES}`;

/** A fixture file, parsed afresh on every call (merging takes ownership of objects). */
function fixture(name: string): Json {
  const parsed: unknown = JSON.parse(readFileSync(`${SHARED_FIXTURES}${name}`, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${name} is not a JSON object`);
  return parsed;
}

/** A scenario of a fixture file as the `print` body (the files wrap it in {print} or not). */
function printBody(file: string, scenario?: string): Json {
  const root = fixture(file);
  const value = scenario === undefined ? root : root[scenario];
  if (!isRecord(value)) throw new Error(`${file}: no scenario ${String(scenario)}`);
  const body = value['print'];
  return isRecord(body) ? body : value;
}

/** The get_version answer of a fixture file. */
function versionOf(file: string, scenario = 'get_version'): BambuVersion | null {
  const value = fixture(file)[scenario];
  if (!isRecord(value)) return null;
  const info = isRecord(value['info']) ? value['info'] : value;
  return parseVersion(info);
}

/** Replays `print` bodies the way the session does: full reports replace, the rest merge. */
class ReportReplay {
  report: Json = {};
  latched = false;
  readonly rejected: string[] = [];

  constructor(readonly version: BambuVersion | null = null) {}

  apply(...bodies: Json[]): this {
    for (const body of bodies) {
      if (isFullReport(body)) this.report = {};
      this.rejected.push(...mergeReport(this.report, body));
      this.latched = nextCancelLatch(this.latched, this.report);
    }
    return this;
  }

  state(now = Date.now()): PrinterState {
    return normalise(this.report, { cancelLatched: this.latched, version: this.version, now });
  }
}

const NOW = Date.parse('2026-01-01T12:00:00Z');

const describeCaptures = HAVE_SHARED_FIXTURES ? describe : describe.skip;
const captures = (name: string): string => (HAVE_SHARED_FIXTURES ? name : `${name} (${SKIP_REASON})`);

describeCaptures(captures('recorded captures'), () => {
  it('X1C with several AMS units (and an AMS HT): trays, RRGGBBAA colours, an empty slot, the external spool', () => {
    const version = versionOf('x1c_pushall_finish_multi_ams.hab.json');
    expect(version).toMatchObject({ model: 'X1C', family: 'X1', productName: 'Bambu Lab X1-Carbon', firmware: '01.09.00.01' });
    const replay = new ReportReplay(version).apply(printBody('x1c_pushall_finish_multi_ams.hab.json', 'pushall'));
    expect(replay.rejected).toEqual([]);
    const state = replay.state(NOW);
    expect(state).toMatchObject({
      status: 'finished',
      online: true,
      progress: 100,
      remaining_seconds: 0,
      current_layer: 480,
      total_layers: 480,
      file_name: 'Garden Hose Healer: Male fitting',
      job_id: '702383065',
      nozzle_temp: 26,
      nozzle_target_temp: 0,
      bed_temp: 23,
      bed_target_temp: 0,
      // No chamber_temper on this X1C: device.ctc carries it.
      chamber_temp: 25,
      fan_speed: 0,
      speed_factor: 100,
      speed_level: 'standard',
      lights_on: true,
      nozzle_type: 'hardened_steel',
      nozzle_diameter: 0.4,
      error_code: null,
      error_message: null,
      hms_errors: [],
    });
    const ams = state.ams ?? [];
    expect(ams.map((u) => u.id)).toEqual([0, 1, 2, 128]);
    expect(ams[0]).toMatchObject({ id: 0, humidity: 8, humidity_index: 5, temperature: 26.2 });
    expect(ams[0]?.trays[0]).toEqual({
      slot: 0,
      tray_id: 0,
      empty: false,
      type: 'PLA',
      color: '000000FF',
      remain: 93,
      tag_uid: 'DE6CF07300000100',
      tray_uuid: '5F3D8925633343C29FB9A97FA9125971',
      filament_id: 'GFA01',
    });
    expect(ams[1]?.trays.map((t) => t.tray_id)).toEqual([4, 5, 6, 7]);
    expect(ams[1]?.trays[0]).toMatchObject({ type: 'ABS', color: 'D32941FF', remain: 21 });
    // {"id":"0","state":0}: an empty slot.
    expect(ams[2]?.trays[0]).toEqual({
      slot: 0,
      tray_id: 8,
      empty: true,
      type: null,
      color: null,
      remain: null,
      tag_uid: null,
      tray_uuid: null,
      filament_id: null,
    });
    expect(ams[2]).toMatchObject({ humidity: 9, humidity_index: 4, temperature: 65 });
    expect(ams[3]?.trays).toEqual([expect.objectContaining({ slot: 0, tray_id: 128, type: 'PA-CF', filament_id: 'GFN04' })]);
    // vt_tray and vir_slot both say "255, nothing loaded".
    expect(state.external_tray).toMatchObject({ tray_id: 255, empty: true, type: null, color: null, tag_uid: null });
  });

  it('P1P FAILED without a cancel code is an error; unknown remain (-1) and all-zero tag_uid/tray_uuid are null', () => {
    const version = versionOf('p1p_pushall_failed_with_get_version.hab.json');
    expect(version).toMatchObject({ model: 'P1P', family: 'P1', projectName: 'C11', firmware: '01.07.00.00' });
    const state = new ReportReplay(version).apply(printBody('p1p_pushall_failed_with_get_version.hab.json', 'push_all')).state(NOW);
    expect(state).toMatchObject({
      status: 'error',
      error_code: null,
      error_message: 'The print failed',
      current_layer: 1,
      total_layers: 70,
      remaining_seconds: 759 * 60,
      file_name: 'Fidget Collection',
      job_id: null,
      lights_on: false,
      // A P1P has no chamber sensor: its constant chamber_temper 5 is not shown.
      chamber_temp: null,
      nozzle_temp: 21.3,
      bed_temp: 19.8,
    });
    const unit = state.ams?.[0];
    expect(unit).toMatchObject({ id: 0, humidity: null, humidity_index: 3, temperature: null });
    expect(unit?.trays[0]).toEqual({
      slot: 0,
      tray_id: 0,
      empty: false,
      type: 'PLA',
      color: 'D357FEFF',
      remain: null,
      tag_uid: null,
      tray_uuid: null,
      filament_id: 'GFL96',
    });
    expect(state.external_tray).toMatchObject({
      tray_id: 254,
      empty: false,
      type: 'PLA',
      color: '161616FF',
      filament_id: 'P9816594',
      tag_uid: null,
    });
  });

  it('latches a cancel: FAILED + 0x0300400C is cancelled, and stays so when print_error goes back to 0', () => {
    const replay = new ReportReplay(versionOf('p1p_pushall_failed_with_get_version.hab.json'));
    const full = printBody('p1p_pushall_failed_with_get_version.hab.json', 'push_all');
    full['gcode_state'] = 'RUNNING';
    replay.apply(full);
    expect(replay.state(NOW).status).toBe('printing');
    replay.apply({ command: 'push_status', msg: 1, gcode_state: 'FAILED', print_error: 50348044 });
    expect(replay.state(NOW)).toMatchObject({ status: 'cancelled', error_code: '0300_400C', error_message: 'The print was cancelled' });
    replay.apply({ command: 'push_status', msg: 1, print_error: 0 });
    expect(replay.state(NOW)).toMatchObject({ status: 'cancelled', error_code: null, error_message: null });
    replay.apply({ command: 'push_status', msg: 1, wifi_signal: '-60dBm' });
    expect(replay.state(NOW).status).toBe('cancelled');
    replay.apply({ command: 'push_status', msg: 1, gcode_state: 'IDLE' });
    expect(replay.state(NOW).status).toBe('idle');
    // A later failure without the cancel code is an error again.
    replay.apply({ command: 'push_status', msg: 1, gcode_state: 'FAILED', print_error: 117473286 });
    expect(replay.state(NOW)).toMatchObject({ status: 'error', error_code: '0700_8006' });
    expect(replay.state(NOW).error_message).toContain('0700_8006');
  });

  it('A1 idle with an AMS Lite: job fields empty, humidity index only', () => {
    const version = versionOf('a1_pushall_idle_ams_lite.hab.json');
    expect(version).toMatchObject({ model: 'A1', family: 'A1' });
    const state = new ReportReplay(version).apply(printBody('a1_pushall_idle_ams_lite.hab.json', 'pushall')).state(NOW);
    expect(state).toMatchObject({
      status: 'idle',
      stage: null,
      progress: null,
      remaining_seconds: null,
      current_layer: null,
      file_name: null,
      job_id: null,
      lights_on: false,
      chamber_temp: null,
      nozzle_type: 'stainless_steel',
    });
    expect(state.ams).toHaveLength(1);
    expect(state.ams?.[0]).toMatchObject({ humidity: null, humidity_index: 5, temperature: null });
    expect(state.ams?.[0]?.trays.map((t) => [t.tray_id, t.color, t.remain, t.tag_uid, t.filament_id])).toEqual([
      [0, '76D9F4FF', 100, null, 'P8d19ba6'],
      [1, 'FFF144FF', 100, null, 'P3a4d8cf'],
      [2, 'FF80FFFF', 100, null, 'P8d19ba6'],
      [3, '0ACC38FF', 100, null, 'P3a4d8cf'],
    ]);
  });

  it('a running print with an HMS message: stage, progress, fan steps → %, decoded HMS', () => {
    const version = versionOf('misc_pushall_running_with_hms.hab.json');
    expect(version?.model).toBeNull();
    const state = new ReportReplay(version).apply(printBody('misc_pushall_running_with_hms.hab.json', 'pushall')).state(NOW);
    expect(state).toMatchObject({
      status: 'printing',
      stage: 'printing',
      progress: 22,
      remaining_seconds: 163 * 60,
      current_layer: 2,
      total_layers: 37,
      file_name: 'CyberBrick Gridfinity Organizer Box',
      job_id: '724977923',
      fan_speed: 100,
      nozzle_temp: 219,
      nozzle_target_temp: 220,
      chamber_temp: 36,
    });
    expect(state.hms_errors).toEqual([
      { code: '0C00_0300_0003_0007', severity: 'common', message: 'First layer inspection found possible defects in the first layer' },
    ]);
    // An AMS HT (unit 128) numbers its single tray by the unit id.
    expect(state.ams?.[0]?.trays[0]).toMatchObject({ tray_id: 128, color: 'F7D959FF', remain: 65 });
    expect(state.external_tray).toMatchObject({ tray_id: 254, empty: false, type: 'PLA', filament_id: 'GFL99' });
  });

  it('H2D: a full report without "msg", then partial deltas that must not wipe the rest', () => {
    const version = versionOf('h2d_pushall_running_plus_partial_deltas.hab.json');
    expect(version).toMatchObject({ model: 'H2D', family: 'H2' });
    const file = 'h2d_pushall_running_plus_partial_deltas.hab.json';
    const replay = new ReportReplay(version).apply(printBody(file, 'push_all'));
    const before = replay.state(NOW);
    expect(before).toMatchObject({
      // RUNNING, but still cleaning the nozzle before layer 1.
      status: 'preparing',
      stage: 'cleaning nozzle',
      chamber_temp: 49,
      bed_temp: 100,
      bed_target_temp: 100,
      lights_on: true,
      total_layers: 26,
      job_id: '690732215',
    });
    expect(before.ams?.map((u) => [u.id, u.humidity, u.humidity_index])).toEqual([
      [0, 24, 4],
      [128, 6, null],
    ]);
    // vir_slot 254/255 both empty: the external tray is 254, empty.
    expect(before.external_tray).toMatchObject({ tray_id: 254, empty: true });

    for (const scenario of ['push_door_opened', 'push_old_door_opened', 'push_left_extruder', 'push_alt_nozzle_info']) {
      replay.apply(printBody(file, scenario));
    }
    expect(replay.rejected).toEqual([]);
    expect(replay.state(NOW)).toEqual(before);
    const device = replay.report['device'];
    expect(device).toMatchObject({ extruder: { state: 274, info: expect.any(Array) as unknown[] }, bed: { state: 2 } });
  });

  it('newest firmware: temperatures from device.* (target<<16 | current) when the flat fields are missing', () => {
    const file = 'x2d_pushall_running_with_hms_ts.hab.json';
    const version = versionOf(file);
    expect(version).toMatchObject({ model: 'X2D', family: 'X2' });
    const body = printBody(file, 'pushall');
    for (const key of ['nozzle_temper', 'nozzle_target_temper', 'bed_temper', 'bed_target_temper', 'chamber_temper']) delete body[key];
    const state = new ReportReplay(version).apply(body).state(NOW);
    // extruder.state 33042 → active extruder 1, temp 16384250 = 250 << 16 | 250.
    expect(state).toMatchObject({ nozzle_temp: 250, nozzle_target_temp: 250, bed_temp: 70, bed_target_temp: 70, chamber_temp: 38 });
  });

  it('X2D HMS with ts_boot/ts_unix: an unknown code gets its module and the wiki link', () => {
    const file = 'x2d_pushall_running_with_hms_ts.hab.json';
    const state = new ReportReplay(versionOf(file)).apply(printBody(file, 'pushall')).state(NOW);
    expect(state.status).toBe('printing');
    expect(state.progress).toBe(98);
    expect(state.hms_errors).toEqual([
      {
        code: '0500_0600_0002_0070',
        severity: 'serious',
        message:
          'Mainboard reported HMS 0500_0600_0002_0070; see https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0500_0600_0002_0070',
      },
    ]);
    expect(state.external_tray).toMatchObject({ tray_id: 254, empty: true });
  });

  it('P1S: msg 1 deltas merge into the msg 0 report; a later msg 0 replaces it', () => {
    const full = (): Json => printBody('p1s_pushall_finish_ams_msg0_seq40943.json');
    const replay = new ReportReplay(null).apply(full());
    expect(replay.state(NOW)).toMatchObject({ status: 'finished', bed_temp: 12, progress: 100, total_layers: 260 });
    replay.apply(printBody('p1s_delta_bed_temper_msg1_seq40941.json'));
    const afterDelta = replay.state(NOW);
    expect(afterDelta).toMatchObject({ status: 'finished', bed_temp: 12, total_layers: 260 });
    expect(afterDelta.ams?.[0]?.trays).toHaveLength(4);
    expect(afterDelta.ams?.[0]?.trays[0]).toMatchObject({ color: '5E43B7FF', remain: 83, tag_uid: 'XXXXXXXXXXXXXXXXXXXXXXX' });
    expect(replay.report['wifi_signal']).toBe('-67dBm');
    // A stale delta key disappears when a full report without it arrives.
    replay.apply({ command: 'push_status', msg: 1, some_delta_only_key: 1 });
    replay.apply(full());
    expect(replay.report['some_delta_only_key']).toBeUndefined();
    expect(replay.rejected).toEqual([]);
  });
});

describe('merge and normalise: odd shapes', () => {
  function base(): Json {
    return {
      command: 'push_status',
      msg: 0,
      gcode_state: 'RUNNING',
      stg_cur: 0,
      mc_percent: 10,
      layer_num: 5,
      total_layer_num: 50,
      ams: {
        tray_now: '1',
        ams: [
          {
            id: '0',
            humidity: '4',
            temp: '25.0',
            tray: [
              { id: '0', tray_type: 'PLA', tray_color: 'ff0000ff', remain: 80, tag_uid: '0000000000000000', tray_info_idx: 'GFA00' },
              { id: '1', tray_type: 'PETG', tray_color: '00FF00', remain: '55', tray_info_idx: 'GFG02' },
              { id: '2', tray_type: 'ABS', tray_color: '0000FFFF', remain: -1 },
              { id: '3' },
            ],
          },
          { id: '1', humidity: '2', tray: [{ id: '0', tray_type: 'TPU', tray_color: 'FFFFFFFF', remain: 10 }] },
        ],
      },
    };
  }

  it('merges trays by id: a delta tray changes only its fields; {id} or {id,state} empties the slot', () => {
    const replay = new ReportReplay().apply(base());
    replay.apply({
      command: 'push_status',
      msg: 1,
      ams: { ams: [{ id: '0', tray: [{ id: '2', remain: 40 }, { id: '1' }, { id: '0', state: 0 }] }] },
    });
    const trays = replay.state(NOW).ams?.[0]?.trays ?? [];
    expect(trays.map((t) => [t.slot, t.empty, t.type, t.remain])).toEqual([
      [0, true, null, null],
      [1, true, null, null],
      [2, false, 'ABS', 40],
      [3, true, null, null],
    ]);
    // Unit 1 was not in the delta: kept.
    expect(replay.state(NOW).ams?.[1]?.trays[0]).toMatchObject({ tray_id: 4, type: 'TPU' });
    // Loading a spool into an empty slot.
    replay.apply({
      command: 'push_status',
      msg: 1,
      ams: { ams: [{ id: '0', tray: [{ id: '3', tray_type: 'PLA', tray_color: '123456FF', remain: 100 }] }] },
    });
    expect(replay.state(NOW).ams?.[0]?.trays[3]).toMatchObject({ empty: false, type: 'PLA', color: '123456FF', remain: 100, tray_id: 3 });
  });

  it('colours are RRGGBBAA upper-case; string numbers are parsed; remain -1 is unknown', () => {
    const state = new ReportReplay().apply(base()).state(NOW);
    const trays = state.ams?.[0]?.trays ?? [];
    expect(trays[0]).toMatchObject({ color: 'FF0000FF', remain: 80, tag_uid: null });
    expect(trays[1]).toMatchObject({ color: '00FF00FF', remain: 55 });
    expect(trays[2]).toMatchObject({ remain: null });
    const replay = new ReportReplay().apply({
      ...base(),
      mc_percent: '45',
      layer_num: '7',
      nozzle_temper: '210.47',
      cooling_fan_speed: '8',
      spd_lvl: '3',
      spd_mag: '124',
      nozzle_diameter: '0.6',
    });
    expect(replay.state(NOW)).toMatchObject({
      progress: 45,
      current_layer: 7,
      nozzle_temp: 210.5,
      fan_speed: 53,
      speed_level: 'sport',
      speed_factor: 124,
      nozzle_diameter: 0.6,
    });
  });

  it('tolerates missing tray arrays, units without ids, unknown sections and keys', () => {
    const replay = new ReportReplay().apply({
      command: 'push_status',
      msg: 0,
      gcode_state: 'IDLE',
      ams: { ams: [{ id: '0', humidity: '5' }, { humidity: '3' }], future_field: { x: 1 } },
      brand_new_section: [1, 2, 3],
    });
    const state = replay.state(NOW);
    expect(state.ams).toEqual([{ id: 0, humidity: null, humidity_index: 5, temperature: null, trays: [] }]);
    expect(replay.rejected).toEqual(['ams.ams[1].id']);
    // No AMS at all → null; no vt_tray → null.
    expect(new ReportReplay().apply({ command: 'push_status', msg: 0, gcode_state: 'IDLE' }).state(NOW)).toMatchObject({
      ams: null,
      external_tray: null,
      lights_on: null,
      hms_errors: [],
    });
  });

  it('drops fields of the wrong type instead of letting them flip the state', () => {
    const replay = new ReportReplay().apply({
      ...base(),
      hms: [{ attr: 50331904, code: 65543 }],
      lights_report: [{ node: 'chamber_light', mode: 'on' }],
    });
    const before = replay.state(NOW);
    const garbage = [
      '{"print":{"command":"push_status","msg":1,"gcode_state":42,"mc_percent":"half","nozzle_temper":"hot","layer_num":null,"ams":"none","hms":{"attr":1},"lights_report":"on"}}',
      '{"print":{"command":"push_status","msg":1,"ams":{"ams":[{"id":"0","tray":[{"id":"x","remain":"lots","tray_color":12}]}]}}}',
      '{"print":{"command":"push_status","msg":1,"ams":{"ams":[{"id":"0","tray":[{"id":"1","remain":"lots","tray_color":12}]}]}}}',
    ];
    for (const text of garbage) {
      const parsed = parsePayload(text);
      if (!parsed.ok || !isRecord(parsed.message['print'])) throw new Error('expected a print body');
      replay.apply(parsed.message['print']);
    }
    expect(replay.state(NOW)).toEqual(before);
    expect(replay.rejected).toEqual(
      expect.arrayContaining([
        'gcode_state',
        'mc_percent',
        'nozzle_temper',
        'layer_num',
        'ams',
        'hms',
        'lights_report',
        'ams.ams[0].tray[0].remain',
        'ams.ams[0].tray[0].id',
      ]),
    );
  });

  it('parsePayload rejects truncated JSON, non-objects and binary noise', () => {
    for (const text of ['{"print":{"gcode_state":"RUNN', '', 'null', '42', '"print"', '[1,2,3]', 'this is not json']) {
      expect(parsePayload(text).ok).toBe(false);
    }
    expect(parsePayload(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b])).ok).toBe(false);
    expect(parsePayload('{"foo":{"nested":{"gcode_state":"FAILED"}}}')).toEqual({
      ok: true,
      message: { foo: { nested: { gcode_state: 'FAILED' } } },
    });
  });

  it('maps every gcode_state, the speed presets, lights, HMS severities and a fatal HMS on an idle printer', () => {
    const status = (gcode_state: string, extra: Json = {}): string =>
      new ReportReplay().apply({ command: 'push_status', msg: 0, gcode_state, ...extra }).state(NOW).status;
    expect(['IDLE', 'PREPARE', 'SLICING', 'INIT', 'RUNNING', 'PAUSE', 'FINISH', 'FAILED', 'SOMETHING_NEW'].map((s) => status(s))).toEqual([
      'idle',
      'preparing',
      'preparing',
      'preparing',
      'printing',
      'paused',
      'finished',
      'error',
      'idle',
    ]);
    // RUNNING in a preparation stage before the first layer is preparing; later it is printing.
    expect(status('RUNNING', { stg_cur: 2, layer_num: 0 })).toBe('preparing');
    expect(status('RUNNING', { stg_cur: 4, layer_num: 30 })).toBe('printing');
    const paused = new ReportReplay().apply({ command: 'push_status', msg: 0, gcode_state: 'PAUSE', stg_cur: 16 }).state(NOW);
    expect(paused.stage).toBe('paused by user');
    expect(new ReportReplay().apply({ command: 'push_status', msg: 0, gcode_state: 'PAUSE', stg_cur: 6 }).state(NOW).stage).toBe(
      'paused: filament runout',
    );
    expect(
      [1, 2, 3, 4, 7].map(
        (spd_lvl) => new ReportReplay().apply({ command: 'push_status', msg: 0, gcode_state: 'IDLE', spd_lvl }).state(NOW).speed_level,
      ),
    ).toEqual(['silent', 'standard', 'sport', 'ludicrous', null]);
    const hms = new ReportReplay()
      .apply({
        command: 'push_status',
        msg: 0,
        gcode_state: 'IDLE',
        hms: [
          { attr: 0x03000100, code: 0x00010007 },
          { attr: 0x07002000, code: 0x00020001 },
          { attr: 0x07002000, code: 0x00020001 },
          { attr: 0x0c000300, code: 0x00040001 },
          { attr: 'x', code: 1 },
        ],
      })
      .state(NOW);
    expect(hms.hms_errors.map((h) => [h.code, h.severity])).toEqual([
      ['0300_0100_0001_0007', 'fatal'],
      ['0700_2000_0002_0001', 'serious'],
      ['0C00_0300_0004_0001', 'info'],
    ]);
    expect(hms.status).toBe('error');
    expect(hms.error_message).toBe('Heatbed temperature malfunction: the temperature sensor may be open-circuited');
    expect(hms.hms_errors[1]?.message).toBe('AMS A slot 1 has run out of filament');
  });
});
