import { describe, expect, it } from 'vitest';

import { PrusaLinkSimulator, type PrusaLinkSimulatorOptions } from '../../../../../simulators/src/prusalink/index.js';
import { DRIVER_COMMANDS, type DriverOptions, PrinterCommandError, type PrinterConnection, UnsupportedCommandError } from '../../driver.js';
import { offlineState } from '../../state.js';
import { cleanupAfterEach, freePort, localConnection, Recorder, recordingLogger, sleep, waitFor } from '../test-support.js';
import { PrusaLinkDriver, testPrusaLinkConnection } from './prusalink-driver.js';

// ---- harness ----------------------------------------------------------------------------------

const POLL_MS = 50;
const PASSWORD = 'pass-123';
const API_KEY = 'key-abc';

const cleanups = cleanupAfterEach();

async function simulator(options: PrusaLinkSimulatorOptions = {}): Promise<PrusaLinkSimulator> {
  const sim = new PrusaLinkSimulator({ auth: { password: PASSWORD }, speed: 1, ...options });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

function connectionTo(sim: PrusaLinkSimulator, credentials: Partial<PrinterConnection> = { password: PASSWORD }): PrinterConnection {
  return localConnection('prusalink', sim.port, credentials);
}

function driverFor(connection: PrinterConnection, options: Partial<DriverOptions> = {}) {
  const logger = recordingLogger();
  const driver = new PrusaLinkDriver(connection, { logger, pollIntervalMs: POLL_MS, requestTimeoutMs: 2000, ...options });
  cleanups.push(() => driver.close());
  return { driver, logger };
}

async function connected(sim: PrusaLinkSimulator, credentials?: Partial<PrinterConnection>, options?: Partial<DriverOptions>) {
  const { driver, logger } = driverFor(connectionTo(sim, credentials), options);
  const recorder = new Recorder();
  await driver.connect(recorder);
  return { driver, logger, recorder };
}

// ---- tests ------------------------------------------------------------------------------------

describe('PrusaLinkDriver session', () => {
  describe.each([
    ['buddy', 'digest', { password: PASSWORD }, { password: PASSWORD }, 'usb'],
    ['buddy', 'X-Api-Key', { apiKey: API_KEY }, { apiKey: API_KEY }, 'usb'],
    ['pi', 'digest', { apiKey: API_KEY, password: PASSWORD }, { password: PASSWORD }, 'local'],
    ['pi', 'X-Api-Key', { apiKey: API_KEY, password: PASSWORD }, { apiKey: API_KEY }, 'local'],
  ] as const)('%s firmware with %s', (firmware, _auth, serverAuth, credentials, storage) => {
    it('connects and emits the full normalised state first (idle printer: the 204 job is handled)', async () => {
      const sim = await simulator({ firmware, auth: serverAuth, name: `sim-${firmware}` });
      const { driver, recorder } = await connected(sim, credentials);
      const first = recorder.patches[0];
      expect(recorder.patches).toHaveLength(1);
      expect(Object.keys(first ?? {}).sort()).toEqual(Object.keys(offlineState()).sort());
      expect(first).toMatchObject({
        status: 'idle',
        online: true,
        progress: null,
        job_id: null,
        file_name: null,
        fan_speed: null,
        speed_factor: 100,
        current_layer: null,
        total_layers: null,
        error_message: null,
      });
      expect(first?.nozzle_temp).toBeTypeOf('number');
      expect(first?.bed_temp).toBeTypeOf('number');
      // The job was read once at connect and answered 204.
      expect(sim.stats.jobRequests).toBe(1);
      await waitFor('a few polls', () => sim.stats.statusRequests >= 3);
      expect(sim.stats.jobRequests).toBe(1);

      // The storage came from the status in this firmware's shape: an upload lands there.
      await driver.upload('part.gcode', Buffer.from('G28\n'), { startPrint: false });
      expect(sim.lastUpload?.storage).toBe(storage);
      expect(sim.files(storage).map((f) => f.displayName)).toContain('part.gcode');
    });
  });

  it('reuses the digest nonce with a rising nc: one challenge for many polls', async () => {
    const sim = await simulator();
    await connected(sim);
    await waitFor('20 polls', () => sim.stats.statusRequests >= 20);
    expect(sim.stats.unauthorized).toBe(1);
    // /api/version (challenged + retried), /api/v1/info, the job read, and the polls: no second round trip each.
    expect(sim.stats.requests).toBeLessThanOrEqual(sim.stats.statusRequests + 4 + 1);
  });

  it('answers a stale nonce transparently: no failed poll, no disconnect', async () => {
    const sim = await simulator();
    const { logger, recorder } = await connected(sim);
    await waitFor('polling', () => sim.stats.statusRequests >= 3);
    sim.expireNonces();
    await waitFor('a stale challenge', () => sim.stats.stale >= 1);
    const after = sim.stats.statusRequests;
    await waitFor('polls after the new nonce', () => sim.stats.statusRequests >= after + 5);
    expect(sim.stats.stale).toBe(1);
    expect(logger.warned('PrusaLink poll failed')).toBe(0);
    expect(recorder.disconnects).toEqual([]);
    sim.startPrint('after-stale.gcode');
    await waitFor('the print to show', () => recorder.state.file_name === 'after-stale.gcode');
  });

  it('follows a print started on the printer: preparing → printing → finished, progress rising', async () => {
    const sim = await simulator({ speed: 20 });
    const { recorder } = await connected(sim);
    sim.startPrint('benchy.gcode', { heatSeconds: 40, durationSeconds: 300 });
    await waitFor('preparing', () => recorder.state.status === 'preparing');
    expect(recorder.state.job_id).toBe('1');
    expect(recorder.state.file_name).toBe('benchy.gcode');
    expect(recorder.state.progress).toBe(0);
    expect(recorder.state.nozzle_target_temp).toBe(215);
    expect(recorder.state.bed_target_temp).toBe(60);
    sim.setSpeed(150);
    await waitFor('printing', () => recorder.state.status === 'printing');
    const progress: number[] = [];
    const collect = recorder.patches.length;
    await waitFor('finished', () => recorder.state.status === 'finished', 10_000);
    for (const patch of recorder.patches.slice(collect)) if (typeof patch.progress === 'number') progress.push(patch.progress);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1] ?? Infinity);
    expect(recorder.state.progress).toBe(100);
    expect(recorder.state.remaining_seconds).toBe(0);
    expect(recorder.state.elapsed_seconds).toBe(340);
    expect(recorder.statuses()).toEqual(['idle', 'preparing', 'printing', 'finished']);
    // /api/v1/job was read at connect (204) and once when the job appeared, not on every poll.
    expect(sim.stats.jobRequests).toBe(2);
    // FINISHED persists until acknowledged, then the job is gone.
    sim.acknowledge();
    await waitFor('idle again', () => recorder.state.status === 'idle');
    expect([recorder.state.job_id, recorder.state.file_name, recorder.state.progress]).toEqual([null, null, null]);
    expect(sim.stats.jobRequests).toBe(2);
  });

  it('emits only the fields that changed', async () => {
    const sim = await simulator({ speed: 200 });
    const { recorder } = await connected(sim);
    await waitFor('polls', () => sim.stats.statusRequests >= 5);
    sim.startPrint('diff.gcode', { heatSeconds: 1000, durationSeconds: 1000, nozzleTarget: 200, bedTarget: 50 });
    await waitFor('preparing', () => recorder.state.status === 'preparing');
    const later = recorder.patches.slice(1);
    expect(later.length).toBeGreaterThan(0);
    for (const patch of later) expect(Object.keys(patch).length).toBeLessThan(Object.keys(offlineState()).length);
    const started = later.find((p) => p.status === 'preparing');
    expect(started).toMatchObject({ status: 'preparing', job_id: '1', file_name: 'diff.gcode', stage: 'busy' });
    expect(started).not.toHaveProperty('online');
    expect(started).not.toHaveProperty('speed_factor');
  });

  it('reports ATTENTION as an error with the printer message, and clears it', async () => {
    const sim = await simulator({ speed: 100 });
    const { recorder } = await connected(sim);
    sim.startPrint('runout.gcode', { heatSeconds: 1, durationSeconds: 10_000 });
    await waitFor('printing', () => recorder.state.status === 'printing');
    sim.setAttention('Filament runout');
    await waitFor('attention', () => recorder.state.status === 'error');
    expect(recorder.state.error_message).toBe('Filament runout');
    expect(recorder.state.stage).toBe('attention');
    sim.setAttention(null);
    await waitFor('printing again', () => recorder.state.status === 'printing');
    expect(recorder.state.error_message).toBeNull();
  });
});

