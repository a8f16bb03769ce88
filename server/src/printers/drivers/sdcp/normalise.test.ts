import { describe, expect, it } from 'vitest';

import { SHARED_SDCP_AVAILABLE, SHARED_SDCP_SKIP_REASON, sharedSdcpFixture } from '../../../../../simulators/src/sdcp/shared-fixtures.js';
import { parseDiscoveryReply } from './discovery.js';
import {
  ackOf,
  classifyFrame,
  isRecord,
  type JsonRecord,
  mergeStatus,
  parseAttributes,
  parseUploadReply,
  startAckMessage,
  ticksInMilliseconds,
  uploadErrorWords,
} from './messages.js';
import { normalise, type NormaliseContext } from './normalise.js';

const FRESH: NormaliseContext = { jobSeen: false, ticksInMs: false, lastJob: null };

function statusOf(partials: JsonRecord[]): JsonRecord {
  const cache: JsonRecord = {};
  for (const partial of partials) mergeStatus(cache, partial);
  return cache;
}

function running(sub: number, extra: JsonRecord = {}): JsonRecord {
  return statusOf([
    {
      CurrentStatus: [1],
      PrintInfo: { Status: sub, Filename: 'cube.gcode', TaskId: 't-1', CurrentTicks: 30, TotalTicks: 100, Progress: 25, ...extra },
    },
  ]);
}

/** Keys of a parsed shared fixture object (throws when it is not an object). */
function record(value: unknown): JsonRecord {
  if (!isRecord(value)) throw new Error('fixture is not an object');
  return value;
}

