import { createHash, randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { BambuSimulator, type BambuSimulatorOptions, createSimulatorCa } from '../../../../../simulators/src/bambu/index.js';
import { FtpsTestClient } from '../../../../../simulators/src/bambu/test-support.js';
import { PrinterCommandError, type PrinterConnection, UnsupportedCommandError } from '../../driver.js';
import { offlineState } from '../../state.js';
import { cleanupAfterEach, freePort, localConnection, Recorder, recordingLogger, sleep, waitFor } from '../test-support.js';
import { BambuDriver, type BambuDriverOptions, testBambuConnection } from './index.js';

const SERIAL = '01P00A123456789';
const ACCESS_CODE = '12345678';
const CA = createSimulatorCa();
const OTHER_CA = createSimulatorCa('Not the BBL CA');

// At speed 100: ~1 s heating, ~2 s printing.
const SHORT_PLAN = { heatSeconds: 100, durationSeconds: 200, totalLayers: 20, nozzleTarget: 215, bedTarget: 60 };
// A print that does not end during a test.
const LONG_PLAN = { heatSeconds: 20, durationSeconds: 1_000_000, totalLayers: 500 };

type Json = Record<string, unknown>;

const cleanups = cleanupAfterEach();

async function startSimulator(options: Partial<BambuSimulatorOptions> = {}): Promise<BambuSimulator> {
  const sim = new BambuSimulator({
    serial: SERIAL,
    accessCode: ACCESS_CODE,
    model: 'P1S',
    mqttPort: 0,
    ftpsPort: 0,
    ca: CA,
    speed: 100,
    pushIntervalMs: 100,
    cancelErrorClearMs: 300,
    requireSessionReuse: true,
    plan: SHORT_PLAN,
    ...options,
  });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

function connectionTo(sim: BambuSimulator, overrides: Partial<PrinterConnection> = {}): PrinterConnection {
  return localConnection('bambu', sim.mqttPort, {
    printerId: 42,
    host: sim.host,
    serial: sim.serial,
    accessCode: ACCESS_CODE,
    ...overrides,
  });
}

function makeDriver(sim: BambuSimulator, connection: Partial<PrinterConnection> = {}, options: Partial<BambuDriverOptions> = {}) {
  const logger = recordingLogger();
  const driver = new BambuDriver(connectionTo(sim, connection), {
    logger,
    requestTimeoutMs: 2000,
    keepaliveMs: 5000,
    caCertificates: [sim.caPem],
    ftpsPort: sim.ftpsPort,
    ...options,
  });
  cleanups.push(() => driver.close());
  return { driver, logger, recorder: new Recorder() };
}

async function connected(simOptions: Partial<BambuSimulatorOptions> = {}, driverOptions: Partial<BambuDriverOptions> = {}) {
  const sim = await startSimulator(simOptions);
  const made = makeDriver(sim, {}, driverOptions);
  await made.driver.connect(made.recorder);
  return { sim, ...made };
}

function commandsOf(sim: BambuSimulator, section: string, command: string): Json[] {
  return sim
    .commands()
    .map((c) => c[section])
    .filter((b): b is Json => typeof b === 'object' && b !== null && !Array.isArray(b) && (b as Json)['command'] === command);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection');
}

describe('BambuDriver: TLS and credentials', () => {
  it('connects with full verification (simulator CA via caCertificates, serial as the certificate name) and emits one full state', async () => {
    const { driver, recorder, logger } = await connected();
    const first = recorder.patches[0] ?? {};
    expect(Object.keys(first).sort()).toEqual(Object.keys(offlineState()).sort());
    expect(first).toMatchObject({
      status: 'idle',
      online: true,
      stage: null,
      progress: null,
      file_name: null,
      lights_on: false,
      speed_level: 'standard',
      speed_factor: 100,
      nozzle_type: 'hardened_steel',
      nozzle_diameter: 0.4,
      chamber_temp: null,
      hms_errors: [],
      error_code: null,
    });
    expect(first.ams).toHaveLength(1);
    expect(first.ams?.[0]?.trays).toHaveLength(4);
    expect(first.ams?.[0]?.trays[0]).toMatchObject({ slot: 0, tray_id: 0, empty: false, type: 'PLA', color: '000000FF', remain: 83 });
    expect(first.ams?.[0]?.trays[0]?.tag_uid).toMatch(/^[0-9A-F]{8}00000100$/);
    expect(driver.version).toMatchObject({ model: 'P1S', family: 'P1', firmware: '01.08.01.00' });
    expect(driver.supports.has('emergencyStop')).toBe(false);
    expect(logger.warnings).toEqual([]);
  });

  it('follows an AMS tray changed in a delta, between reports that reuse the unchanged AMS', async () => {
    const { sim, recorder } = await connected();
    const before = recorder.state.ams;
    sim.setTargets({ bed: 55 }); // a delta without AMS fields: the AMS list is the same object
    await waitFor('the bed target', () => recorder.state.bed_target_temp === 55);
    expect(recorder.state.ams).toBe(before);
    sim.setTray(0, 1, { type: 'PETG', color: '00FF00', remain: 42 });
    await waitFor('the new tray', () => recorder.state.ams?.[0]?.trays[1]?.type === 'PETG');
    expect(recorder.state.ams?.[0]?.trays[1]).toMatchObject({ slot: 1, tray_id: 1, type: 'PETG', color: '00FF00FF', remain: 42 });
  });

  it('refuses a certificate signed by another CA, in words', async () => {
    const sim = await startSimulator();
    const { driver, recorder } = makeDriver(sim, {}, { caCertificates: [OTHER_CA.caPem] });
    const err = await rejection(driver.connect(recorder));
    expect(err.message).toMatch(
      /^TLS: the certificate of 127\.0\.0\.1:\d+ is not signed by a trusted Bambu Lab CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
    );
    expect(err.message).toContain('ODIN_BAMBU_CA_FILE');
    // With no CA at all (none built in yet, none configured) the message says so.
    const bare = makeDriver(sim, {}, { caCertificates: [] });
    expect((await rejection(bare.driver.connect(bare.recorder))).message).toContain('ODIN has no Bambu Lab CA built in yet');
    expect(recorder.disconnects).toEqual([]);
  });

  it('refuses a certificate whose name is not the serial, naming both', async () => {
    const sim = await startSimulator();
    const { driver, recorder } = makeDriver(sim, { serial: '01P00AWRONG0000' });
    const err = await rejection(driver.connect(recorder));
    expect(err.message).toBe(
      `TLS: certificate name does not match serial 01P00AWRONG0000 (the printer presented "${SERIAL}") — is the serial right?`,
    );
  });

  it('connects without any CA when certificate checks are switched off for the printer', async () => {
    const sim = await startSimulator();
    const { driver, recorder } = makeDriver(sim, { tlsInsecure: true }, { caCertificates: [] });
    await driver.connect(recorder);
    expect(recorder.state).toMatchObject({ status: 'idle', online: true });
    // Still the wrong printer: the report topic of another serial is refused.
    const wrong = makeDriver(sim, { tlsInsecure: true, serial: '01P00AWRONG0000' }, { caCertificates: [] });
    expect((await rejection(wrong.driver.connect(wrong.recorder))).message).toBe(
      'The printer refused the subscription to device/01P00AWRONG0000/report — is the serial right?',
    );
  });

  it('falls back to api_key "serial|access_code" when serial and access code are not set', async () => {
    const sim = await startSimulator();
    const { driver, recorder } = makeDriver(sim, { serial: null, accessCode: null, apiKey: `${SERIAL}|${ACCESS_CODE}` });
    await driver.connect(recorder);
    expect(recorder.state.online).toBe(true);
    const missing = makeDriver(sim, { serial: null, accessCode: null });
    expect((await rejection(missing.driver.connect(missing.recorder))).message).toMatch(/No serial number is set/);
  });

  it('test connection: describes the printer, or says the access code was refused', async () => {
    const sim = await startSimulator({ model: 'X1C' });
    const options = { logger: recordingLogger(), requestTimeoutMs: 2000, caCertificates: [sim.caPem] };
    const ok = await testBambuConnection(connectionTo(sim), options);
    expect(ok).toMatchObject({
      ok: true,
      info: {
        model: 'X1C',
        product_name: 'Bambu Lab X1-Carbon',
        firmware: '01.08.02.00',
        status: 'idle',
        ams_units: 1,
        tls_verified: true,
      },
    });
    expect(ok.message).toBe(`Bambu Lab X1-Carbon ${SERIAL}, firmware 01.08.02.00: idle, 1 AMS unit. Certificate verified.`);
    const refused = await testBambuConnection(connectionTo(sim, { accessCode: '00000000' }), options);
    expect(refused).toEqual({
      ok: false,
      message: "Access code refused by the printer — check the LAN access code on the printer's screen",
    });
    const noCode = await testBambuConnection(connectionTo(sim, { accessCode: null }), options);
    expect(noCode.ok).toBe(false);
    expect(noCode.message).toMatch(/access code/);
    expect(sim.clientCount).toBe(0);
  });

  it('says so when the host refuses, or closes at once', async () => {
    const sim = await startSimulator();
    const port = await freePort();
    const closed = makeDriver(sim, { port });
    expect((await rejection(closed.driver.connect(closed.recorder))).message).toBe(
      `Connection refused by 127.0.0.1:${port} — is the printer on, with LAN mode switched on?`,
    );
    sim.refuseConnections(true);
    const refused = makeDriver(sim);
    expect((await rejection(refused.driver.connect(refused.recorder))).message).toMatch(/^127\.0\.0\.1:\d+ closed the connection/);
  });

  it('gives up in words when the printer accepts the session but never reports', async () => {
    const sim = await startSimulator();
    sim.stall(true);
    const { driver, recorder } = makeDriver(sim, {}, { requestTimeoutMs: 500 });
    const err = await rejection(driver.connect(recorder));
    expect(err.message).toMatch(/^127\.0\.0\.1:\d+ accepted the connection, but sent no status report within 0\.5 s of pushall/);
    expect(recorder.patches).toEqual([]);
    await waitFor('the MQTT client gone', () => sim.clientCount === 0);
  });
});

describe('BambuDriver: live state', () => {
  it('follows a print preparing → printing → finished, with the AMS running down and HMS messages', async () => {
    const { sim, recorder } = await connected();
    const from = recorder.patches.length;
    sim.startPrint('benchy.3mf');
    await waitFor('printing', () => recorder.state.status === 'printing');
    expect(recorder.state).toMatchObject({
      file_name: 'benchy',
      total_layers: 20,
      stage: 'printing',
      nozzle_target_temp: 215,
      bed_target_temp: 60,
    });
    sim.injectHms(0x07002000, 0x00020001);
    await waitFor('HMS', () => recorder.state.hms_errors.length === 1);
    expect(recorder.state.hms_errors).toEqual([
      { code: '0700_2000_0002_0001', severity: 'serious', message: 'AMS A slot 1 has run out of filament' },
    ]);
    await waitFor('finished', () => recorder.state.status === 'finished');
    expect(recorder.statuses(from)).toEqual(['preparing', 'printing', 'finished']);
    expect(recorder.state).toMatchObject({ progress: 100, remaining_seconds: 0, current_layer: 20 });
    const progresses = recorder.patches.slice(from).flatMap((p) => (p.progress === undefined || p.progress === null ? [] : [p.progress]));
    expect(progresses.length).toBeGreaterThan(2);
    expect([...progresses].sort((a, b) => a - b)).toEqual(progresses);
    // The spool that fed the print ran down.
    expect(recorder.state.ams?.[0]?.trays[0]?.remain).toBeLessThan(83);
    sim.clearHms();
    await waitFor('HMS cleared', () => recorder.state.hms_errors.length === 0);
    expect(recorder.disconnects).toEqual([]);
  });

  it('follows AMS changes: an emptied slot, a third-party spool', async () => {
    const { sim, recorder } = await connected();
    sim.setTray(0, 2, null);
    await waitFor('slot 3 empty', () => recorder.state.ams?.[0]?.trays[2]?.empty);
    expect(recorder.state.ams?.[0]?.trays[2]).toEqual({
      slot: 2,
      tray_id: 2,
      empty: true,
      type: null,
      color: null,
      remain: null,
      tag_uid: null,
      tray_uuid: null,
      filament_id: null,
    });
    sim.setTray(0, 3, { type: 'PETG', color: '00ae42', remain: -1 });
    await waitFor('PETG in slot 4', () => recorder.state.ams?.[0]?.trays[3]?.type === 'PETG');
    expect(recorder.state.ams?.[0]?.trays[3]).toMatchObject({
      empty: false,
      color: '00AE42FF',
      remain: null,
      tag_uid: null,
      tray_uuid: null,
      filament_id: 'GFG99',
    });
    sim.setAmsEnvironment(0, { humidityIndex: 2 });
    await waitFor('humidity index', () => recorder.state.ams?.[0]?.humidity_index === 2);
  });

  it('drops garbage, truncated JSON and unknown sections without a state change or a disconnect', async () => {
    const { sim, recorder, logger } = await connected();
    const from = recorder.patches.length;
    sim.sendGarbage();
    sim.sendTruncatedJson();
    sim.sendUnknownSection();
    await sleep(200);
    sim.setTray(0, 1, null);
    await waitFor('the real change after the garbage', () => recorder.state.ams?.[0]?.trays[1]?.empty);
    const later = recorder.patches.slice(from);
    expect(later.every((p) => Object.keys(p).every((k) => k === 'ams'))).toBe(true);
    expect(recorder.state).toMatchObject({ status: 'idle', online: true, lights_on: false, hms_errors: [] });
    expect(recorder.disconnects).toEqual([]);
    expect(logger.warnings.length).toBeGreaterThan(0);
    expect(logger.warnings.length).toBeLessThanOrEqual(11); // rate-limited: 10 a minute
    expect(logger.errors).toEqual([]);
  });

  it('reports an X1C (full report on every push) and an H2D (chamber, dual lights)', async () => {
    const x1 = await connected({ model: 'X1C', serial: 'X1C00A000000001' });
    expect(x1.recorder.state).toMatchObject({ status: 'idle', lights_on: true, chamber_temp: expect.any(Number) as number });
    expect(x1.driver.version?.model).toBe('X1C');
    const alive = x1.recorder.alive;
    await waitFor('keepalive-style onAlive from unchanged full reports', () => x1.recorder.alive > alive + 2);
    const h2 = await connected({ model: 'H2D', serial: 'H2D00A000000001' });
    expect(h2.driver.version?.model).toBe('H2D');
    await h2.driver.setLight(false);
    const nodes = commandsOf(h2.sim, 'system', 'ledctrl').map((c) => c['led_node']);
    expect(nodes).toEqual(['chamber_light', 'chamber_light2']);
    await waitFor('lights off', () => h2.recorder.state.lights_on === false);
  });
});

describe('BambuDriver: commands', () => {
  it('pause, resume and stop; a stop is cancelled, also after print_error clears', async () => {
    const { sim, recorder, driver } = await connected({ plan: LONG_PLAN });
    sim.startPrint('long.3mf');
    await waitFor('printing', () => recorder.state.status === 'printing');
    await driver.pause();
    await waitFor('paused', () => recorder.state.status === 'paused');
    expect(recorder.state.stage).toBe('paused by user');
    await driver.resume();
    await waitFor('printing again', () => recorder.state.status === 'printing');
    await driver.stop();
    await waitFor('cancelled', () => recorder.state.status === 'cancelled');
    expect(recorder.state).toMatchObject({ error_code: '0300_400C', error_message: 'The print was cancelled' });
    // print_error goes back to 0 after 300 ms while gcode_state stays FAILED: still cancelled.
    await waitFor('print_error cleared', () => recorder.state.error_code === null, 3000);
    await sleep(200);
    expect(sim.gcodeState).toBe('FAILED');
    expect(recorder.state.status).toBe('cancelled');
    expect(recorder.statuses().filter((s) => s === 'error')).toEqual([]);
    // Acks are correlated by unique sequence ids, sent with QoS 1.
    const ids = ['pause', 'resume', 'stop'].map((c) => commandsOf(sim, 'print', c)[0]?.['sequence_id']);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^\d+$/);
  });

  it("rejects with the printer's reason when it refuses, and with 504 when it does not answer", async () => {
    const { sim, driver } = await connected({}, { requestTimeoutMs: 500 });
    const refused = await rejection(driver.pause());
    expect(refused).toBeInstanceOf(PrinterCommandError);
    expect(refused.message).toBe('The printer refused pause: pause failed: no print in progress');
    expect((refused as PrinterCommandError).status).toBe(409);
    sim.stall(true);
    const started = Date.now();
    const silent = await rejection(driver.resume());
    expect(silent).toBeInstanceOf(PrinterCommandError);
    expect((silent as PrinterCommandError).status).toBe(504);
    expect(silent.message).toBe('No answer from the printer to resume within 0.5 s');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('switches the chamber light', async () => {
    const { sim, recorder, driver } = await connected();
    await driver.setLight(true);
    await waitFor('light on', () => recorder.state.lights_on === true);
    await driver.setLight(false);
    await waitFor('light off', () => recorder.state.lights_on === false);
    expect(commandsOf(sim, 'system', 'ledctrl').map((c) => [c['led_node'], c['led_mode']])).toEqual([
      ['chamber_light', 'on'],
      ['chamber_light', 'off'],
    ]);
  });

  it('sends gcode (with the trailing newline) and temperatures through gcode_line', async () => {
    const { sim, recorder, driver } = await connected();
    await driver.setTemperatures({ nozzle: 200.4, bed: 55 });
    await waitFor('targets', () => recorder.state.nozzle_target_temp === 200 && recorder.state.bed_target_temp === 55);
    await driver.sendGcode('M104 S180');
    await waitFor('nozzle target 180', () => recorder.state.nozzle_target_temp === 180);
    expect(commandsOf(sim, 'print', 'gcode_line').map((c) => c['param'])).toEqual(['M104 S200\nM140 S55\n', 'M104 S180\n']);
    expect(((await rejection(driver.sendGcode('  '))) as PrinterCommandError).status).toBe(400);
    expect(((await rejection(driver.setTemperatures({ nozzle: Number.NaN }))) as PrinterCommandError).status).toBe(400);
    await expect(driver.emergencyStop()).rejects.toBeInstanceOf(UnsupportedCommandError);
  });

  it('uploads over FTPS with TLS session reuse, then starts the project with project_file', async () => {
    const { sim, recorder, driver } = await connected({ requireSessionReuse: true });
    // Control: this simulator really refuses a data connection that does not resume the TLS session.
    const plain = await FtpsTestClient.connect(sim);
    cleanups.push(() => Promise.resolve(plain.close()));
    await plain.setup(ACCESS_CODE);
    expect((await plain.upload('no-reuse.3mf', Buffer.from('x'), { reuse: false })).first.code).toBe(425);
    const data = randomBytes(300_000);
    await driver.upload('cube.3mf', data, { startPrint: true });
    expect(sim.uploads()).toEqual([{ name: 'cube.3mf', size: data.length, md5: createHash('md5').update(data).digest('hex') }]);
    const [start] = commandsOf(sim, 'print', 'project_file');
    expect(start).toMatchObject({
      command: 'project_file',
      param: 'Metadata/plate_1.gcode',
      url: 'file:///sdcard/cube.3mf',
      subtask_name: 'cube',
      use_ams: true,
      ams_mapping: [0],
      bed_leveling: true,
      timelapse: false,
      project_id: '0',
      task_id: '0',
    });
    expect(typeof start?.['sequence_id']).toBe('string');
    await waitFor('the print started', () => recorder.state.status === 'preparing' || recorder.state.status === 'printing');
    expect(recorder.state.file_name).toBe('cube');
    expect(sim.currentJob()).toMatchObject({ fileName: '/cube.3mf', useAms: true, amsMapping: [0], bedLeveling: true });
  });

  it('newer models (H2D) get ftp:/// URLs; plain gcode goes through gcode_file', async () => {
    const { sim, driver, recorder } = await connected({ model: 'H2D', serial: 'H2D00A000000002' });
    await driver.upload('part.gcode.3mf', randomBytes(10_000), { startPrint: true });
    expect(commandsOf(sim, 'print', 'project_file')[0]).toMatchObject({ url: 'ftp:///part.gcode.3mf', subtask_name: 'part' });
    await waitFor('started', () => recorder.state.status !== 'idle');

    const p1 = await connected({ serial: 'P1S00A000000003' });
    await p1.driver.upload('calib.gcode', Buffer.from('G28\n'), { startPrint: true });
    expect(commandsOf(p1.sim, 'print', 'gcode_file')[0]).toMatchObject({ param: '/sdcard/calib.gcode' });
    await expect(p1.driver.startFile('notes.txt')).rejects.toThrow(/\.3mf projects or \.gcode files/);
    await expect(p1.driver.upload('sub/dir.3mf', Buffer.from('x'), { startPrint: false })).rejects.toThrow(/names a folder/);
    await expect(p1.driver.upload('evil\r\nDELE x.3mf', Buffer.from('x'), { startPrint: false })).rejects.toThrow(/Invalid file name/);
  });

  it('an upload cut off mid-transfer fails in words without crashing; the session carries on', async () => {
    const { sim, driver, recorder } = await connected();
    sim.failFtpsMidTransfer(true);
    const err = await rejection(driver.upload('big.3mf', randomBytes(2_000_000), { startPrint: true }));
    expect(err).toBeInstanceOf(PrinterCommandError);
    expect(err.message).toMatch(/^The (printer cut off the upload of big\.3mf|upload of big\.3mf to 127\.0\.0\.1:\d+ was cut off)/);
    expect(sim.uploads()).toEqual([]);
    expect(commandsOf(sim, 'print', 'project_file')).toEqual([]);
    await driver.setLight(true);
    sim.failFtpsMidTransfer(false);
    await driver.upload('big.3mf', randomBytes(200_000), { startPrint: false });
    expect(sim.uploads().map((u) => u.name)).toEqual(['big.3mf']);
    expect(recorder.disconnects).toEqual([]);
  });

  it('FTPS with a changed access code, or a certificate of the wrong CA, fails in words', async () => {
    const { sim, driver } = await connected();
    sim.setAccessCode('87654321');
    const refused = await rejection(driver.upload('a.3mf', Buffer.from('x'), { startPrint: false }));
    expect(refused.message).toMatch(/^Access code refused by the printer .*\(FTPS on 127\.0\.0\.1:\d+\)$/);
    sim.setAccessCode(ACCESS_CODE);
    const other = makeDriver(sim, {}, { caCertificates: [OTHER_CA.caPem] });
    const untrusted = await rejection(other.driver.upload('a.3mf', Buffer.from('x'), { startPrint: false }));
    expect(untrusted.message).toMatch(/^TLS: the certificate of 127\.0\.0\.1:\d+ is not signed by a trusted Bambu Lab CA/);
    expect(sim.uploads()).toEqual([]);
  });

  it('announces the built-in camera: RTSPS on X1C, the port-6000 JPEG stream on P1S, none while H2D liveview is off', async () => {
    const p1 = await connected({ serial: 'P1S00A000000004' });
    expect(await p1.driver.discoverCameras()).toEqual([
      { name: 'Chamber camera', streamUrl: 'bambu-jpeg://127.0.0.1:6000', snapshotUrl: null, kind: 'jpeg-tcp' },
    ]);
    const x1 = await connected({ model: 'X1C', serial: 'X1C00A000000004' });
    expect(await x1.driver.discoverCameras()).toEqual([
      { name: 'Chamber camera', streamUrl: 'rtsps://127.0.0.1:322/streaming/live/1', snapshotUrl: null, kind: 'rtsp' },
    ]);
    const h2 = await connected({ model: 'H2D', serial: 'H2D00A000000004' });
    expect(await h2.driver.discoverCameras()).toEqual([]);
    h2.sim.setLiveview(true);
    await waitFor('rtsp_url in the report', () => {
      const ipcam = h2.driver.report?.['ipcam'];
      return typeof ipcam === 'object' && ipcam !== null && String((ipcam as Json)['rtsp_url']).startsWith('rtsps://');
    });
    expect((await h2.driver.discoverCameras())[0]).toMatchObject({ kind: 'rtsp', streamUrl: 'rtsps://127.0.0.1:322/streaming/live/1' });
  });
});

describe('BambuDriver: the end of a session', () => {
  it('stall: the watchdog asks for pushall again, then ends the session within the silence limit', async () => {
    const { sim, driver, recorder } = await connected({}, { silenceLimitMs: 1000 });
    const pushallsBefore = commandsOf(sim, 'pushing', 'pushall').length;
    sim.stall(true);
    const started = Date.now();
    await waitFor('onDisconnect', () => recorder.disconnects.length > 0, 5000);
    const took = Date.now() - started;
    // The limit counts from the last message (up to one push interval before the stall) plus a watchdog tick.
    expect(took).toBeGreaterThan(700);
    expect(took).toBeLessThan(2500);
    expect(recorder.disconnects).toHaveLength(1);
    expect(recorder.disconnects[0]).toMatch(
      /^No report from the printer for 1(\.\d)? s — the MQTT session was up, but the printer stopped pushing$/,
    );
    expect(driver.watchdogPushalls).toBe(1);
    expect(commandsOf(sim, 'pushing', 'pushall').length).toBe(pushallsBefore + 1);
    await expect(driver.pause()).rejects.toMatchObject({ status: 503 });
    await waitFor('the MQTT client gone', () => sim.clientCount === 0);
  });

  it('a short stall: the re-requested pushall is answered and the session stays', async () => {
    const { sim, driver, recorder } = await connected({}, { silenceLimitMs: 2000 });
    sim.stall(true);
    await waitFor('watchdog pushall', () => driver.watchdogPushalls === 1, 3000);
    sim.stall(false);
    await sleep(1500);
    expect(recorder.disconnects).toEqual([]);
    await driver.setLight(true);
  });

  it('a dropped connection ends the session with onDisconnect; pending commands fail', async () => {
    const { sim, driver, recorder } = await connected({}, { requestTimeoutMs: 5000 });
    sim.stall(true);
    const pending = rejection(driver.pause());
    await sleep(100);
    sim.dropConnections();
    await waitFor('onDisconnect', () => recorder.disconnects.length > 0);
    expect(recorder.disconnects[0]).toMatch(/^The connection to 127\.0\.0\.1:\d+ was lost/);
    const err = await pending;
    expect(err).toBeInstanceOf(PrinterCommandError);
    expect(err.message).toMatch(/^The connection to the printer was lost/);
    await expect(driver.resume()).rejects.toMatchObject({ status: 503 });
    // close() after the end is quiet and safe twice.
    await driver.close();
    await driver.close();
    expect(recorder.disconnects).toHaveLength(1);
  });

  it('close() ends a live session without onDisconnect, and a new connect() starts a fresh one', async () => {
    const { sim, driver, recorder } = await connected();
    await driver.close();
    await waitFor('client gone', () => sim.clientCount === 0);
    expect(recorder.disconnects).toEqual([]);
    const again = new Recorder();
    await driver.connect(again);
    expect(again.patches[0]).toMatchObject({ status: 'idle', online: true });
  });
});
