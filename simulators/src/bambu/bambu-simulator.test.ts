import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';

import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';

import { cleanupAfterEach, isJson, type Json, sleep, waitFor } from '../test-support.js';
import { BambuSimulator, type BambuSimulatorOptions, CANCELLED_PRINT_ERROR, createSimulatorCa } from './index.js';
import { FtpsTestClient, mergeReport, mqttOptions, ReportClient } from './test-support.js';

const cleanups = cleanupAfterEach();

const ca = createSimulatorCa();
const ACCESS = 'access';
let serialCounter = 0;

/** Fast prints: 10 simulated s of heating, 60 of printing, at 100× → 0.7 s real. */
async function simulator(options: Partial<BambuSimulatorOptions> = {}): Promise<BambuSimulator> {
  const sim = new BambuSimulator({
    serial: `01P00A${String(++serialCounter).padStart(9, '0')}`,
    accessCode: ACCESS,
    ca,
    speed: 100,
    pushIntervalMs: 40,
    cancelErrorClearMs: 300,
    plan: { heatSeconds: 10, durationSeconds: 60, totalLayers: 12 },
    ...options,
  });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

async function connect(sim: BambuSimulator, subscribe = true): Promise<ReportClient> {
  const client = await ReportClient.connect(sim, {}, subscribe);
  cleanups.push(() => client.close());
  return client;
}

async function upload(sim: BambuSimulator, name: string, content = Buffer.from('PK\u0003\u0004 fake 3mf')): Promise<void> {
  const ftp = await FtpsTestClient.connect(sim);
  try {
    await ftp.setup(ACCESS);
    const result = await ftp.upload(name, content);
    if (result.final?.code !== 226) throw new Error(`upload failed: ${result.first.code} ${result.final?.code}`);
  } finally {
    ftp.close();
  }
}

const ENVELOPE = new Set(['command', 'msg', 'sequence_id']);

function pushes(client: ReportClient, from = 0): Json[] {
  return client.messages
    .slice(from)
    .filter((m): m is Json => m !== null && isJson(m['print']) && m['print']['command'] === 'push_status')
    .map((m) => m['print'] as Json);
}

describe('Bambu simulator: TLS and authentication', () => {
  it('passes full verification with the simulator CA and servername = serial', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    const socket = client.client.stream as TLSSocket;
    expect(socket.authorized).toBe(true);
    const cert = socket.getPeerCertificate();
    expect(cert.subject.CN).toBe(sim.serial);
    expect(cert.subjectaltname).toBe(`DNS:${sim.serial}`);
    const leaf = new X509Certificate(cert.raw);
    expect(leaf.verify(new X509Certificate(sim.caPem).publicKey)).toBe(true);
  });

  it('also passes when the client checks the CN itself (connecting by IP, as ha-bambulab does)', async () => {
    const sim = await simulator();
    let checked = 0;
    const overrides = {
      servername: undefined,
      checkServerIdentity: (_host: string, cert: PeerCertificate): Error | undefined => {
        checked++;
        return cert.subject.CN === sim.serial ? undefined : new Error(`CN ${JSON.stringify(cert.subject.CN)} is not ${sim.serial}`);
      },
    };
    const client = await ReportClient.connect(sim, overrides);
    expect(checked).toBe(1);
    cleanups.push(() => client.close());
    expect((client.client.stream as TLSSocket).authorized).toBe(true);
    // Node's own hostname check would fail for the IP: the certificate names the serial only.
    const cert = (client.client.stream as TLSSocket).getPeerCertificate();
    expect(checkServerIdentity(sim.host, cert)).toBeInstanceOf(Error);
  });

  it('fails verification with a foreign CA or the wrong serial', async () => {
    const sim = await simulator();
    await expect(connectAsync(mqttOptions(sim, { ca: createSimulatorCa().caPem }))).rejects.toThrow(/certificate/i);
    await expect(connectAsync(mqttOptions(sim, { servername: '01P00A999999999' }))).rejects.toThrow(/altnames|does not match/i);
  });

  it('refuses a wrong access code (not authorized) and a wrong user (bad username or password)', async () => {
    const sim = await simulator();
    await expect(connectAsync(mqttOptions(sim, { password: 'nope' }))).rejects.toMatchObject({ code: 5 });
    await expect(connectAsync(mqttOptions(sim, { username: 'admin' }))).rejects.toMatchObject({ code: 4 });
    const open = await connect(sim);
    sim.setAccessCode('new-code');
    await expect(connectAsync(mqttOptions(sim))).rejects.toMatchObject({ code: 5 });
    const again = await ReportClient.connect(sim, { password: 'new-code' });
    cleanups.push(() => again.close());
    expect(open.client.connected).toBe(true); // sessions already open stay
  });

  it('lets clients subscribe to the printer topics only and publish to the request topic only', async () => {
    const sim = await simulator();
    const client = await connect(sim, false);
    const qos = async (topic: string): Promise<number | undefined> => {
      try {
        return (await client.client.subscribeAsync(topic))[0]?.qos;
      } catch (err) {
        // mqtt.js rejects a SUBACK carrying 0x80; the packet is on the error
        return (err as { packet?: { granted?: number[] } }).packet?.granted?.[0];
      }
    };
    expect(await qos(`device/${sim.serial}/report`)).toBe(0);
    expect(await qos('device/+/report')).toBe(0);
    expect(await qos('other/topic')).toBe(128);
    expect(await qos('device/OTHER/report')).toBe(128);
    const closed = new Promise<void>((resolve) => client.client.once('close', () => resolve()));
    client.client.publish(`device/${sim.serial}/report`, '{"print":{"gcode_state":"FAKE"}}');
    await closed;
  });
});