describe('SDCP status mapping (protocols.md §5)', () => {
  it.each([
    [1, 'preparing', 'homing'],
    [15, 'preparing', 'auto-levelling'],
    [16, 'preparing', 'preheating'],
    [20, 'preparing', 'preheated'],
    [22, 'preparing', 'resonance test done'],
    [13, 'printing', null],
    [12, 'printing', 'resuming'],
    [5, 'paused', 'pausing'],
    [6, 'paused', null],
    [7, 'cancelled', 'stopping'],
    [8, 'cancelled', null],
    [9, 'finished', null],
    [14, 'error', null],
    [99, 'printing', 'printer state 99'],
  ])('CurrentStatus [1] with sub-state %i → %s (%s)', (sub, status, stage) => {
    const state = normalise(running(sub), FRESH);
    expect(state.status).toBe(status);
    expect(state.stage).toBe(stage);
    expect(state.file_name).toBe('cube.gcode');
    expect(state.job_id).toBe('t-1');
  });

  it('job fields: seconds on the Centauri Carbon, remaining = TotalTicks − CurrentTicks', () => {
    expect(normalise(running(13), FRESH)).toMatchObject({ progress: 25, elapsed_seconds: 30, remaining_seconds: 70 });
    // Resin printers count milliseconds (the spec).
    expect(normalise(running(13, { CurrentTicks: 30_000, TotalTicks: 100_000 }), { ...FRESH, ticksInMs: true })).toMatchObject({
      elapsed_seconds: 30,
      remaining_seconds: 70,
    });
    // Without Progress, progress comes from the ticks.
    const noProgress = statusOf([{ CurrentStatus: [1], PrintInfo: { Status: 13, CurrentTicks: 50, TotalTicks: 200 } }]);
    expect(normalise(noProgress, FRESH).progress).toBe(25);
  });

  it('CurrentStatus 0: the sticky sub-state only ends a job that was seen or is still named', () => {
    const finishedAnonymous = statusOf([{ CurrentStatus: [0], PrintInfo: { Status: 9, Filename: '', TaskId: '', Progress: 100 } }]);
    expect(normalise(finishedAnonymous, FRESH)).toMatchObject({ status: 'idle', progress: null, file_name: null });
    expect(normalise(finishedAnonymous, { ...FRESH, jobSeen: true })).toMatchObject({
      status: 'finished',
      progress: 100,
      remaining_seconds: 0,
    });
    const finishedNamed = statusOf([{ CurrentStatus: [0], PrintInfo: { Status: 9, Filename: '/local/cube.gcode', Progress: 100 } }]);
    expect(normalise(finishedNamed, FRESH)).toMatchObject({ status: 'finished', file_name: 'cube.gcode' });
    // A stale "printing" sub-state at idle is idle.
    expect(normalise(statusOf([{ CurrentStatus: [0], PrintInfo: { Status: 13, Filename: 'x.gcode' } }]), FRESH).status).toBe('idle');
    // After a stop the printer cleared the job: the last job seen fills in.
    const lastJob = { file_name: 'cube.gcode', job_id: 't-1', progress: 40, elapsed_seconds: 400, current_layer: 8, total_layers: 20 };
    const stopped = statusOf([{ CurrentStatus: [0], PrintInfo: { Status: 8, Filename: '', TaskId: '', Progress: 0, CurrentLayer: 0 } }]);
    expect(normalise(stopped, { ...FRESH, jobSeen: true, lastJob })).toMatchObject({ status: 'cancelled', ...lastJob });
  });

  it('errors in words; ErrorNumber ≠ 0 is an error whatever the sub-state', () => {
    expect(normalise(running(13, { ErrorNumber: 1 }), FRESH)).toMatchObject({
      status: 'error',
      error_code: 'ErrorNumber 1',
      error_message: 'The file failed its MD5 check',
    });
    expect(normalise(running(14), FRESH)).toMatchObject({
      status: 'error',
      error_code: null,
      error_message: 'The printer stopped the print with an error',
    });
    expect(normalise(running(14, { ErrorStatusReason: 7 }), FRESH)).toMatchObject({
      error_code: 'ErrorStatusReason 7',
      error_message: 'Auto-levelling failed',
    });
    expect(normalise(running(14, { ErrorNumber: 42 }), FRESH).error_message).toBe('The printer stopped the print with error 42');
    expect(normalise(running(13), FRESH)).toMatchObject({ error_code: null, error_message: null });
  });

  it('other machine states: file transfer, calibration', () => {
    expect(normalise(statusOf([{ CurrentStatus: [2], PrintInfo: { Status: 9 } }]), FRESH)).toMatchObject({
      status: 'idle',
      stage: 'receiving file',
    });
    expect(normalise(statusOf([{ CurrentStatus: [1, 2], PrintInfo: { Status: 13 } }]), FRESH)).toMatchObject({
      status: 'printing',
      stage: 'receiving file',
    });
    expect(normalise(statusOf([{ CurrentStatus: [1, 2], PrintInfo: { Status: 16 } }]), FRESH)).toMatchObject({
      status: 'preparing',
      stage: 'preheating',
    });
    expect(normalise(statusOf([{ CurrentStatus: [5] }]), FRESH)).toMatchObject({ status: 'idle', stage: 'auto-levelling' });
    // The MQTT V1 variant sends a bare number.
    expect(normalise(statusOf([{ CurrentStatus: 1, PrintInfo: { Status: 13 } }]), FRESH).status).toBe('printing');
  });

  it('temperatures, fan, speed and light', () => {
    const state = normalise(
      statusOf([
        {
          TempOfNozzle: 215.04,
          TempTargetNozzle: 215,
          TempOfHotbed: 59.96,
          TempTargetHotbed: 60,
          TempOfBox: 31.26,
          CurrentFanSpeed: { ModelFan: 80, AuxiliaryFan: 30, BoxFan: 0 },
          LightStatus: { SecondLight: true, RgbLight: [0, 0, 0] },
          PrintInfo: { PrintSpeedPct: 130 },
        },
      ]),
      FRESH,
    );
    expect(state).toMatchObject({
      nozzle_temp: 215,
      nozzle_target_temp: 215,
      bed_temp: 60,
      bed_target_temp: 60,
      chamber_temp: 31.3,
      fan_speed: 80,
      speed_factor: 130,
      lights_on: true,
    });
    expect(normalise(statusOf([{ LightStatus: { SecondLight: 0 } }]), FRESH).lights_on).toBe(false);
  });
});

describe('SDCP status merge', () => {
  it('partial objects merge field by field, nested ones too', () => {
    const cache = statusOf([
      {
        CurrentStatus: [1],
        TempOfNozzle: 200,
        PrintInfo: { Status: 13, Filename: 'a.gcode', Progress: 10 },
        CurrentFanSpeed: { ModelFan: 100, BoxFan: 20 },
      },
      { PrintInfo: { Progress: 11 }, CurrentFanSpeed: { ModelFan: 50 } },
    ]);
    expect(cache).toEqual({
      CurrentStatus: [1],
      TempOfNozzle: 200,
      PrintInfo: { Status: 13, Filename: 'a.gcode', Progress: 11 },
      CurrentFanSpeed: { ModelFan: 50, BoxFan: 20 },
    });
  });

  it('wrong types are rejected by path and leave the cache alone; unknown fields are ignored', () => {
    const cache = statusOf([
      { CurrentStatus: [1], TempOfNozzle: 200, PrintInfo: { Status: 13, Filename: 'a.gcode' }, LightStatus: { SecondLight: 1 } },
    ]);
    const before = structuredClone(cache);
    const rejected = mergeStatus(cache, {
      CurrentStatus: 'busy',
      TempOfNozzle: 'hot',
      PrintInfo: { Status: '13', Filename: 42, CurrentTicks: null },
      LightStatus: { SecondLight: 'on', RgbLight: [1, 2] },
      CurrentFanSpeed: 'fast',
      SomethingNew: { a: 1 },
    });
    expect(rejected.sort()).toEqual(
      [
        'CurrentFanSpeed',
        'CurrentStatus',
        'LightStatus.RgbLight',
        'LightStatus.SecondLight',
        'PrintInfo.CurrentTicks',
        'PrintInfo.Filename',
        'PrintInfo.Status',
        'TempOfNozzle',
      ].sort(),
    );
    expect(cache).toEqual(before);
  });

  it('a numeric TaskId is kept as text', () => {
    expect(statusOf([{ PrintInfo: { TaskId: 1234 } }])).toEqual({ PrintInfo: { TaskId: '1234' } });
  });
});