describe('PrusaLinkDriver commands', () => {
  it('pauses, resumes and stops by job id; a refusal is reported in words with 409', async () => {
    const sim = await simulator({ speed: 100 });
    const { driver, recorder } = await connected(sim);
    sim.startPrint('cmd.gcode', { heatSeconds: 1, durationSeconds: 100_000 });
    await waitFor('printing', () => recorder.state.status === 'printing');

    const resumeWhilePrinting = await driver.resume().catch((err: unknown) => err);
    expect(resumeWhilePrinting).toBeInstanceOf(PrinterCommandError);
    expect((resumeWhilePrinting as PrinterCommandError).status).toBe(409);
    expect((resumeWhilePrinting as PrinterCommandError).message).toMatch(
      /^The printer refused to resume the print: the print is not paused/,
    );

    await driver.pause();
    expect(sim.state).toBe('PAUSED');
    await waitFor('paused', () => recorder.state.status === 'paused');
    await driver.resume();
    expect(sim.state).toBe('PRINTING');
    await waitFor('printing', () => recorder.state.status === 'printing');
    await driver.stop();
    expect(sim.state).toBe('STOPPED');
    await waitFor('cancelled', () => recorder.state.status === 'cancelled');
    expect(recorder.state.job_id).toBe('1');

    const pauseWhenStopped = await driver.pause().catch((err: unknown) => err);
    expect(pauseWhenStopped).toBeInstanceOf(PrinterCommandError);
    expect((pauseWhenStopped as PrinterCommandError).status).toBe(409);
    expect((pauseWhenStopped as PrinterCommandError).message).toMatch(/refused to pause the print: the printer is not printing.*STOPPED/);
  });

  it('says "No print job is running" when there is no job', async () => {
    const sim = await simulator();
    const { driver } = await connected(sim);
    for (const command of [() => driver.pause(), () => driver.resume(), () => driver.stop()]) {
      const err = await command().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PrinterCommandError);
      expect((err as PrinterCommandError).message).toBe('No print job is running');
      expect((err as PrinterCommandError).status).toBe(409);
    }
  });

  it('acts on the running job when the remembered job id has gone (404 → fresh status → retry)', async () => {
    const sim = await simulator({ speed: 100 });
    const { driver, recorder } = await connected(sim, undefined, { pollIntervalMs: 60_000 });
    sim.startPrint('one.gcode', { heatSeconds: 1, durationSeconds: 100_000 });
    await driver.stop(); // no poll saw job 1: the driver reads the status for the job id
    expect(sim.state).toBe('STOPPED');
    await waitFor('the poll after the command', () => recorder.state.status === 'cancelled');
    sim.acknowledge();
    sim.startPrint('two.gcode', { heatSeconds: 1, durationSeconds: 100_000 });
    expect(sim.jobId).toBe(2);
    await driver.pause(); // sent to job 1 first (404), then to job 2
    expect(sim.state).toBe('PAUSED');
    expect(sim.jobId).toBe(2);
  });

  it('uploads with Print-After-Upload: ?1 and the print starts', async () => {
    const sim = await simulator({ speed: 50 });
    const { driver, recorder } = await connected(sim);
    const data = Buffer.alloc(64 * 1024, 7);
    await driver.upload('cube.gcode', data, { startPrint: true });
    expect(sim.lastUpload).toEqual({
      storage: 'usb',
      path: 'cube.gcode',
      size: data.length,
      printAfterUpload: '?1',
      overwrite: '?1',
      contentType: 'application/octet-stream',
      printStarted: true,
    });
    await waitFor('the uploaded print', () => recorder.state.status === 'preparing' || recorder.state.status === 'printing');
    // Buddy names it CUBE~1.GCO; the state shows the long name.
    expect(sim.files('usb').find((f) => f.displayName === 'cube.gcode')?.name).toBe('CUBE~1.GCO');
    expect(recorder.state.file_name).toBe('cube.gcode');
    expect(recorder.state.job_id).toBe('1');

    // Same name again while it prints, asking to print: refused in words.
    const err = await driver.upload('cube.gcode', data, { startPrint: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrinterCommandError);
    expect((err as PrinterCommandError).status).toBe(409);
    expect((err as PrinterCommandError).message).toMatch(/^The printer refused to upload cube\.gcode/);
  });

  it('uploads without printing (?0) and overwrites an existing file', async () => {
    const sim = await simulator();
    const { driver } = await connected(sim);
    await driver.upload('plate.gcode', Buffer.from('G28\n'), { startPrint: false });
    expect(sim.lastUpload?.printAfterUpload).toBe('?0');
    expect(sim.lastUpload?.printStarted).toBe(false);
    await driver.upload('plate.gcode', Buffer.from('G28\nG1 X10\n'), { startPrint: false });
    expect(sim.lastUpload?.size).toBe(11);
    expect(sim.files().filter((f) => f.displayName === 'plate.gcode')).toHaveLength(1);
    expect(sim.state).toBe('IDLE');
  });

  it('starts a stored file (on the storage learned from the status), 404 and 409 in words', async () => {
    const sim = await simulator({ firmware: 'pi', speed: 10 });
    const { driver, recorder } = await connected(sim);
    const missing = await driver.startFile('nope.gcode').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PrinterCommandError);
    expect((missing as PrinterCommandError).status).toBe(404);
    expect((missing as PrinterCommandError).message).toBe('The printer has no file nope.gcode on its local storage');

    await driver.startFile('/local/TabletStand3.bgcode');
    expect(sim.state).toBe('BUSY');
    await waitFor('the print', () => recorder.state.file_name === 'TabletStand3.bgcode');
    expect(recorder.state.status).toBe('preparing');

    const busy = await driver.startFile('TabletStand3.bgcode').catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(PrinterCommandError);
    expect((busy as PrinterCommandError).status).toBe(409);
    expect((busy as PrinterCommandError).message).toMatch(/^The printer refused to start the print: the printer is busy with another job/);
  });

  it('starts a Buddy file by its long or its 8.3 name', async () => {
    const sim = await simulator();
    const { driver } = await connected(sim);
    await driver.startFile('TabletStand3~4.BGC');
    expect(sim.state).toBe('BUSY');
    expect(sim.jobId).toBe(1);
  });

  it('declares what works and throws UnsupportedCommandError for the rest', async () => {
    const sim = await simulator();
    const { driver } = driverFor(connectionTo(sim));
    expect([...driver.supports].sort()).toEqual(['pause', 'resume', 'startFile', 'stop', 'upload']);
    const unsupported = DRIVER_COMMANDS.filter((c) => !driver.supports.has(c));
    expect(unsupported.sort()).toEqual(['emergencyStop', 'sendGcode', 'setLight', 'setTemperatures']);
    const calls = {
      emergencyStop: () => driver.emergencyStop(),
      setLight: () => driver.setLight(true),
      sendGcode: () => driver.sendGcode('G28'),
      setTemperatures: () => driver.setTemperatures({ nozzle: 200 }),
    };
    for (const [command, call] of Object.entries(calls)) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnsupportedCommandError);
      expect((err as UnsupportedCommandError).command).toBe(command);
      expect((err as Error).message).toBe(`PrusaLink printers do not support ${command}`);
    }
    expect(sim.stats.requests).toBe(0);
  });
});