describe('Bambu simulator: reports', () => {
  it('answers pushall with the full P1S report (msg 0) in the captured shapes', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    const p = await client.pushall();
    expect(p).toMatchObject({
      command: 'push_status',
      msg: 0,
      gcode_state: 'IDLE',
      print_error: 0,
      mc_percent: 0,
      mc_remaining_time: 0,
      cooling_fan_speed: '0',
      heatbreak_fan_speed: '0',
      big_fan1_speed: '0',
      big_fan2_speed: '0',
      spd_lvl: 2,
      spd_mag: 100,
      nozzle_diameter: '0.4',
      nozzle_type: 'hardened_steel',
      hms: [],
      lights_report: [{ node: 'chamber_light', mode: 'off' }],
      stg_cur: 255,
    });
    expect(typeof p['sequence_id']).toBe('string');
    expect(typeof p['nozzle_temper']).toBe('number');
    expect(p).not.toHaveProperty('chamber_temper');
    expect(p['ipcam']).not.toHaveProperty('rtsp_url');
    const ams = p['ams'] as Json;
    expect(ams).toMatchObject({ ams_exist_bits: '1', tray_exist_bits: 'f', tray_now: '255' });
    const unit = (ams['ams'] as Json[])[0] as Json;
    expect(Object.keys(unit)).toEqual(['id', 'humidity', 'temp', 'tray']);
    const trays = unit['tray'] as Json[];
    expect(trays).toHaveLength(4);
    expect(trays[0]).toMatchObject({ id: '0', tray_type: 'PLA', tray_info_idx: 'GFA00' });
    expect(trays[0]?.['tray_color']).toMatch(/^[0-9A-F]{8}$/);
    expect(trays[0]?.['tag_uid']).toMatch(/^[0-9A-F]{16}$/);
    expect(p['vt_tray']).toMatchObject({ id: '254' });
    expect(sim.report()['gcode_state']).toBe('IDLE');
  });

  it('answers get_version with the module list (ota carries the firmware), AMS Lite on the A1', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    const from = client.mark();
    const seq = await client.request('info', { command: 'get_version' });
    const info = await client.reply('info', seq, from);
    const modules = info['module'] as Json[];
    expect(modules.find((m) => m['name'] === 'ota')).toMatchObject({
      sw_ver: '01.08.01.00',
      sn: sim.serial,
      product_name: 'Bambu Lab P1S',
    });
    expect(modules.map((m) => m['name'])).toContain('ams/0');
    expect(info['result']).toBe('success');

    const a1 = await simulator({ model: 'A1' });
    const a1Client = await connect(a1);
    const a1Seq = await a1Client.request('info', { command: 'get_version' });
    const a1Info = await a1Client.reply('info', a1Seq);
    expect((a1Info['module'] as Json[]).map((m) => m['name'])).toContain('ams_f1/0');
  });

  it('P1S: periodic pushes are msg 1 deltas carrying only changed fields; merged they equal a pushall', async () => {
    const sim = await simulator({ speed: 50 });
    const client = await connect(sim);
    const state = await client.pushall();
    // Idle: nothing changes, so the pushes are heartbeats (the envelope alone).
    const idleFrom = client.mark();
    await sleep(150);
    const idle = pushes(client, idleFrom);
    expect(idle.length).toBeGreaterThanOrEqual(2);
    for (const d of idle) expect(Object.keys(d).sort()).toEqual(['command', 'msg', 'sequence_id']);

    const from = client.mark();
    sim.startPrint('cube.3mf');
    await waitFor('FINISH', () => sim.gcodeState === 'FINISH', 10_000);
    sim.setSpeed(0); // freeze the heaters cooling down, so a pushall afterwards has nothing new
    await sleep(120); // the pushes that carry the end
    const deltas = pushes(client, from);
    expect(deltas.length).toBeGreaterThan(5);
    const seqs = deltas.map((d) => Number(d['sequence_id']));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const delta of deltas) {
      expect(delta['msg']).toBe(1);
      for (const [key, value] of Object.entries(delta)) {
        if (ENVELOPE.has(key)) continue;
        expect(JSON.stringify(state[key]), `${key} was pushed unchanged`).not.toBe(JSON.stringify(value));
        expect(['net', 'ipcam', 'upgrade_state', 'online', 'upload', 'nozzle_type', 'home_flag']).not.toContain(key);
      }
      mergeReport(state, delta);
    }
    const full = await client.pushall();
    for (const key of ENVELOPE) {
      delete state[key];
      delete full[key];
    }
    expect(state).toEqual(full);
    expect(full).toMatchObject({ gcode_state: 'FINISH', mc_percent: 100, mc_remaining_time: 0, layer_num: 12, total_layer_num: 12 });
  });

  it('X1C: every periodic push is the whole print object', async () => {
    const sim = await simulator({ model: 'X1C', serial: '00M09A350100001' });
    const client = await connect(sim);
    const full = await client.pushall();
    const from = client.mark();
    await sleep(150);
    const periodic = pushes(client, from);
    expect(periodic.length).toBeGreaterThanOrEqual(2);
    for (const p of periodic) {
      expect(p['msg']).toBe(0);
      expect(Object.keys(p).sort()).toEqual(Object.keys(full).sort());
    }
    expect(full).toMatchObject({ stg_cur: -1, nozzle_type: 'hardened_steel', ctt: 0 });
    expect(typeof full['chamber_temper']).toBe('number');
    expect((full['ipcam'] as Json)['rtsp_url']).toBe(`rtsps://${sim.host}:322/streaming/live/1`);
    expect(full['lights_report']).toEqual([
      { node: 'chamber_light', mode: 'on' },
      { node: 'work_light', mode: 'flashing' },
    ]);
    const unit = ((full['ams'] as Json)['ams'] as Json[])[0] as Json;
    expect(unit).toHaveProperty('humidity_raw');
    expect((unit['tray'] as Json[])[0]).toHaveProperty('drying_temp');
  });

  it('H2D: rtsp_url reads "disable" until LAN liveview is switched on; deltas, not full pushes', async () => {
    const sim = await simulator({ model: 'H2D', serial: '0948AD000000001' });
    const client = await connect(sim);
    const full = await client.pushall();
    expect((full['ipcam'] as Json)['rtsp_url']).toBe('disable');
    expect(full).toHaveProperty('chamber_temper');
    expect(full['vir_slot']).toHaveLength(2);
    const from = client.mark();
    sim.setLiveview(true);
    const delta = await client.waitForPrint('ipcam delta', (p) => isJson(p['ipcam']), from);
    expect(delta['msg']).toBe(1);
    expect((delta['ipcam'] as Json)['rtsp_url']).toBe(`rtsps://${sim.host}:322/streaming/live/1`);
  });

  it('runs a print PREPARE → RUNNING → FINISH; FINISH stays; the active AMS tray runs down', async () => {
    const sim = await simulator({ speed: 50 });
    const client = await connect(sim);
    const before = ((((await client.pushall())['ams'] as Json)['ams'] as Json[])[0]?.['tray'] as Json[])[0]?.['remain'] as number;
    const from = client.mark();
    sim.startPrint('benchy.3mf', { durationSeconds: 100 });
    const prepare = await client.waitForPrint('PREPARE', (p) => p['gcode_state'] === 'PREPARE', from);
    expect(prepare).toMatchObject({
      nozzle_target_temper: 220,
      bed_target_temper: 55,
      subtask_name: 'benchy',
      print_type: 'local',
      stg_cur: 2,
    });
    expect((prepare['ams'] as Json)['tray_now']).toBe('0');
    const running = await client.waitForPrint('RUNNING', (p) => p['gcode_state'] === 'RUNNING', from);
    expect(running['stg_cur']).toBe(0);
    await client.waitForPrint('FINISH', (p) => p['gcode_state'] === 'FINISH', from, 10_000);
    await sleep(200);
    const after = await client.pushall();
    expect(after).toMatchObject({ gcode_state: 'FINISH', mc_percent: 100, mc_remaining_time: 0, print_type: 'idle', stg_cur: 255 });
    const ams = after['ams'] as Json;
    expect(ams['tray_now']).toBe('255');
    const remain = ((ams['ams'] as Json[])[0]?.['tray'] as Json[])[0]?.['remain'] as number;
    expect(remain).toBeLessThan(before);
    expect(remain).toBeGreaterThanOrEqual(before - 8);
  });

  it('mc_remaining_time is in minutes and counts down', async () => {
    const sim = await simulator({ speed: 1 });
    sim.startPrint('long.3mf', { heatSeconds: 0, durationSeconds: 7200 });
    const client = await connect(sim);
    const p = await client.pushall();
    expect(p['mc_remaining_time']).toBe(120);
    expect(p['gcode_state']).toBe('RUNNING');
  });

  it('setTargets goes out in a delta at once; onReportPush sees each push_status as it is published', async () => {
    const pushes: { payload: string; sentAt: bigint }[] = [];
    const sim = await simulator({ speed: 1, pushIntervalMs: 1000, onReportPush: (payload, sentAt) => pushes.push({ payload, sentAt }) });
    sim.startPrint('long.3mf', { heatSeconds: 0, durationSeconds: 7200, bedTarget: 60 });
    const client = await connect(sim);
    const arrivals: { at: bigint; text: string }[] = [];
    client.client.on('message', (_topic, payload: Buffer) =>
      arrivals.push({ at: process.hrtime.bigint(), text: payload.toString('utf8') }),
    );
    await client.pushall();
    const from = client.mark();
    const asked = process.hrtime.bigint();
    sim.setTargets({ bed: 63.4 });
    // Well before the next 1 s tick: the change is pushed on its own.
    const delta = await client.waitForPrint('the new bed target', (p) => p['bed_target_temper'] === 63.4, from, 500);
    expect(delta['msg']).toBe(1);
    const push = pushes.find((p) => p.payload.includes('"bed_target_temper":63.4'));
    expect(push).toBeDefined();
    expect((push?.sentAt ?? 0n) >= asked).toBe(true);
    // Stamped at the socket write: before the client had the report, not after it.
    const arrived = arrivals.find((a) => a.text.includes('"bed_target_temper":63.4'));
    expect(arrived && push && arrived.at >= push.sentAt).toBe(true);
    expect(pushes.every((p) => p.payload.includes('"command":"push_status"'))).toBe(true);
  });
});