describe('SDCP frames', () => {
  it('dispatches on Topic and recognises frames without one', () => {
    expect(classifyFrame('pong')).toEqual({ kind: 'pong' });
    expect(classifyFrame('{"Topic":"sdcp/status/abc","Status":{"CurrentStatus":[0]}}')).toEqual({
      kind: 'status',
      status: { CurrentStatus: [0] },
    });
    expect(classifyFrame('{"Topic":"sdcp/status/abc","Data":{"Status":{"CurrentStatus":[1]}}}')).toEqual({
      kind: 'status',
      status: { CurrentStatus: [1] },
    });
    expect(classifyFrame('{"Attributes":{"Name":"x"}}')).toEqual({ kind: 'attributes', attributes: { Name: 'x' } });
    expect(classifyFrame('{"Data":{"Cmd":1,"Data":{"Ack":0},"RequestID":"r1"}}')).toEqual({
      kind: 'response',
      cmd: 1,
      requestId: 'r1',
      data: { Ack: 0 },
    });
    expect(classifyFrame('{"Topic":"sdcp/error/abc","Data":{"Data":{"ErrorCode":1}}}')).toEqual({ kind: 'error', data: { ErrorCode: 1 } });
    for (const bad of [
      'nope',
      '[1]',
      '{"Topic":42}',
      '{"Topic":"sdcp/status/a","Status":"x"}',
      '{"Topic":"sdcp/response/a","Data":{}}',
      '{"Topic":"other/x"}',
      '{}',
    ]) {
      expect(classifyFrame(bad).kind).toBe('malformed');
    }
  });

  it('acks and upload replies in words', () => {
    expect(startAckMessage(1, 'a.gcode')).toEqual({
      message: 'The printer is busy (printing or receiving a file) and cannot start a.gcode',
      status: 409,
    });
    expect(startAckMessage(2, 'a.gcode')).toEqual({ message: 'The printer has no file a.gcode', status: 404 });
    expect(startAckMessage(7, 'a.gcode').message).toBe('a.gcode was sliced for a different printer model');
    expect(startAckMessage(55, 'a.gcode').message).toBe('The printer refused to start a.gcode (code 55)');
    expect(uploadErrorWords(-2)).toBe('the chunk position did not follow the previous one (code -2)');
    expect(parseUploadReply({ code: '111111', messages: [{ field: 'common_field', message: -1 }], success: false })).toEqual({
      ok: false,
      codes: [-1],
      fields: ['common_field'],
    });
    expect(parseUploadReply('<html>')).toBeNull();
  });

  it('ticks are seconds on G-code printers and the Centauri, milliseconds on resin', () => {
    expect(ticksInMilliseconds(parseAttributes({ MachineName: 'Centauri Carbon', SupportFileType: ['GCODE'] }))).toBe(false);
    expect(ticksInMilliseconds(parseAttributes({ MachineName: 'Saturn 4 Ultra', SupportFileType: ['CTB'] }))).toBe(true);
    expect(ticksInMilliseconds(parseAttributes({ MachineName: 'Unknown' }))).toBe(false);
    expect(ticksInMilliseconds(null)).toBe(false);
  });

  it('discovery replies: SDCP v3, the MQTT V1 variant and the Centauri Carbon 2 are told apart', () => {
    const reply = (data: JsonRecord) => JSON.stringify({ Id: 'x', Data: { MainboardID: 'abc', MainboardIP: '10.0.0.5', ...data } });
    expect(parseDiscoveryReply(reply({ ProtocolVersion: 'V3.0.0', MachineName: 'Centauri Carbon' }), '10.0.0.5')).toMatchObject({
      variant: 'sdcp-v3',
      supported: true,
      ip: '10.0.0.5',
    });
    expect(parseDiscoveryReply(reply({ ProtocolVersion: 'V1.0.0', MachineName: 'Saturn 3 Ultra' }), '10.0.0.5')).toMatchObject({
      variant: 'sdcp-v1-mqtt',
      supported: false,
    });
    expect(parseDiscoveryReply(reply({ ProtocolVersion: 'V3.0.0', MachineName: 'Centauri Carbon 2' }), '10.0.0.5')).toMatchObject({
      variant: 'cc2',
      supported: false,
    });
    expect(parseDiscoveryReply(JSON.stringify({ Id: 'x', Data: { Name: 'no id' } }), '10.0.0.5')).toBeNull();
    expect(parseDiscoveryReply('M99999', '10.0.0.5')).toBeNull();
  });
});