describe('PrusaLinkDriver credentials and connection test', () => {
  it('rejects connect on wrong digest credentials and on a wrong API key', async () => {
    const sim = await simulator({ auth: { apiKey: API_KEY, password: PASSWORD } });
    for (const credentials of [{ password: 'wrong' }, { username: 'someone', password: PASSWORD }, { apiKey: 'wrong-key' }, {}]) {
      const { driver } = driverFor(connectionTo(sim, credentials));
      const recorder = new Recorder();
      await expect(driver.connect(recorder)).rejects.toThrow('PrusaLink refused the credentials (HTTP 401)');
      expect(recorder.patches).toEqual([]);
      expect(recorder.disconnects).toEqual([]);
    }
  });

  it('test-connection says what it found, or that the credentials were refused', async () => {
    const sim = await simulator({ name: 'farm-mk4' });
    const ok = await testPrusaLinkConnection(connectionTo(sim), { logger: recordingLogger() });
    expect(ok.ok).toBe(true);
    expect(ok.message).toBe(`Connected to PrusaLink 2.1.2 on farm-mk4 (serial ${sim.serial})`);
    expect(ok.info).toMatchObject({
      hostname: 'farm-mk4',
      server_version: '2.1.2',
      api_version: '2.0.0',
      serial: sim.serial,
      nozzle_diameter: 0.4,
    });

    const pi = await simulator({ firmware: 'pi', auth: { apiKey: API_KEY } });
    const piResult = await testPrusaLinkConnection(connectionTo(pi, { apiKey: API_KEY }), { logger: recordingLogger() });
    expect(piResult.ok).toBe(true);
    expect(piResult.info?.['firmware_version']).toMatch(/^\d+\.\d+/);

    const wrong = await testPrusaLinkConnection(connectionTo(sim, { password: 'nope' }), { logger: recordingLogger() });
    expect(wrong).toEqual({ ok: false, message: 'PrusaLink refused the credentials (check the API key or the digest user/password)' });
  });

  it('test-connection and connect explain a refused connection and a timeout', async () => {
    const port = await freePort();
    const refusedConnection = localConnection('prusalink', port);
    const refused = await testPrusaLinkConnection(refusedConnection, { logger: recordingLogger() });
    expect(refused).toEqual({ ok: false, message: `Connection refused by 127.0.0.1:${port} — is the printer on and PrusaLink enabled?` });
    const { driver } = driverFor(refusedConnection);
    await expect(driver.connect(new Recorder())).rejects.toThrow(`Connection refused by 127.0.0.1:${port}`);

    const sim = await simulator();
    sim.stall(true);
    const timedOut = await testPrusaLinkConnection(connectionTo(sim), { logger: recordingLogger(), requestTimeoutMs: 300 });
    expect(timedOut).toEqual({ ok: false, message: `No answer from 127.0.0.1:${sim.port} within 0.3 s` });
    const slow = driverFor(connectionTo(sim), { requestTimeoutMs: 300 });
    await expect(slow.driver.connect(new Recorder())).rejects.toThrow(`No answer from 127.0.0.1:${sim.port} within 0.3 s`);
  });

  it('test-connection uses port 80 when none is given', async () => {
    const result = await testPrusaLinkConnection(localConnection('prusalink', null), { logger: recordingLogger(), requestTimeoutMs: 500 });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('127.0.0.1:80');
  });
});

