import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';

import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

import { SdcpSimulator, type SdcpSimulatorOptions } from '../../../../../simulators/src/sdcp/index.js';
import { type DriverOptions, PrinterCommandError, type PrinterConnection, UnsupportedCommandError } from '../../driver.js';
import { offlineState } from '../../state.js';
import { cleanupAfterEach, freePort, localConnection, Recorder, recordingLogger, sleep, waitFor } from '../test-support.js';
import { discoverSdcpPrinters, SdcpDriver, testSdcpConnection } from './index.js';

// 100 s preheating + 100 s printing at 100× speed: about a second of each in real time.
const SHORT_PRINT = { heatSeconds: 100, durationSeconds: 100, totalLayers: 20, nozzleTarget: 220, bedTarget: 60 };
// A print that does not end during a test.
const LONG_PRINT = { heatSeconds: 5, durationSeconds: 1_000_000, totalLayers: 500 };
// A print whose progress moves by about 2 % per real second (at 100×), and lasts 50 s.
const STEADY_PRINT = { heatSeconds: 5, durationSeconds: 5000, totalLayers: 100 };
const MB = 1024 * 1024;

const cleanups = cleanupAfterEach();

function connectionTo(port: number): PrinterConnection {
  return localConnection('elegoo', port, { printerId: 9 });
}

async function startSimulator(options: SdcpSimulatorOptions = {}): Promise<SdcpSimulator> {
  const sim = new SdcpSimulator({ speed: 100, statusIntervalMs: 40, plan: SHORT_PRINT, ...options });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

function makeDriver(port: number, options: Partial<DriverOptions> = {}) {
  const logger = recordingLogger();
  const driver = new SdcpDriver(connectionTo(port), { logger, requestTimeoutMs: 2000, ...options });
  cleanups.push(() => driver.close());
  return { driver, logger, recorder: new Recorder() };
}

async function connected(options: SdcpSimulatorOptions = {}, driverOptions: Partial<DriverOptions> = {}) {
  const sim = await startSimulator(options);
  const made = makeDriver(sim.port, driverOptions);
  await made.driver.connect(made.recorder);
  return { sim, ...made };
}

function gcode(bytes: number): Buffer {
  const line = Buffer.from('G1 X10.5 Y20.25 E0.0123 F1800 ; sdcp upload test\n');
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += line.length) line.copy(out, i);
  return out;
}

function printInfo(sim: SdcpSimulator): Record<string, unknown> {
  const info = sim.status()['PrintInfo'];
  return typeof info === 'object' && info !== null && !Array.isArray(info) ? info : {};
}