describe('SDCP recorded payloads (shared fixtures)', () => {
  it('the Centauri Carbon idle capture (fw 1.1.29, sub-state 8 after a cancelled job) is idle on connect', (ctx) => {
    ctx.skip(!SHARED_SDCP_AVAILABLE, SHARED_SDCP_SKIP_REASON);
    const capture = record(sharedSdcpFixture('centauri_carbon_status_idle_fw1.1.29.json'));
    const frame = classifyFrame(JSON.stringify(capture));
    if (frame.kind !== 'status') throw new Error(`classified as ${frame.kind}`);
    const cache: JsonRecord = {};
    expect(mergeStatus(cache, frame.status)).toEqual([]);
    expect(normalise(cache, FRESH)).toMatchObject({
      status: 'idle',
      stage: null,
      nozzle_temp: 115.3,
      nozzle_target_temp: 0,
      bed_temp: 67.5,
      chamber_temp: 26.4,
      fan_speed: 0,
      speed_factor: 100,
      lights_on: true,
      progress: null,
      file_name: null,
    });
    // Seen right after the job was stopped in this session, the same message means cancelled.
    expect(normalise(cache, { ...FRESH, jobSeen: true }).status).toBe('cancelled');
  });

  it('the recorded Cmd 128 Ack 2 reply reads as "file not found"', (ctx) => {
    ctx.skip(!SHARED_SDCP_AVAILABLE, SHARED_SDCP_SKIP_REASON);
    const frame = classifyFrame(JSON.stringify(sharedSdcpFixture('centauri_carbon_response_cmd128_ack2_file_not_found.json')));
    if (frame.kind !== 'response') throw new Error(`classified as ${frame.kind}`);
    expect(frame.cmd).toBe(128);
    expect(frame.requestId).toBe('3333');
    const ack = ackOf(frame.data);
    expect(ack).toBe(2);
    expect(startAckMessage(ack ?? -1, 'some_file.gcode').status).toBe(404);
  });

  it('the spec examples: discovery, upload replies, resin status', (ctx) => {
    ctx.skip(!SHARED_SDCP_AVAILABLE, SHARED_SDCP_SKIP_REASON);
    const spec = record(sharedSdcpFixture('sdcp_v3_spec_examples.json'));
    const discovery = parseDiscoveryReply(JSON.stringify(spec['Device Discovery Description :: example']), '192.168.1.2');
    expect(discovery).toMatchObject({
      ip: '192.168.1.2',
      mainboardId: '000000000001d354',
      protocolVersion: 'V3.0.0',
      variant: 'sdcp-v3',
      supported: true,
    });
    expect(parseUploadReply(spec['Response Parameters :: Success'])).toEqual({ ok: true });
    expect(parseUploadReply(spec['Response Parameters :: Failure'])).toEqual({
      ok: false,
      codes: [100001, 'Cannot be empty'],
      fields: ['common_field', 'filename'],
    });

    const status = classifyFrame(JSON.stringify(spec['Status Information :: example']));
    if (status.kind !== 'status') throw new Error(`classified as ${status.kind}`);
    const cache: JsonRecord = {};
    mergeStatus(cache, status.status);
    const attributes = classifyFrame(JSON.stringify(spec['Attribute Information :: example']));
    if (attributes.kind !== 'attributes') throw new Error(`classified as ${attributes.kind}`);
    const parsed = parseAttributes(attributes.attributes);
    expect(ticksInMilliseconds(parsed)).toBe(true);
    // CurrentStatus [0,1,2,3] with ErrorNumber 1: a job with an MD5 error, ticks in ms.
    expect(normalise(cache, { ...FRESH, ticksInMs: true })).toMatchObject({
      status: 'error',
      error_message: 'The file failed its MD5 check',
      elapsed_seconds: 66,
      file_name: 'HitWork.ctb',
    });
  });
});
