import { createServer as createHttpServer, type Server } from 'node:http';

import { describe, expect, it } from 'vitest';

import { MoonrakerSimulator, type MoonrakerSimulatorOptions } from '../../../../../simulators/src/moonraker/index.js';
import { PrinterCommandError, type PrinterConnection, UnsupportedCommandError } from '../../driver.js';
import { offlineState, PRINTER_STATUSES } from '../../state.js';
import { cleanupAfterEach, freePort, localConnection, Recorder, recordingLogger, sleep, waitFor } from '../test-support.js';
import { MoonrakerDriver, type MoonrakerDriverOptions, testMoonrakerConnection } from './index.js';

// A print of 100 s heating + 100 s printing at 100× speed: ~1 s of each in real time.
const SHORT_PRINT = { heatSeconds: 100, durationSeconds: 100, totalLayers: 20, nozzleTarget: 215, bedTarget: 60 };
// A print that will not end during a test.
const LONG_PRINT = { heatSeconds: 5, durationSeconds: 1_000_000, totalLayers: 500 };

const cleanups = cleanupAfterEach();

function connectionTo(port: number, apiKey: string | null = null): PrinterConnection {
  return localConnection('moonraker', port, { printerId: 7, apiKey });
}

async function startSimulator(options: MoonrakerSimulatorOptions = {}): Promise<MoonrakerSimulator> {
  const sim = new MoonrakerSimulator({ speed: 100, diffIntervalMs: 40, plan: SHORT_PRINT, ...options });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

function makeDriver(port: number, options: Partial<MoonrakerDriverOptions> & { apiKey?: string | null } = {}) {
  const logger = recordingLogger();
  const { apiKey = null, ...rest } = options;
  const driver = new MoonrakerDriver(connectionTo(port, apiKey), { logger, requestTimeoutMs: 2000, klippyPollMs: 100, ...rest });
  cleanups.push(() => driver.close());
  return { driver, logger, recorder: new Recorder() };
}

async function connected(options: MoonrakerSimulatorOptions = {}, driverOptions: Partial<MoonrakerDriverOptions> = {}) {
  const sim = await startSimulator(options);
  const made = makeDriver(sim.port, { apiKey: options.apiKey ?? null, ...driverOptions });
  await made.driver.connect(made.recorder);
  return { sim, ...made };
}

describe('MoonrakerDriver session', () => {
  it('connects and emits one full normalised state first', async () => {
    const { driver, recorder, sim } = await connected();
    expect(recorder.patches.length).toBeGreaterThanOrEqual(1);
    const first = recorder.patches[0] ?? {};
    expect(Object.keys(first).sort()).toEqual(Object.keys(offlineState()).sort());
    expect(first).toMatchObject({
      status: 'idle',
      online: true,
      stage: null,
      nozzle_temp: 22,
      nozzle_target_temp: 0,
      bed_temp: 22,
      bed_target_temp: 0,
      progress: null,
      file_name: null,
      fan_speed: 0,
      speed_factor: 100,
      lights_on: null,
      error_message: null,
    });
    expect(PRINTER_STATUSES).toContain(first.status);
    expect(driver.supports.has('setLight')).toBe(false);
    expect([...driver.supports].sort()).toEqual([
      'emergencyStop',
      'pause',
      'resume',
      'sendGcode',
      'setTemperatures',
      'startFile',
      'stop',
      'upload',
    ]);
    expect(sim.clientCount).toBe(1);
  });

  it('follows a print started on the printer: preparing → printing → finished, never idle or offline in between', async () => {
    const { sim, recorder } = await connected();
    const from = recorder.patches.length;
    sim.startPrint('benchy.gcode');
    await waitFor('the print to finish', () => recorder.state.status === 'finished', 10_000);

    expect(recorder.statuses(from)).toEqual(['preparing', 'printing', 'finished']);
    const patches = recorder.patches.slice(from);
    // While preparing the stage says so; progress only rises; layers climb to the total.
    expect(patches.find((p) => p.status === 'preparing')).toMatchObject({ stage: 'heating', file_name: 'benchy.gcode', total_layers: 20 });
    const progress = patches.flatMap((p) => (p.progress === undefined || p.progress === null ? [] : [p.progress]));
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
    const layers = new Set(patches.flatMap((p) => (typeof p.current_layer === 'number' ? [p.current_layer] : [])));
    expect(layers.size).toBeGreaterThan(3);
    expect(recorder.state).toMatchObject({
      progress: 100,
      current_layer: 20,
      total_layers: 20,
      remaining_seconds: 0,
      file_name: 'benchy.gcode',
    });
    // Diffs only carry changed fields; the merged state kept everything else.
    expect(recorder.state.nozzle_target_temp).toBe(0);
    expect(recorder.state.elapsed_seconds).toBeGreaterThanOrEqual(200);
    // A finished print stays finished (Klipper keeps print_stats "complete" until the next print).
    await sleep(200);
    expect(recorder.state.status).toBe('finished');
  });

  it('remaining time is derived from print_duration and progress while printing', async () => {
    const { sim, recorder } = await connected({ plan: { heatSeconds: 0, durationSeconds: 10_000, totalLayers: 100 } });
    sim.startPrint('long.gcode');
    await waitFor('progress', () => (recorder.state.progress ?? 0) > 1);
    const { remaining_seconds: remaining, progress } = recorder.state;
    expect(remaining).not.toBeNull();
    // remaining = duration × (1 − progress), within rounding and the time between two pushes.
    expect(Math.abs((remaining ?? 0) - 10_000 * (1 - (progress ?? 0) / 100))).toBeLessThan(60);
  });

  it('pauses, resumes and stops a print through HTTP commands', async () => {
    const { sim, driver, recorder } = await connected({ plan: LONG_PRINT });
    sim.startPrint('long.gcode');
    await waitFor('printing', () => recorder.state.status === 'printing');

    await driver.pause();
    await waitFor('paused', () => recorder.state.status === 'paused');
    expect(sim.phase).toBe('paused');
    const pausedAt = recorder.state.progress;

    await driver.resume();
    await waitFor('printing again', () => recorder.state.status === 'printing');
    expect(sim.phase).toBe('printing');
    expect(recorder.state.progress).toBeGreaterThanOrEqual(pausedAt ?? 0);

    await driver.stop();
    await waitFor('cancelled', () => recorder.state.status === 'cancelled');
    expect(sim.phase).toBe('cancelled');
    expect(recorder.state.file_name).toBe('long.gcode');
    expect(recorder.disconnects).toEqual([]);
  });

  it('emergency stop shuts Klipper down: error with the reason, until Klipper is restarted', async () => {
    const { sim, driver, recorder } = await connected({ plan: LONG_PRINT });
    sim.startPrint('long.gcode');
    await waitFor('printing', () => recorder.state.status === 'printing');

    await driver.emergencyStop();
    await waitFor('error', () => recorder.state.status === 'error');
    expect(recorder.state.stage).toBe('Klipper shutdown');
    expect(recorder.state.error_message).toMatch(/^Shutdown due to M112 command/);
    expect(recorder.state.online).toBe(true);

    // Klipper refuses print commands while shut down; the driver passes its words on.
    await expect(driver.pause()).rejects.toMatchObject({
      name: 'PrinterCommandError',
      status: 409,
      message: expect.stringMatching(/M112/) as string,
    });

    sim.klippyReady();
    await waitFor('idle after the restart', () => recorder.state.status === 'idle');
    expect(recorder.state).toMatchObject({ stage: null, error_message: null, online: true, file_name: null });
    expect(recorder.disconnects).toEqual([]);
  });

  it('uploads a file and starts it when asked', async () => {
    const { sim, driver, recorder } = await connected();
    const gcode = Buffer.from('G28\nG1 X10 Y10 F3000\n'.repeat(100));

    await driver.upload('parts/bracket.gcode', gcode, { startPrint: true });
    await waitFor(
      'the uploaded print to start',
      () => recorder.state.file_name === 'parts/bracket.gcode' && recorder.state.status === 'preparing',
    );
    expect(sim.phase).toBe('heating');
    const listed = await fetch(`${sim.url}/server/files/list`).then(
      (r) => r.json() as Promise<{ result: { path: string; size: number }[] }>,
    );
    expect(listed.result).toContainEqual(expect.objectContaining({ path: 'parts/bracket.gcode', size: gcode.length }));

    // While it prints, another upload with print=true is stored but cannot start: the caller hears so.
    await expect(driver.upload('second.gcode', gcode, { startPrint: true })).rejects.toMatchObject({ status: 409 });
  });

  it('uploads without printing, then starts the stored file', async () => {
    const { sim, driver, recorder } = await connected();
    await driver.upload('cube.gcode', Buffer.from('G28\n'), { startPrint: false });
    await sleep(100);
    expect(sim.phase).toBe('idle');
    await driver.startFile('cube.gcode');
    await waitFor('the print to start', () => recorder.state.file_name === 'cube.gcode' && recorder.state.status !== 'idle');
    // Klipper refuses a second print while one runs ("SD busy").
    await expect(driver.startFile('cube.gcode')).rejects.toMatchObject({ status: 409, message: 'SD busy' });
    await expect(driver.startFile('missing.gcode')).rejects.toBeInstanceOf(PrinterCommandError);
  });

  it('sets heater targets with SET_HEATER_TEMPERATURE', async () => {
    const { driver, recorder } = await connected();
    await driver.setTemperatures({ nozzle: 200, bed: 55 });
    await waitFor('new targets', () => recorder.state.nozzle_target_temp === 200 && recorder.state.bed_target_temp === 55);
    await waitFor('the nozzle to warm up', () => (recorder.state.nozzle_temp ?? 0) > 30);
    await driver.setTemperatures({ nozzle: 0 });
    await waitFor('nozzle target off', () => recorder.state.nozzle_target_temp === 0);
    expect(recorder.state.bed_target_temp).toBe(55);
    await expect(driver.setTemperatures({ nozzle: 999 })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/out of range/) as string,
    });
    await expect(driver.setTemperatures({ bed: Number.NaN })).rejects.toMatchObject({ status: 400 });
  });

  it('sends gcode and reports speed factor and fan changes', async () => {
    const { driver, recorder } = await connected();
    await driver.sendGcode('M220 S150\nM106 S128');
    await waitFor('speed factor and fan', () => recorder.state.speed_factor === 150 && recorder.state.fan_speed === 50.2);
  });

  it('does not support lights', async () => {
    const { driver } = await connected();
    await expect(driver.setLight(true)).rejects.toBeInstanceOf(UnsupportedCommandError);
  });

  it('turns HTTP failures into PrinterCommandError with the printer message', async () => {
    const { sim, driver } = await connected();
    sim.failHttp(500);
    await expect(driver.pause()).rejects.toMatchObject({ name: 'PrinterCommandError', status: 502, message: 'Simulated failure' });
    sim.failHttp(null);
    await expect(driver.pause()).resolves.toBeUndefined();
  });
});