describe('SdcpDriver session', () => {
  it('connects and emits one full normalised state first', async () => {
    const { driver, recorder, sim } = await connected();
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
      chamber_temp: 25,
      progress: null,
      file_name: null,
      job_id: null,
      fan_speed: 0,
      speed_factor: 100,
      lights_on: true,
      error_message: null,
    });
    expect([...driver.supports].sort()).toEqual(['pause', 'resume', 'setLight', 'setTemperatures', 'startFile', 'stop', 'upload']);
    expect(driver.apiType).toBe('elegoo');
    expect(sim.clientCount).toBe(1);
  });

  it('follows a print started on the printer: preparing → printing → finished with rising progress', async () => {
    const { sim, recorder } = await connected();
    const from = recorder.patches.length;
    sim.startPrint('benchy.gcode');
    await waitFor('the print to finish', () => recorder.state.status === 'finished', 10_000);

    expect(recorder.statuses(from)).toEqual(['preparing', 'printing', 'finished']);
    const patches = recorder.patches.slice(from);
    expect(patches.find((p) => p.status === 'preparing')).toMatchObject({
      stage: 'preheating',
      file_name: 'benchy.gcode',
      total_layers: 20,
      nozzle_target_temp: 220,
    });
    const progress = patches.flatMap((p) => (typeof p.progress === 'number' ? [p.progress] : []));
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
    const layers = new Set(patches.flatMap((p) => (typeof p.current_layer === 'number' ? [p.current_layer] : [])));
    expect(layers.size).toBeGreaterThan(3);
    // CurrentTicks are seconds on the Centauri Carbon: the whole job took 200 simulated seconds.
    expect(recorder.state).toMatchObject({
      progress: 100,
      current_layer: 20,
      total_layers: 20,
      remaining_seconds: 0,
      elapsed_seconds: 200,
      file_name: 'benchy.gcode',
    });
    expect(recorder.state.job_id).toBe(printInfo(sim)['TaskId']);
    expect(recorder.state.job_id).toMatch(/^[0-9a-f-]{36}$/);
    // The printer went back to CurrentStatus 0 with sub-state 9: still finished, not idle.
    expect(sim.status()['CurrentStatus']).toEqual([0]);
    await sleep(200);
    expect(recorder.state.status).toBe('finished');
  });

  it('remaining time is TotalTicks − CurrentTicks while printing', async () => {
    const { sim, recorder } = await connected({ plan: { heatSeconds: 0, durationSeconds: 10_000, totalLayers: 100 } });
    sim.startPrint('long.gcode');
    await waitFor('progress', () => recorder.state.status === 'printing' && (recorder.state.progress ?? 0) >= 1);
    const { remaining_seconds: remaining, elapsed_seconds: elapsed } = recorder.state;
    expect(remaining).not.toBeNull();
    expect(Math.abs((remaining ?? 0) + (elapsed ?? 0) - 10_000)).toBeLessThanOrEqual(1);
  });

  it('pauses, resumes and stops a print; a stop keeps the job fields the printer clears', async () => {
    const { sim, driver, recorder } = await connected({ plan: STEADY_PRINT });
    await expect(driver.pause()).rejects.toMatchObject({
      name: 'PrinterCommandError',
      status: 409,
      message: expect.stringMatching(/refused to pause \(code 1\)/) as string,
    });
    sim.startPrint('long.gcode');
    await waitFor('printing', () => recorder.state.status === 'printing' && (recorder.state.progress ?? 0) > 0);

    let from = recorder.patches.length;
    await driver.pause();
    await waitFor('paused', () => recorder.state.status === 'paused' && recorder.state.stage === null);
    expect(recorder.stages(from)).toContain('pausing');
    expect(sim.phase).toBe('paused');
    const pausedAt = recorder.state.progress ?? 0;

    from = recorder.patches.length;
    await driver.resume();
    await waitFor('printing again', () => recorder.state.status === 'printing' && recorder.state.stage === null);
    expect(recorder.stages(from)).toContain('resuming');
    expect(recorder.state.progress).toBeGreaterThanOrEqual(pausedAt);

    from = recorder.patches.length;
    await driver.stop();
    await waitFor('stopped', () => recorder.state.status === 'cancelled' && recorder.state.stage === null);
    expect(recorder.stages(from)).toContain('stopping');
    // The printer cleared Filename/TaskId/Progress (as in the fw 1.1.29 capture); the state keeps the job.
    expect(printInfo(sim)).toMatchObject({ Status: 8, Filename: '', TaskId: '', Progress: 0 });
    expect(recorder.state.file_name).toBe('long.gcode');
    expect(recorder.state.progress).toBeGreaterThan(0);
    await sleep(150);
    expect(recorder.state.status).toBe('cancelled');
    expect(recorder.disconnects).toEqual([]);
  });

  it('a failed print → error with the ErrorNumber in words', async () => {
    const { sim, recorder } = await connected({ plan: LONG_PRINT });
    sim.startPrint('bad.gcode');
    await waitFor('printing', () => recorder.state.status === 'printing');
    sim.failPrint(2);
    await waitFor('error', () => recorder.state.status === 'error');
    expect(recorder.state).toMatchObject({
      error_code: 'ErrorNumber 2',
      error_message: 'The printer could not read the file',
      file_name: 'bad.gcode',
    });
  });

  it('sets heater targets and the light through Cmd 403, one field per request', async () => {
    const { driver, recorder } = await connected();
    await driver.setTemperatures({ nozzle: 200.4, bed: 55 });
    await waitFor('new targets', () => recorder.state.nozzle_target_temp === 200 && recorder.state.bed_target_temp === 55);
    await waitFor('the nozzle to warm up', () => (recorder.state.nozzle_temp ?? 0) > 30);
    await driver.setTemperatures({ nozzle: 0 });
    await waitFor('nozzle target off', () => recorder.state.nozzle_target_temp === 0);
    expect(recorder.state.bed_target_temp).toBe(55);

    await expect(driver.setTemperatures({ nozzle: 500 })).rejects.toMatchObject({
      status: 409,
      message: 'The printer refused to set the nozzle target to 500 °C (code 1)',
    });
    await expect(driver.setTemperatures({ bed: Number.NaN })).rejects.toMatchObject({ status: 400 });

    await driver.setLight(false);
    await waitFor('light off', () => recorder.state.lights_on === false);
    await driver.setLight(true);
    await waitFor('light on', () => recorder.state.lights_on === true);
  });

  it('the camera: Cmd 386 gives a scheme-less VideoUrl, made absolute; the stream is MJPEG', async () => {
    const { sim, driver } = await connected();
    const cameras = await driver.discoverCameras();
    expect(cameras).toEqual([{ name: 'Camera', streamUrl: `http://127.0.0.1:${sim.videoPort}/video`, snapshotUrl: null, kind: 'mjpeg' }]);
    const controller = new AbortController();
    const res = await fetch(cameras[0]?.streamUrl ?? '', { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^multipart\/x-mixed-replace; boundary=/);
    const reader = res.body?.getReader();
    const first = await reader?.read();
    controller.abort();
    const bytes = Buffer.from(first?.value ?? new Uint8Array());
    expect(bytes.toString('latin1')).toContain('Content-Type: image/jpeg');
    expect(bytes.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
  });

  it('sendGcode and emergencyStop are unsupported', async () => {
    const { driver } = await connected();
    await expect(driver.sendGcode('G28')).rejects.toBeInstanceOf(UnsupportedCommandError);
    await expect(driver.emergencyStop()).rejects.toBeInstanceOf(UnsupportedCommandError);
  });
});

