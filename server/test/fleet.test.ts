import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { BambuSimulator, createSimulatorCa } from '../../simulators/src/bambu/index.js';
import { MoonrakerSimulator } from '../../simulators/src/moonraker/index.js';
import { PrusaLinkSimulator } from '../../simulators/src/prusalink/index.js';
import { SdcpSimulator } from '../../simulators/src/sdcp/index.js';
import { type ApiClient, startWithRoles } from './client.js';
import { tempDir, type TestServer } from './harness.js';
import { waitFor } from './wait.js';
import { frameText } from './ws-frame.js';

interface LiveStatus {
  printer_id: number;
  status: string;
  online: boolean;
  progress: number | null;
  file_name: string | null;
  nozzle_temp: number | null;
  stage: string | null;
}

interface PrintJob {
  id: number;
  printer_id: number;
  filename: string | null;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_seconds: number | null;
}

/** Simulated seconds per real second: a 10-minute print takes about three seconds. */
const SPEED = 200;
const PLAN = { durationSeconds: 600, heatSeconds: 20, totalLayers: 50 };

/**
 * The whole loop a farm owner relies on, over real sockets: add a printer → live state → control →
 * print recorded → printer gone → offline → back → online — for Klipper and Prusa printers.
 */
describe.each([
  ['moonraker', 'Voron 2.4'],
  ['prusalink', 'Prusa MK4'],
  ['elegoo', 'Centauri Carbon'],
  ['bambu', 'P1S'],
] as const)('live fleet with a %s printer', (apiType, name) => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;
  let operator: string;
  let viewer: string;
  let printerId: number;
  let sim: MoonrakerSimulator | PrusaLinkSimulator | SdcpSimulator | BambuSimulator;
  // One CA for every Bambu simulator of this run; ODIN trusts it through ODIN_BAMBU_CA_FILE.
  const bambuCa = createSimulatorCa();
  const BAMBU_SERIAL = '01P00A3B0700001';
  let port: number;

  const makeSimulator = (fixedPort = 0) =>
    apiType === 'moonraker'
      ? new MoonrakerSimulator({ port: fixedPort, speed: SPEED, apiKey: 'klipper-key' })
      : apiType === 'prusalink'
        ? new PrusaLinkSimulator({
            port: fixedPort,
            speed: SPEED,
            auth: { username: 'maker', password: 'digest-secret' },
            autoAcknowledgeMs: null,
          })
        : apiType === 'elegoo'
          ? new SdcpSimulator({ port: fixedPort, videoPort: 0, udpPort: null, speed: SPEED, statusIntervalMs: 100 })
          : new BambuSimulator({
              serial: BAMBU_SERIAL,
              accessCode: '12345678',
              model: 'P1S',
              mqttPort: fixedPort,
              ftpsPort: 0,
              ca: bambuCa,
              speed: SPEED,
              pushIntervalMs: 100,
            });
  const portOf = (s: typeof sim) => (s instanceof BambuSimulator ? s.mqttPort : s.port);
  /** What the API needs to reach each simulator (SDCP has no authentication at all). */
  const credentials = (right: boolean): Record<string, string> =>
    apiType === 'moonraker'
      ? { api_key: right ? 'klipper-key' : 'wrong' }
      : apiType === 'prusalink'
        ? { username: 'maker', password: right ? 'digest-secret' : 'wrong' }
        : apiType === 'bambu'
          ? { serial: BAMBU_SERIAL, access_code: right ? '12345678' : 'wrong' }
          : {};

  const live = async () => (await api.get<LiveStatus>(`/api/printers/${printerId}/live-status`, { token: viewer })).body;
  const jobs = async () => (await api.get<PrintJob[]>(`/api/print-jobs?printer_id=${printerId}`, { token: viewer })).body;

  beforeAll(async () => {
    sim = makeSimulator();
    await sim.start();
    port = portOf(sim);
    const caFile = path.join(tempDir(), 'printers-ca.pem');
    fs.writeFileSync(caFile, bambuCa.caPem);
    ({
      server,
      api,
      adminToken: admin,
      operator,
      viewer,
    } = await startWithRoles({
      env: {
        ODIN_BAMBU_CA_FILE: caFile,
        ODIN_PRINTER_POLL_MS: '50',
        ODIN_PRINTER_OFFLINE_SECONDS: '3',
        ODIN_RECONNECT_BASE_MS: '50',
        ODIN_RECONNECT_MAX_SECONDS: '1',
        ODIN_PRINTER_TIMEOUT_MS: '1000',
      },
    }));
  });
  afterAll(async () => {
    await server?.close();
    await sim?.stop();
  });

  it('tests the connection, refusing wrong credentials in words', async () => {
    const base = { api_type: apiType, api_host: `127.0.0.1:${port}` };
    if (apiType !== 'elegoo') {
      const bad = await api.post<{ success: boolean; message: string }>('/api/printers/test-connection', {
        token: operator,
        json: { ...base, ...credentials(false) },
      });
      expect(bad.status).toBe(200);
      expect(bad.body.success).toBe(false);
      expect(bad.body.message).toMatch(/refused|key|credential/i);
    }
    const good = await api.post<{ success: boolean }>('/api/printers/test-connection', {
      token: operator,
      json: { ...base, ...credentials(true) },
    });
    expect(good.body.success).toBe(true);
  });

  it('shows a printer live within moments of adding it', async () => {
    const created = await api.post<{ id: number }>('/api/printers', {
      token: operator,
      json: { name, api_type: apiType, api_host: `127.0.0.1:${port}`, ...credentials(true) },
    });
    expect(created.status).toBe(201);
    printerId = created.body.id;
    const state = await waitFor('printer online and idle', async () => {
      const s = await live();
      return s.online && s.status === 'idle' ? s : undefined;
    });
    expect(state.nozzle_temp).not.toBeNull();
  });

  it.runIf(apiType === 'moonraker')('records the camera the printer announces, without overriding one the user set', async () => {
    const discovered = await waitFor('camera discovered', async () => {
      const printer = (
        await api.get<{ camera_url: string | null; camera_discovered: boolean }>(`/api/printers/${printerId}`, { token: viewer })
      ).body;
      return printer.camera_discovered ? printer : undefined;
    });
    expect(discovered.camera_url).toMatch(/^https?:\/\//);
    await api.patch(`/api/printers/${printerId}`, { token: operator, json: { camera_url: 'http://10.9.9.9/stream' } });
    const own = (await api.get<{ camera_url: string; camera_discovered: boolean }>(`/api/printers/${printerId}`, { token: viewer })).body;
    expect(own).toMatchObject({ camera_url: 'http://10.9.9.9/stream', camera_discovered: false });
  });

  it('keeps a quiet, idle printer online past the silence limit (keepalives count as a sign of life)', async () => {
    const token = await api.login('viewer1', 'Str0ngPassword');
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?token=${token}`);
    // The hub merges changes within 100 ms, so a quick offline→online flap arrives as one
    // printer_state message: a quiet printer must produce none at all.
    const stateMessages: unknown[] = [];
    ws.on('message', (raw) => {
      const message = JSON.parse(frameText(raw)) as { type: string; data: { printer_id?: number } };
      if (message.type === 'printer_state' && message.data.printer_id === printerId) stateMessages.push(message);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    // Proving an absence needs a wait: longer than the 3 s silence limit this server runs with.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    ws.close();
    expect(stateMessages).toEqual([]);
    expect((await live()).online).toBe(true);
  });

  it('streams the state to /ws and records a print someone started on the printer', async () => {
    const token = await api.login('viewer1', 'Str0ngPassword');
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?token=${token}`);
    const messages: { type: string; data: { printer_id?: number; changes?: Record<string, unknown> } }[] = [];
    ws.on('message', (raw) => messages.push(JSON.parse(frameText(raw)) as (typeof messages)[number]));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'subscribe', topics: [`printer:${printerId}`] }));

    sim.startPrint('calibration-cube.gcode', PLAN);
    await waitFor('printing', async () => (await live()).status === 'printing');
    const printingDelta = await waitFor('a printing delta on /ws', () =>
      messages.find((m) => m.type === 'printer_state' && m.data.printer_id === printerId && m.data.changes?.['status'] === 'printing'),
    );
    expect(printingDelta).toBeTruthy();
    await waitFor('progress on /ws', () =>
      messages.some(
        (m) =>
          m.data.printer_id === printerId && typeof m.data.changes?.['progress'] === 'number' && Number(m.data.changes['progress']) > 0,
      ),
    );

    await waitFor('print finished', async () => (await live()).status === 'finished', 15_000);
    const recorded = await waitFor('completed print record', async () => (await jobs()).find((j) => j.status === 'completed'));
    expect(recorded.filename).toMatch(/calibration-cube/);
    expect(recorded.ended_at).not.toBeNull();
    expect(recorded.duration_seconds).toBeGreaterThanOrEqual(0);
    const printer = (await api.get<{ total_print_count: number }>(`/api/printers/${printerId}`, { token: viewer })).body;
    expect(printer.total_print_count).toBe(1);
    ws.close();
  });

  it('pauses, resumes and stops a print from the API — operators may, viewers may not', async () => {
    if (sim instanceof PrusaLinkSimulator) sim.acknowledge();
    sim.setSpeed(20);
    sim.startPrint('long-part.gcode', { ...PLAN, durationSeconds: 3600 });
    await waitFor('printing', async () => ['printing', 'preparing'].includes((await live()).status));

    expect((await api.post(`/api/printers/${printerId}/pause`, { token: viewer })).status).toBe(403);
    expect((await api.post(`/api/printers/${printerId}/pause`, { token: operator })).status).toBe(200);
    await waitFor('paused', async () => (await live()).status === 'paused');
    expect((await api.post(`/api/printers/${printerId}/resume`, { token: operator })).status).toBe(200);
    await waitFor('printing again', async () => ['printing', 'preparing'].includes((await live()).status));
    expect((await api.post(`/api/printers/${printerId}/stop`, { token: operator })).status).toBe(200);
    await waitFor('cancelled', async () => (await live()).status === 'cancelled');
    const cancelled = await waitFor('cancelled print record', async () =>
      (await jobs()).find((j) => j.status === 'cancelled' && j.filename?.includes('long-part')),
    );
    expect(cancelled.ended_at).not.toBeNull();
    const audit = await api.get<{ logs: { action: string; entity_id: number | null; details: unknown }[] }>(
      '/api/audit-logs?entity_type=printer&limit=100',
      { token: admin },
    );
    const control = audit.body.logs.filter((l) => l.entity_id === printerId && ['pause', 'resume', 'stop'].includes(l.action)).reverse();
    expect(control.map((l) => [l.action, l.details])).toEqual([
      ['pause', { name }],
      ['resume', { name }],
      ['stop', { name }],
    ]);
    sim.setSpeed(SPEED);
  });

  it('keeps one record for a print that survives a dropped connection', async () => {
    if (sim instanceof PrusaLinkSimulator) sim.acknowledge();
    const before = (await jobs()).length;
    sim.setSpeed(60);
    sim.startPrint('survivor.gcode', { ...PLAN, durationSeconds: 300 });
    await waitFor('printing', async () => ['printing', 'preparing'].includes((await live()).status));
    sim.dropConnections();
    await waitFor('print finished after reconnecting', async () => (await live()).status === 'finished', 20_000);
    const survivor = await waitFor('completed survivor record', async () =>
      (await jobs()).find((j) => j.filename?.includes('survivor') && j.status === 'completed'),
    );
    expect((await jobs()).filter((j) => j.filename?.includes('survivor'))).toHaveLength(1);
    expect((await jobs()).length).toBe(before + 1);
    expect(survivor.status).toBe('completed');
    sim.setSpeed(SPEED);
  });

  it('marks a printer that disappears offline, and online again when it comes back', async () => {
    await sim.stop();
    await waitFor(
      'offline',
      async () => {
        const s = await live();
        return !s.online && s.status === 'offline';
      },
      15_000,
    );
    sim = makeSimulator(port);
    await sim.start();
    await waitFor('online again', async () => (await live()).online, 15_000);
    const metrics = await api.get('/metrics');
    expect(metrics.text).toMatch(new RegExp(`odin_printer_online\\{printer_id="${printerId}",printer="${name}"\\} 1`));
  });
});