describe('MoonrakerDriver and Klippy state', () => {
  it('Klipper shutdown → error with its message; ready → back, on the same session', async () => {
    const { sim, recorder } = await connected({ plan: LONG_PRINT });
    sim.startPrint('long.gcode');
    await waitFor('printing', () => recorder.state.status === 'printing');

    sim.klippyShutdown("MCU 'mcu' shutdown: Timer too close");
    await waitFor('error', () => recorder.state.status === 'error');
    expect(recorder.state).toMatchObject({ stage: 'Klipper shutdown', error_message: "MCU 'mcu' shutdown: Timer too close", online: true });

    sim.klippyReady();
    await waitFor('idle', () => recorder.state.status === 'idle');
    expect(recorder.state).toMatchObject({ stage: null, error_message: null, online: true });
    expect(recorder.disconnects).toEqual([]);
  });

  it('Klippy disconnected → offline but online; back when Klippy is ready, with a fresh subscription', async () => {
    const { sim, driver, recorder } = await connected();
    sim.klippyDisconnect();
    await waitFor('offline', () => recorder.state.status === 'offline');
    expect(recorder.state).toMatchObject({ online: true, stage: 'Klipper disconnected', nozzle_temp: null });

    sim.klippyReady();
    await waitFor('idle', () => recorder.state.status === 'idle' && recorder.state.nozzle_temp === 22);
    // The new subscription delivers diffs.
    await driver.setTemperatures({ bed: 70 });
    await waitFor('bed target', () => recorder.state.bed_target_temp === 70);
    expect(recorder.disconnects).toEqual([]);
  });

  it('connects while Klippy starts up, then follows it to ready by polling server.info', async () => {
    const sim = await startSimulator();
    sim.klippyStartup();
    const { driver, recorder } = makeDriver(sim.port);
    await driver.connect(recorder);
    expect(recorder.state).toMatchObject({ status: 'offline', online: true, stage: 'Klipper starting' });
    sim.klippyReady();
    await waitFor('ready', () => recorder.state.status === 'idle');
  });

  it('connects to a Klipper that is already shut down and reports why', async () => {
    const sim = await startSimulator();
    sim.klippyShutdown('Heater extruder not heating at expected rate');
    const { driver, recorder } = makeDriver(sim.port);
    await driver.connect(recorder);
    expect(recorder.state).toMatchObject({
      status: 'error',
      stage: 'Klipper shutdown',
      error_message: 'Heater extruder not heating at expected rate',
    });
  });
});