describe('SdcpDriver files', () => {
  it('uploads in 1 MB chunks with the MD5, shows "receiving file", then prints', async () => {
    const { sim, driver, recorder } = await connected({ plan: LONG_PRINT });
    const data = gcode(2.5 * MB);
    const from = recorder.patches.length;
    await driver.upload('parts/bracket.gcode', data, { startPrint: true });

    const transfer = sim.transfers().at(-1);
    expect(transfer).toMatchObject({ fileName: 'bracket.gcode', totalSize: data.length, offsets: [0, MB, 2 * MB], result: 'stored' });
    expect(sim.files()).toContainEqual(
      expect.objectContaining({ name: 'bracket.gcode', size: data.length, md5: createHash('md5').update(data).digest('hex') }),
    );
    // The transfer was pushed (CurrentStatus 2) before the upload call returned.
    expect(recorder.stages(from)).toContain('receiving file');
    await waitFor(
      'the uploaded print to start',
      () => recorder.state.file_name === 'bracket.gcode' && recorder.state.status === 'preparing',
    );

    // Another print while this one runs: Ack 1 in words.
    await expect(driver.startFile('bracket.gcode')).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/busy/) as string,
    });
  });

  it('uploads without printing, then starts the stored file by name', async () => {
    const { sim, driver, recorder } = await connected();
    await driver.upload('cube.gcode', gcode(1000), { startPrint: false });
    await sleep(100);
    expect(sim.phase).toBe('idle');
    expect(recorder.state.status).toBe('idle');
    await driver.startFile('/cube.gcode');
    await waitFor('the print to start', () => recorder.state.file_name === 'cube.gcode' && recorder.state.status === 'preparing');
  });

  it('a chunk the printer refuses → a clear error; the transfer is cancelled and a retry works', async () => {
    const { sim, driver, recorder } = await connected();
    sim.failUploadAt(MB);
    const data = gcode(2.5 * MB);
    await expect(driver.upload('big.gcode', data, { startPrint: true })).rejects.toMatchObject({
      name: 'PrinterCommandError',
      status: 502,
      message: `Upload of big.gcode failed at byte ${MB} of ${data.length}: the printer could not open the file for writing (code -3)`,
    });
    expect(sim.transfers().at(-1)).toMatchObject({ result: 'failed', offsets: [0] });
    expect(sim.files().map((f) => f.name)).not.toContain('big.gcode');
    await waitFor('the printer back to idle', () => recorder.state.status === 'idle' && recorder.state.stage === null);
    expect(sim.status()['CurrentStatus']).toEqual([0]);
    expect(sim.phase).toBe('idle');

    sim.failUploadAt(null);
    await driver.upload('big.gcode', data, { startPrint: false });
    expect(sim.files().map((f) => f.name)).toContain('big.gcode');
  });

  it('an MD5 mismatch reported on sdcp/error rejects the upload and does not print', async () => {
    const { sim, driver } = await connected();
    sim.corruptUploads(true);
    await expect(driver.upload('broken.gcode', gcode(1.5 * MB), { startPrint: true })).rejects.toMatchObject({
      status: 502,
      message: 'The printer rejected broken.gcode: the MD5 check failed',
    });
    expect(sim.transfers().at(-1)?.result).toBe('md5 mismatch');
    expect(sim.phase).toBe('idle');
  });

  it('a missing file: Ack 2 in words', async () => {
    const { driver } = await connected();
    await expect(driver.startFile('missing.gcode')).rejects.toMatchObject({
      name: 'PrinterCommandError',
      status: 404,
      message: 'The printer has no file missing.gcode',
    });
    await expect(driver.startFile('')).rejects.toMatchObject({ status: 400 });
  });
});