describe('Bambu simulator: commands', () => {
  it('pause / resume / stop: acks echo the sequence_id; stop latches 50348044 then clears it, FAILED stays', async () => {
    const sim = await simulator({ speed: 20, plan: { heatSeconds: 1, durationSeconds: 600, totalLayers: 50 } });
    const client = await connect(sim);
    const idleFrom = client.mark();
    const early = await client.request('print', { command: 'pause', param: '' });
    expect(await client.reply('print', early, idleFrom)).toMatchObject({ result: 'fail', command: 'pause' });

    sim.startPrint('part.3mf');
    await waitFor('RUNNING', () => sim.gcodeState === 'RUNNING');
    let from = client.mark();
    const pause = await client.request('print', { command: 'pause', param: '' });
    expect(await client.reply('print', pause, from)).toEqual({
      sequence_id: pause,
      command: 'pause',
      param: '',
      result: 'success',
      reason: 'success',
    });
    expect(await client.waitForPrint('PAUSE', (p) => p['gcode_state'] === 'PAUSE', from)).toMatchObject({ stg_cur: 16 });

    from = client.mark();
    const resume = await client.request('print', { command: 'resume', param: '' });
    expect((await client.reply('print', resume, from))['result']).toBe('success');
    await client.waitForPrint('RUNNING again', (p) => p['gcode_state'] === 'RUNNING', from);

    from = client.mark();
    const stop = await client.request('print', { command: 'stop', param: '' });
    expect((await client.reply('print', stop, from))['result']).toBe('success');
    const failed = await client.waitForPrint('FAILED', (p) => p['gcode_state'] === 'FAILED', from);
    expect(failed['print_error']).toBe(CANCELLED_PRINT_ERROR);
    const cleared = await client.waitForPrint('print_error back to 0', (p) => p['print_error'] === 0, from);
    expect(cleared['gcode_state']).toBeUndefined(); // a delta: the state did not change
    expect(sim.report()).toMatchObject({ gcode_state: 'FAILED', print_error: 0 });
    await sleep(100);
    expect(sim.gcodeState).toBe('FAILED');

    from = client.mark();
    const again = await client.request('print', { command: 'stop', param: '' });
    expect((await client.reply('print', again, from))['result']).toBe('fail');
    const sent = sim.commands().map((c) => (c['print'] as Json | undefined)?.['command']);
    expect(sent).toEqual(['pause', 'pause', 'resume', 'stop', 'stop']);
  });

  it('ledctrl switches lights the model has and fails for others', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    let from = client.mark();
    const on = await client.request('system', {
      command: 'ledctrl',
      led_node: 'chamber_light',
      led_mode: 'on',
      led_on_time: 500,
      led_off_time: 500,
      loop_times: 0,
      interval_time: 0,
    });
    expect(await client.reply('system', on, from)).toMatchObject({ result: 'success', led_node: 'chamber_light' });
    const lights = await client.waitForPrint('lights delta', (p) => Array.isArray(p['lights_report']), from);
    expect(lights['lights_report']).toEqual([{ node: 'chamber_light', mode: 'on' }]);
    from = client.mark();
    const work = await client.request('system', { command: 'ledctrl', led_node: 'work_light', led_mode: 'on' });
    expect(await client.reply('system', work, from)).toMatchObject({ result: 'fail', reason: 'did not find the valid led: work_light' });

    const h2d = await simulator({ model: 'H2D', serial: '0948AD000000002' });
    const h2dClient = await connect(h2d);
    const second = await h2dClient.request('system', { command: 'ledctrl', led_node: 'chamber_light2', led_mode: 'off' });
    expect((await h2dClient.reply('system', second))['result']).toBe('success');
    expect(h2d.report()['lights_report']).toContainEqual({ node: 'chamber_light2', mode: 'off' });
  });

  it('gcode_line sets heater targets (M141 where there is a chamber); print_speed sets spd_lvl', async () => {
    const sim = await simulator({ model: 'X1C', serial: '00M09A350100002' });
    const client = await connect(sim);
    const line = await client.request('print', { command: 'gcode_line', param: 'M104 S200\nM140 S60\nM141 S35\nG28\n' });
    expect((await client.reply('print', line))['result']).toBe('success');
    const speed = await client.request('print', { command: 'print_speed', param: '3' });
    expect((await client.reply('print', speed))['result']).toBe('success');
    const bad = await client.request('print', { command: 'print_speed', param: '9' });
    expect((await client.reply('print', bad))['result']).toBe('fail');
    expect(await client.pushall()).toMatchObject({ nozzle_target_temper: 200, bed_target_temper: 60, ctt: 35, spd_lvl: 3, spd_mag: 124 });

    const p1s = await simulator();
    const p1Client = await connect(p1s);
    const m141 = await p1Client.request('print', { command: 'gcode_line', param: 'M141 S40\n' });
    expect((await p1Client.reply('print', m141))['result']).toBe('success');
    expect(await p1Client.pushall()).not.toHaveProperty('ctt');
  });

  it('project_file fails without an upload and starts the uploaded 3mf with its plate, AMS mapping and leveling', async () => {
    const sim = await simulator({ model: 'X1C', serial: '00M09A350100003', amsUnits: 1 });
    const client = await connect(sim);
    const request = {
      command: 'project_file',
      param: 'Metadata/plate_2.gcode',
      url: 'ftp:///gear.3mf',
      file: '',
      md5: '',
      project_id: '0',
      profile_id: '0',
      task_id: '0',
      subtask_id: '0',
      subtask_name: 'gear',
      bed_type: 'auto',
      timelapse: false,
      bed_leveling: true,
      flow_cali: true,
      vibration_cali: true,
      layer_inspect: true,
      use_ams: true,
      ams_mapping: [2],
    };
    const missing = await client.request('print', request);
    expect(await client.reply('print', missing)).toMatchObject({ result: 'fail', reason: 'file not found: ftp:///gear.3mf' });
    expect(sim.gcodeState).toBe('IDLE');

    await upload(sim, 'gear.3mf');
    const from = client.mark();
    const start = await client.request('print', request);
    expect((await client.reply('print', start, from))['result']).toBe('success');
    const p = await client.waitForPrint('PREPARE', (x) => x['gcode_state'] === 'PREPARE', from);
    expect(p).toMatchObject({ gcode_file: '/data/Metadata/plate_2.gcode', subtask_name: 'gear', stg: [2, 1] });
    expect((p['ams'] as Json)['tray_now']).toBe('2');
    expect(sim.currentJob()).toMatchObject({
      fileName: '/gear.3mf',
      plate: 'Metadata/plate_2.gcode',
      useAms: true,
      amsMapping: [2],
      bedLeveling: true,
      tray: 2,
    });

    const busy = await client.request('print', request);
    expect(await client.reply('print', busy)).toMatchObject({ result: 'fail', reason: 'printer is busy' });
  });

  it('project_file with use_ams false prints from the external spool; file:///sdcard URLs and bed_levelling work too', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    await upload(sim, 'bracket.3mf');
    const seq = await client.request('print', {
      command: 'project_file',
      param: 'Metadata/plate_1.gcode',
      url: 'file:///sdcard/bracket.3mf',
      use_ams: false,
      bed_levelling: false,
      ams_mapping: '',
    });
    expect((await client.reply('print', seq))['result']).toBe('success');
    const p = await client.pushall();
    expect(p).toMatchObject({ gcode_state: 'PREPARE', gcode_file: 'bracket.3mf', subtask_name: 'bracket', stg: [2], ams_status: 0 });
    expect((p['ams'] as Json)['tray_now']).toBe('254');
  });

  it('gcode_file starts an uploaded gcode file', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    await upload(sim, 'cal.gcode');
    const seq = await client.request('print', { command: 'gcode_file', param: '/sdcard/cal.gcode' });
    expect((await client.reply('print', seq))['result']).toBe('success');
    expect(sim.gcodeState).toBe('PREPARE');
    const none = await client.request('print', { command: 'gcode_file', param: 'nothere.gcode' });
    expect((await client.reply('print', none))['result']).toBe('fail');
  });

  it('ignores unknown commands and sections, and non-JSON requests (but records JSON ones)', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    const from = client.mark();
    await client.request('print', { command: 'no_such_command' });
    await client.request('camera', { command: 'ipcam_record_set', control: 'enable' });
    await client.client.publishAsync(`device/${sim.serial}/request`, 'not json');
    await sleep(150);
    expect(client.messages.slice(from).filter((m) => m && !isJson(m['print']))).toEqual([]);
    expect(client.messages.slice(from).some((m) => isJson(m?.['print']) && m['print']['command'] !== 'push_status')).toBe(false);
    expect(sim.commands()).toHaveLength(2);
  });
});