describe('PrusaLinkDriver faults', () => {
  it('ignores malformed bodies and keeps polling', async () => {
    const sim = await simulator();
    const { logger, recorder } = await connected(sim);
    sim.sendGarbage(true);
    await waitFor('several malformed answers', () => logger.warned('PrusaLink sent a malformed answer; dropped') >= 5);
    expect(recorder.disconnects).toEqual([]);
    expect(recorder.patches).toHaveLength(1);
    sim.sendGarbage(false);
    sim.startPrint('after-garbage.gcode');
    await waitFor('the print after the garbage', () => recorder.state.status === 'preparing');
    expect(recorder.state.file_name).toBe('after-garbage.gcode');
    expect(recorder.disconnects).toEqual([]);
  });

  it('reports onDisconnect once after exactly 3 failed polls on HTTP 500, then stops polling', async () => {
    const sim = await simulator();
    const { recorder } = await connected(sim);
    await waitFor('polling', () => sim.stats.statusRequests >= 2);
    sim.failHttp(500);
    const before = sim.stats.requests;
    await waitFor('disconnect', () => recorder.disconnects.length > 0);
    await sleep(POLL_MS * 6); // absence needs time
    expect(sim.stats.requests - before).toBe(3);
    expect(recorder.disconnects).toHaveLength(1);
    expect(recorder.disconnects[0]).toMatch(/^3 polls in a row failed; last: PrusaLink answered HTTP 500 to \/api\/v1\/status/);
  });

  it('recovers from a single failed poll (the count resets on success)', async () => {
    const sim = await simulator();
    const { logger, recorder } = await connected(sim);
    for (let round = 0; round < 3; round++) {
      sim.failHttp(503);
      const failed = logger.warned('PrusaLink poll failed');
      await waitFor('a failed poll', () => logger.warned('PrusaLink poll failed') > failed);
      sim.failHttp(null);
      const polls = sim.stats.statusRequests;
      await waitFor('a good poll', () => sim.stats.statusRequests > polls);
    }
    expect(recorder.disconnects).toEqual([]);
  });

  it('survives dropped connections, but refused ones end the session', async () => {
    const sim = await simulator();
    const { recorder } = await connected(sim);
    await waitFor('polling', () => sim.stats.statusRequests >= 2);
    for (let i = 0; i < 3; i++) {
      sim.dropConnections();
      const polls = sim.stats.statusRequests;
      await waitFor('polls after a drop', () => sim.stats.statusRequests >= polls + 2);
    }
    expect(recorder.disconnects).toEqual([]);

    sim.refuseConnections(true);
    sim.dropConnections();
    await waitFor('disconnect', () => recorder.disconnects.length > 0);
    expect(recorder.disconnects).toHaveLength(1);
    expect(recorder.disconnects[0]).toContain(`127.0.0.1:${sim.port} closed the connection`);
  });

  it('counts a stalled request (timeout) as a failed poll', async () => {
    const sim = await simulator();
    const { recorder, logger } = await connected(sim, undefined, { requestTimeoutMs: 150 });
    sim.stall(true);
    await waitFor('disconnect', () => recorder.disconnects.length > 0);
    expect(logger.warned('PrusaLink poll failed')).toBe(3);
    expect(recorder.disconnects[0]).toMatch(new RegExp(`last: No answer from 127\\.0\\.0\\.1:${sim.port} within 0\\.15 s$`));
  });

  it('ends the session when the credentials change on the printer', async () => {
    const sim = await simulator();
    const { recorder } = await connected(sim);
    sim.setCredentials({ password: 'rotated' });
    await waitFor('disconnect', () => recorder.disconnects.length > 0);
    expect(recorder.disconnects[0]).toMatch(/last: PrusaLink refused the credentials \(HTTP 401\)$/);
  });

  it('reconnects after a disconnect with a fresh full state', async () => {
    const sim = await simulator();
    const { driver, recorder } = await connected(sim);
    sim.failHttp(502);
    await waitFor('disconnect', () => recorder.disconnects.length > 0);
    sim.failHttp(null);
    sim.startPrint('again.gcode');
    const second = new Recorder();
    await driver.connect(second);
    expect(Object.keys(second.patches[0] ?? {}).sort()).toEqual(Object.keys(offlineState()).sort());
    expect(second.patches[0]).toMatchObject({ status: 'preparing', file_name: 'again.gcode', job_id: '1', online: true });
  });

  it('close() stops polling without onDisconnect, and is safe twice', async () => {
    const sim = await simulator();
    const { driver, recorder } = await connected(sim);
    await waitFor('polling', () => sim.stats.statusRequests >= 3);
    await driver.close();
    await driver.close();
    const polls = sim.stats.statusRequests;
    await sleep(POLL_MS * 6); // absence needs time
    expect(sim.stats.statusRequests).toBe(polls);
    expect(recorder.disconnects).toEqual([]);
  });

  it('close() during connect makes connect reject, and nothing is emitted', async () => {
    const sim = await simulator();
    sim.stall(true);
    const { driver } = driverFor(connectionTo(sim));
    const recorder = new Recorder();
    const pending = driver.connect(recorder);
    await waitFor('the request to hang', () => sim.stats.requests >= 1);
    await driver.close();
    await expect(pending).rejects.toThrow();
    expect(recorder.patches).toEqual([]);
    expect(recorder.disconnects).toEqual([]);
  });
});