describe('SdcpDriver discovery', () => {
  it('finds the simulator by UDP M99999', async () => {
    const sim = await startSimulator({ udpPort: 0, name: 'Farm CC 7', firmware: 'V1.1.40' });
    const udpPort = sim.udpPort;
    expect(udpPort).toBeGreaterThan(0);
    const printers = await discoverSdcpPrinters(300, '127.0.0.1', udpPort ?? 0);
    expect(printers).toEqual([
      {
        ip: '127.0.0.1',
        replyFrom: '127.0.0.1',
        mainboardId: sim.mainboardId,
        name: 'Farm CC 7',
        machineName: 'Centauri Carbon',
        brandName: 'ELEGOO',
        protocolVersion: 'V3.0.0',
        firmwareVersion: 'V1.1.40',
        variant: 'sdcp-v3',
        supported: true,
      },
    ]);
  });

  it('nobody answering → an empty list after the timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(discoverSdcpPrinters(150, '127.0.0.1', port)).resolves.toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('SdcpDriver keepalive and faults', () => {
  it('pings keep an idle session alive past the printer’s idle limit', async () => {
    const { sim, recorder } = await connected({ idleCloseMs: 300, statusIntervalMs: 50 }, { keepaliveMs: 100 });
    await sleep(1000);
    expect(recorder.disconnects).toEqual([]);
    expect(sim.clientCount).toBe(1);
    expect(recorder.alive).toBeGreaterThan(5);
  });

  it('without pings the printer drops the socket after its idle limit (why the keepalive exists)', async () => {
    const { recorder } = await connected({ idleCloseMs: 300, statusIntervalMs: 50 }, { keepaliveMs: 60_000 });
    const reason = await waitFor('the printer to drop the idle socket', () => recorder.disconnects[0], 3000);
    expect(reason).toBe('The SDCP socket closed without a close frame (connection lost)');
  });

  it('a stalled printer ends the session after two silent ping intervals', async () => {
    const { sim, recorder } = await connected({ statusIntervalMs: 50 }, { keepaliveMs: 100 });
    await sleep(300);
    expect(recorder.disconnects).toEqual([]);
    const stalled = Date.now();
    sim.stall(true);
    const reason = await waitFor('the keepalive to give up', () => recorder.disconnects[0], 2000);
    expect(reason).toBe('No message from the printer for 0.2 s (keepalive)');
    expect(Date.now() - stalled).toBeLessThan(1000);
  });

  it('a socket closed without a close frame → onDisconnect promptly; connect works again', async () => {
    const { sim, driver, recorder } = await connected({ statusIntervalMs: 2000 });
    const dropped = Date.now();
    sim.closeWithoutFrame();
    const reason = await waitFor('onDisconnect', () => recorder.disconnects[0], 1000);
    expect(reason).toBe('The SDCP socket closed without a close frame (connection lost)');
    expect(Date.now() - dropped).toBeLessThan(500);
    await expect(driver.pause()).rejects.toMatchObject({ status: 503 });

    const again = new Recorder();
    await driver.connect(again);
    expect(again.state.status).toBe('idle');
    expect(recorder.disconnects).toHaveLength(1);
  });

  it('malformed frames are logged and dropped; the state does not move and the session keeps working', async () => {
    const { sim, driver, recorder, logger } = await connected();
    await waitFor('a settled state', () => recorder.state.status === 'idle');
    const before = { ...recorder.state };
    const patchCount = recorder.patches.length;
    sim.sendGarbage();
    await waitFor('warnings', () => logger.warnings.length >= 8);
    await sleep(150);
    expect(recorder.patches.slice(patchCount)).toEqual([]);
    expect(recorder.state).toEqual(before);
    expect(logger.errors).toEqual([]);
    expect(logger.warnings.map((line) => line.obj)).toContainEqual(
      expect.objectContaining({
        rejected: expect.arrayContaining(['CurrentStatus', 'TempOfNozzle', 'PrintInfo', 'CurrentFanSpeed.ModelFan']) as string[],
      }),
    );

    await driver.setTemperatures({ nozzle: 180 });
    await waitFor('the session to keep working', () => recorder.state.nozzle_target_temp === 180);
    expect(recorder.disconnects).toEqual([]);
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
    await driver.close();
    await expect(driver.stop()).rejects.toMatchObject({ status: 503, message: `Not connected to the printer at 127.0.0.1:${sim.port}` });
  });

  it('connecting to a printer that finished a job reports finished; after a stop (capture shape) idle', async () => {
    const sim = await startSimulator({ plan: { heatSeconds: 1, durationSeconds: 1, totalLayers: 2 } });
    sim.startPrint('done.gcode');
    await waitFor('the print to complete', () => sim.phase === 'complete');
    const first = makeDriver(sim.port);
    await first.driver.connect(first.recorder);
    expect(first.recorder.state).toMatchObject({ status: 'finished', file_name: 'done.gcode', progress: 100 });

    sim.startPrint('stopped.gcode', LONG_PRINT);
    await waitFor('printing', () => first.recorder.state.status === 'preparing' || first.recorder.state.status === 'printing');
    await first.driver.stop();
    await waitFor('stopped', () => printInfo(sim)['Status'] === 8);
    await first.driver.close();
    const second = makeDriver(sim.port);
    await second.driver.connect(second.recorder);
    expect(second.recorder.state).toMatchObject({ status: 'idle', file_name: null, progress: null });
  });
});

describe('testSdcpConnection', () => {
  const options = (requestTimeoutMs = 2000): DriverOptions => ({ logger: recordingLogger(), requestTimeoutMs });

  it('reports the printer with its attributes', async () => {
    const sim = await startSimulator({ name: 'Bay 3', firmware: 'V1.1.29' });
    const test = await testSdcpConnection(connectionTo(sim.port), options());
    expect(test).toEqual({
      ok: true,
      message: `Centauri Carbon "Bay 3" (firmware V1.1.29, SDCP V3.0.0) at 127.0.0.1:${sim.port}. It is idle.`,
      info: {
        name: 'Bay 3',
        machine_name: 'Centauri Carbon',
        brand: 'ELEGOO',
        firmware_version: 'V1.1.29',
        protocol_version: 'V3.0.0',
        mainboard_id: sim.mainboardId,
        mainboard_ip: '127.0.0.1',
        status: 'idle',
      },
    });
    await waitFor('the test session to close', () => sim.clientCount === 0);
  });

  it('a refused port', async () => {
    const port = await freePort();
    expect(await testSdcpConnection(connectionTo(port), options())).toEqual({
      ok: false,
      message: `Connection refused by 127.0.0.1:${port} — is this an Elegoo printer with SDCP (port 3030)?`,
    });
    const { driver, recorder } = makeDriver(port);
    await expect(driver.connect(recorder)).rejects.toThrow(`Connection refused by 127.0.0.1:${port}`);
  });

  it('a printer that accepts but never answers: a timeout in words', async () => {
    const sim = await startSimulator();
    sim.stall(true);
    expect(await testSdcpConnection(connectionTo(sim.port), options(300))).toEqual({
      ok: false,
      message: `No answer from 127.0.0.1:${sim.port} within 0.3 s`,
    });
  });

  it('a websocket that accepts and stays silent: a timeout in words', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/websocket' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    cleanups.push(() => wss.clients.forEach((client) => client.terminate()));
    const address = wss.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect(await testSdcpConnection(connectionTo(port), options(300))).toEqual({
      ok: false,
      message: `No answer from 127.0.0.1:${port} within 0.3 s`,
    });
    // The test leaves no socket behind.
    await waitFor('the probe socket to close', () => wss.clients.size === 0, 2000);
  });

  it('connections reset at once', async () => {
    const sim = await startSimulator();
    sim.refuseConnections(true);
    expect(await testSdcpConnection(connectionTo(sim.port), options())).toEqual({
      ok: false,
      message: `127.0.0.1:${sim.port} closed the connection before answering`,
    });
  });

  it('an HTTP server without /websocket', async () => {
    const server: Server = createHttpServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html>nginx</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect(await testSdcpConnection(connectionTo(port), options())).toEqual({
      ok: false,
      message: `127.0.0.1:${port} answered HTTP 404 to /websocket — is this an Elegoo SDCP printer?`,
    });
  });

  it('a websocket that speaks something else', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/websocket' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    wss.on('connection', (ws) => {
      ws.on('message', () => ws.send(JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null })));
    });
    const address = wss.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    expect(await testSdcpConnection(connectionTo(port), options(300))).toEqual({
      ok: false,
      message: `127.0.0.1:${port} answered on /websocket, but not with SDCP messages — is this an Elegoo SDCP printer?`,
    });
    for (const client of wss.clients) client.terminate();
  });
});

describe('SdcpDriver without a session', () => {
  it('commands say the printer is not connected', async () => {
    const { driver } = makeDriver(await freePort());
    await expect(driver.pause()).rejects.toBeInstanceOf(PrinterCommandError);
    await expect(driver.setLight(true)).rejects.toMatchObject({ status: 503 });
    await expect(driver.upload('a.gcode', Buffer.from('G28\n'), { startPrint: false })).rejects.toMatchObject({ status: 503 });
  });
});