describe('Bambu simulator: test controls', () => {
  it('injects and clears HMS, sets a print error', async () => {
    const sim = await simulator({ speed: 10, plan: { heatSeconds: 1, durationSeconds: 600 } });
    const client = await connect(sim);
    let from = client.mark();
    sim.injectHms(0x07000200, 0x00020001);
    expect((await client.waitForPrint('hms', (p) => Array.isArray(p['hms']), from))['hms']).toEqual([
      { attr: 0x07000200, code: 0x00020001 },
    ]);
    from = client.mark();
    sim.clearHms();
    expect((await client.waitForPrint('hms cleared', (p) => Array.isArray(p['hms']), from))['hms']).toEqual([]);

    sim.startPrint('x.3mf');
    from = client.mark();
    sim.setPrintError(0x0c008001);
    const failed = await client.waitForPrint('FAILED', (p) => p['gcode_state'] === 'FAILED', from);
    expect(failed['print_error']).toBe(0x0c008001);
    await sleep(150);
    expect(sim.report()['print_error']).toBe(0x0c008001); // a real failure is not cleared like a cancel
    from = client.mark();
    const clean = await client.request('print', { command: 'clean_print_error' });
    expect((await client.reply('print', clean, from))['result']).toBe('success');
    expect(sim.report()).toMatchObject({ print_error: 0, gcode_state: 'FAILED' });
    // report() is a look, not a push: the change still reaches clients as a delta.
    expect((await client.waitForPrint('print_error delta', (p) => p['print_error'] === 0, from))['msg']).toBe(1);
  });

  it('sets trays (an empty slot is {"id":"N"}), the external spool and the AMS environment', async () => {
    const sim = await simulator({ model: 'X1C', serial: '00M09A350100004', amsUnits: 2 });
    sim.setTray(0, 2, null);
    sim.setTray(1, 0, { type: 'PETG', color: 'FF8800', remain: -1 });
    sim.setTray(254, 0, { type: 'TPU', color: '112233FF', remain: 0 });
    sim.setAmsEnvironment(1, { humidity: 45, temperature: 31.26 });
    const client = await connect(sim);
    const p = await client.pushall();
    const ams = p['ams'] as Json;
    const units = ams['ams'] as Json[];
    expect((units[0]?.['tray'] as Json[])[2]).toEqual({ id: '2' });
    expect(ams).toMatchObject({ ams_exist_bits: '3', tray_exist_bits: 'fb', tray_is_bbl_bits: 'eb' });
    expect((units[1]?.['tray'] as Json[])[0]).toMatchObject({
      tray_type: 'PETG',
      tray_color: 'FF8800FF',
      remain: -1,
      tag_uid: '0000000000000000',
      tray_info_idx: 'GFG99',
    });
    expect(units[1]).toMatchObject({ humidity: '3', humidity_raw: '45', temp: '31.3' });
    expect(p['vt_tray']).toMatchObject({ id: '254', tray_type: 'TPU', tray_color: '112233FF' });
    expect(() => sim.setTray(5, 0, null)).toThrow(/no AMS slot/);
    expect(() => sim.setTray(0, 0, { type: 'PLA', color: 'red', remain: 5 })).toThrow(/RRGGBBAA/);

    const p1s = await simulator({ amsUnits: 0 });
    const noAms = await connect(p1s);
    const q = await noAms.pushall();
    expect(q['ams']).toMatchObject({ ams: [], ams_exist_bits: '0', tray_now: '254' });
    expect(q['vt_tray']).toMatchObject({ tray_type: 'PLA' });
  });
});