describe('MoonrakerDriver faults', () => {
  it('dropped connections → onDisconnect promptly; connect works again', async () => {
    const { sim, driver, recorder } = await connected();
    const dropped = Date.now();
    sim.dropConnections();
    await waitFor('onDisconnect', () => recorder.disconnects.length > 0, 1000);
    expect(Date.now() - dropped).toBeLessThan(1000);
    expect(recorder.disconnects).toHaveLength(1);

    const again = new Recorder();
    await driver.connect(again);
    expect(again.state.status).toBe('idle');
    expect(recorder.disconnects).toHaveLength(1);
  });

  it('malformed frames are logged and dropped; the session keeps working', async () => {
    const { sim, driver, recorder, logger } = await connected();
    await waitFor('a settled state', () => recorder.state.status === 'idle');
    const before = { ...recorder.state };
    const patchCount = recorder.patches.length;

    sim.sendGarbage();
    await waitFor('warnings', () => logger.warnings.length >= 8);
    await sleep(100);
    // Nothing in the garbage changed the state (wrong-typed fields never reach the cache).
    expect(recorder.patches.slice(patchCount)).toEqual([]);
    expect(recorder.state).toEqual(before);
    expect(logger.errors).toEqual([]);

    await driver.setTemperatures({ nozzle: 180 });
    await waitFor('the session to keep working', () => recorder.state.nozzle_target_temp === 180);
    expect(recorder.disconnects).toEqual([]);
  });

  it('a burst of reading diffs is merged into a state or two, ends on the true value, and a target still goes out at once', async () => {
    const { sim, recorder } = await connected({}, { readingsMs: 300 });
    await sleep(100);
    const truth = recorder.state.nozzle_temp;
    const patchCount = recorder.patches.length;
    sim.flood(500);
    // 500 diffs of temperatures only: emitted at most once per readingsMs, the last one true.
    await sleep(800);
    expect(recorder.patches.length - patchCount).toBeLessThanOrEqual(4);
    expect(recorder.state.nozzle_temp).toBe(truth);
    expect(recorder.state.status).toBe('idle');

    const started = performance.now();
    sim.setTargets({ bed: 61 });
    await waitFor('the bed target', () => recorder.state.bed_target_temp === 61);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('a stalled Moonraker is detected by the keepalive', async () => {
    const { sim, recorder } = await connected({}, { keepaliveMs: 100, pongTimeoutMs: 150 });
    // Pongs arrive while the printer is healthy.
    await sleep(400);
    expect(recorder.disconnects).toEqual([]);
    sim.stall(true);
    const reason = await waitFor('the keepalive to give up', () => recorder.disconnects[0], 2000);
    expect(reason).toMatch(/keepalive/);
  });

  it('close() while connecting rejects connect at once, without onDisconnect', async () => {
    const sim = await startSimulator();
    sim.stall(true);
    const { driver, recorder } = makeDriver(sim.port, { requestTimeoutMs: 5000 });
    const connecting = driver.connect(recorder);
    await sleep(50);
    const started = Date.now();
    await driver.close();
    await expect(connecting).rejects.toThrow(/closed before it was set up/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(recorder.disconnects).toEqual([]);
  });

  it('close() ends the session without onDisconnect', async () => {
    const { sim, driver, recorder } = await connected();
    await driver.close();
    await waitFor('the simulator to see the close', () => sim.clientCount === 0);
    await sleep(100);
    expect(recorder.disconnects).toEqual([]);
    await driver.close(); // twice is fine
  });
});

describe('MoonrakerDriver connection problems', () => {
  it('a wrong API key: connect rejects and the connection test says so', async () => {
    const sim = await startSimulator({ apiKey: 'right-key' });
    const { driver, recorder } = makeDriver(sim.port, { apiKey: 'wrong-key' });
    await expect(driver.connect(recorder)).rejects.toThrow('Moonraker refused the API key');
    expect(recorder.disconnects).toEqual([]);

    const test = await testMoonrakerConnection(connectionTo(sim.port, 'wrong-key'), { logger: recordingLogger() });
    expect(test).toEqual({ ok: false, message: 'Moonraker refused the API key' });

    const noKey = await testMoonrakerConnection(connectionTo(sim.port), { logger: recordingLogger() });
    expect(noKey.ok).toBe(false);
    expect(noKey.message).toMatch(/requires an API key/);
  });

  it('the right API key: the session works and commands carry X-Api-Key', async () => {
    const { driver, recorder, sim } = await connected({ apiKey: 'right-key' });
    expect(recorder.state.status).toBe('idle');
    await driver.setTemperatures({ nozzle: 190 });
    await waitFor('target', () => recorder.state.nozzle_target_temp === 190);
    const test = await testMoonrakerConnection(connectionTo(sim.port, 'right-key'), { logger: recordingLogger() });
    expect(test.ok).toBe(true);
    expect(test.info).toMatchObject({
      moonraker_version: 'v0.7.1-105-ge4f103c',
      klippy_state: 'ready',
      hostname: 'pi-debugger',
      software_version: 'v0.12.0-85-gd785b396',
    });
    expect(test.message).toMatch(/Moonraker v0\.7\.1.*Klipper v0\.12\.0.*pi-debugger.*ready/);
  });

  it('a refused port: clear messages from the test and from connect', async () => {
    const port = await freePort();
    const test = await testMoonrakerConnection(connectionTo(port), { logger: recordingLogger() });
    expect(test).toEqual({ ok: false, message: `Connection refused by 127.0.0.1:${port} — is Moonraker running?` });
    const { driver, recorder } = makeDriver(port);
    await expect(driver.connect(recorder)).rejects.toThrow(`Connection refused by 127.0.0.1:${port} — is Moonraker running?`);
  });

  it('a host that accepts but never answers: timeouts with clear messages', async () => {
    const sim = await startSimulator();
    sim.stall(true);
    const test = await testMoonrakerConnection(connectionTo(sim.port), { logger: recordingLogger(), requestTimeoutMs: 300 });
    expect(test).toEqual({ ok: false, message: `No answer from 127.0.0.1:${sim.port} within 0.3 s` });
    const { driver, recorder } = makeDriver(sim.port, { requestTimeoutMs: 300 });
    await expect(driver.connect(recorder)).rejects.toThrow(`No answer from 127.0.0.1:${sim.port} within 0.3 s`);
    await expect(driver.pause()).rejects.toMatchObject({ status: 504, message: `No answer from 127.0.0.1:${sim.port} within 0.3 s` });
  });

  it('connections reset at once: clear messages', async () => {
    const sim = await startSimulator();
    sim.refuseConnections(true);
    const test = await testMoonrakerConnection(connectionTo(sim.port), { logger: recordingLogger() });
    expect(test.ok).toBe(false);
    expect(test.message).toBe(`127.0.0.1:${sim.port} closed the connection before answering`);
    const { driver, recorder } = makeDriver(sim.port);
    await expect(driver.connect(recorder)).rejects.toThrow(`127.0.0.1:${sim.port} closed the connection`);
    sim.refuseConnections(false);
    await driver.connect(recorder);
    expect(recorder.state.status).toBe('idle');
  });

  it('something that is not Moonraker: the test and connect say so', async () => {
    const server: Server = createHttpServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html>nginx</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const test = await testMoonrakerConnection(connectionTo(port), { logger: recordingLogger() });
    expect(test).toEqual({ ok: false, message: `127.0.0.1:${port} answered HTTP 404 to /server/info — is this a Moonraker server?` });
    const { driver, recorder } = makeDriver(port);
    await expect(driver.connect(recorder)).rejects.toThrow(
      `127.0.0.1:${port} answered HTTP 404 to /websocket — is this a Moonraker server?`,
    );
  });

  it('the connection test reports Klipper shut down', async () => {
    const sim = await startSimulator();
    sim.klippyShutdown('Lost communication with MCU');
    const test = await testMoonrakerConnection(connectionTo(sim.port), { logger: recordingLogger() });
    expect(test.ok).toBe(true);
    expect(test.message).toMatch(/Klipper is shut down: Lost communication with MCU/);
    expect(test.info?.['klippy_state']).toBe('shutdown');
  });
});