describe('Bambu simulator: faults', () => {
  it('refuses connections while refusing and drops them on demand', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    const closed = new Promise<void>((resolve) => client.client.once('close', () => resolve()));
    sim.dropConnections();
    await closed;
    sim.refuseConnections(true);
    await expect(connectAsync(mqttOptions(sim, { password: ACCESS }))).rejects.toThrow();
    sim.refuseConnections(false);
    await connect(sim);
  });

  it('stall: the session stays up (pings answered) but nothing is pushed or answered', async () => {
    const sim = await simulator();
    const client = await ReportClient.connect(sim, { keepalive: 1, password: ACCESS });
    cleanups.push(() => client.close());
    await client.pushall();
    sim.stall(true);
    await sleep(60);
    const from = client.mark();
    const seq = await client.request('info', { command: 'get_version' });
    await sleep(1800); // more than a keepalive period: PINGREQ/PINGRESP still flow
    expect(client.client.connected).toBe(true);
    expect(client.messages.length).toBe(from);
    sim.stall(false);
    await client.waitForPrint('a push after the stall', () => true, from);
    expect(sim.commands().at(-1)).toEqual({ info: { sequence_id: seq, command: 'get_version' } });
  });

  it('sends garbage, truncated JSON and unknown sections on the report topic, then carries on', async () => {
    const sim = await simulator();
    const client = await connect(sim);
    const from = client.mark();
    sim.sendGarbage();
    sim.sendTruncatedJson();
    sim.sendUnknownSection();
    await waitFor('the fault payloads', () => client.raw.slice(from).some((r) => r.startsWith('{"foo"')));
    const raw = client.raw.slice(from);
    expect(raw.some((r) => r === 'this is not json')).toBe(true);
    expect(raw.some((r) => r.startsWith('{"print":{"ipcam"') && !r.endsWith('}}'))).toBe(true);
    expect(client.messages.slice(from).find((m) => m && isJson(m['foo']))).toMatchObject({ foo: { command: 'bar' } });
    const after = client.mark();
    await client.waitForPrint('a normal push after the faults', (p) => p['msg'] === 1, after);
  });
});

describe('Bambu simulator: scale', () => {
  it('starts fifty printers on one CA quickly and each serves its own serial', async () => {
    const shared = createSimulatorCa();
    const started = Date.now();
    const sims = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const sim = new BambuSimulator({
          serial: `SCALE${String(i).padStart(10, '0')}`,
          accessCode: ACCESS,
          ca: shared,
          pushIntervalMs: 1000,
        });
        await sim.start();
        cleanups.push(() => sim.stop());
        return sim;
      }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    const picks = [sims[0], sims[25], sims[49]].filter((s): s is BambuSimulator => s !== undefined);
    for (const sim of picks) {
      const client = await connect(sim);
      expect((client.client.stream as TLSSocket).getPeerCertificate().subject.CN).toBe(sim.serial);
      expect((await client.pushall())['gcode_state']).toBe('IDLE');
    }
  });
});
