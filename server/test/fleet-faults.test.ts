import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MoonrakerSimulator } from '../../simulators/src/moonraker/index.js';
import { PrusaLinkSimulator } from '../../simulators/src/prusalink/index.js';
import { type ApiClient, startWithRoles } from './client.js';
import { type TestServer } from './harness.js';
import { waitFor } from './wait.js';

interface LiveStatus {
  status: string;
  online: boolean;
  stage: string | null;
  error_message: string | null;
  progress: number | null;
}

interface PrintJob {
  filename: string | null;
  status: string;
  ended_at: string | null;
}

/**
 * Printers misbehaving in the ways real ones do. The server must keep running, say what is wrong
 * (offline or error) within the silence limit, come back by itself, and keep print records right.
 * No exception may reach the process's top level.
 */
describe('printers that misbehave', () => {
  let server: TestServer;
  let api: ApiClient;
  let operator: string;
  let viewer: string;
  const moonraker = new MoonrakerSimulator({ speed: 100 });
  const prusa = new PrusaLinkSimulator({ speed: 100, auth: { apiKey: 'prusa-key' }, autoAcknowledgeMs: null });
  const ids: Record<'moonraker' | 'prusalink', number> = { moonraker: 0, prusalink: 0 };
  const topLevel: unknown[] = [];
  const onTopLevel = (error: unknown) => topLevel.push(error);

  const live = async (which: keyof typeof ids) =>
    (await api.get<LiveStatus>(`/api/printers/${ids[which]}/live-status`, { token: viewer })).body;
  const jobs = async (which: keyof typeof ids) =>
    (await api.get<PrintJob[]>(`/api/print-jobs?printer_id=${ids[which]}`, { token: viewer })).body;

  beforeAll(async () => {
    process.on('uncaughtException', onTopLevel);
    process.on('unhandledRejection', onTopLevel);
    await Promise.all([moonraker.start(), prusa.start()]);
    ({ server, api, operator, viewer } = await startWithRoles({
      env: {
        ODIN_PRINTER_POLL_MS: '50',
        ODIN_PRINTER_OFFLINE_SECONDS: '2',
        ODIN_RECONNECT_BASE_MS: '50',
        ODIN_RECONNECT_MAX_SECONDS: '1',
        ODIN_PRINTER_TIMEOUT_MS: '500',
        ODIN_TELEMETRY_HISTORY_SECONDS: '1',
      },
    }));
    for (const [which, port, extra] of [
      ['moonraker', moonraker.port, {}],
      ['prusalink', prusa.port, { api_key: 'prusa-key' }],
    ] as const) {
      const created = await api.post<{ id: number }>('/api/printers', {
        token: operator,
        json: { name: which, api_type: which, api_host: `127.0.0.1:${port}`, ...extra },
      });
      ids[which] = created.body.id;
    }
    await waitFor('both online', async () => (await live('moonraker')).online && (await live('prusalink')).online);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([moonraker.stop(), prusa.stop()]);
    process.off('uncaughtException', onTopLevel);
    process.off('unhandledRejection', onTopLevel);
  });

  it('shrugs off garbage and floods from a printer and stays online', async () => {
    moonraker.sendGarbage();
    moonraker.flood(500);
    prusa.sendGarbage(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    prusa.sendGarbage(false);
    moonraker.sendGarbage();
    expect((await api.get('/api/health')).status).toBe(200);
    await waitFor('still online', async () => (await live('moonraker')).online && (await live('prusalink')).online);
  });

  it('marks a stalled printer offline within the silence limit and brings it back when it answers again', async () => {
    for (const [which, sim] of [
      ['moonraker', moonraker],
      ['prusalink', prusa],
    ] as const) {
      sim.stall(true);
      const offline = await waitFor(
        `${which} offline`,
        async () => {
          const s = await live(which);
          return !s.online ? s : undefined;
        },
        15_000,
      );
      expect(offline.status).toBe('offline');
      expect(offline.stage).toBeTruthy();
      sim.stall(false);
      await waitFor(`${which} back online`, async () => (await live(which)).online, 15_000);
    }
  });

  it('shows a Klipper shutdown as an error in words, and recovers', async () => {
    moonraker.klippyShutdown('MCU shutdown: Timer too close');
    const state = await waitFor('error', async () => {
      const s = await live('moonraker');
      return s.status === 'error' ? s : undefined;
    });
    expect(state.error_message).toMatch(/Timer too close/);
    moonraker.klippyReady();
    await waitFor('idle again', async () => (await live('moonraker')).status === 'idle', 15_000);
    const printer = (await api.get<{ last_error_message: string | null }>(`/api/printers/${ids.moonraker}`, { token: viewer })).body;
    expect(printer.last_error_message).toMatch(/Timer too close/);
  });

  it('records a print as failed when the printer reports an error mid-print', async () => {
    prusa.startPrint('will-fail.gcode', { durationSeconds: 3600 });
    await waitFor('printing', async () => ['printing', 'preparing'].includes((await live('prusalink')).status));
    prusa.failPrint();
    const failed = await waitFor('failed record', async () =>
      (await jobs('prusalink')).find((j) => j.filename?.includes('will-fail') && j.status === 'failed'),
    );
    expect(failed.ended_at).not.toBeNull();
  });

  it('answers commands to an offline printer with 409 in words, and keeps serving everything else', async () => {
    prusa.acknowledge();
    prusa.refuseConnections(true);
    prusa.dropConnections();
    await waitFor('offline', async () => !(await live('prusalink')).online, 15_000);
    const response = await api.post<{ detail: string }>(`/api/printers/${ids.prusalink}/pause`, { token: operator });
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/offline/i);
    expect((await api.get('/api/printers', { token: viewer })).status).toBe(200);
    prusa.refuseConnections(false);
    await waitFor('back', async () => (await live('prusalink')).online, 15_000);
  });

  it('records temperature history while printing', async () => {
    moonraker.startPrint('history.gcode', { durationSeconds: 3600 });
    await waitFor('printing', async () => (await live('moonraker')).status === 'printing');
    const rows = await waitFor(
      'two history rows',
      async () => {
        const history = (
          await api.get<{ recorded_at: string; nozzle_temp: number | null }[]>(`/api/printers/${ids.moonraker}/telemetry?hours=1`, {
            token: viewer,
          })
        ).body;
        return history.length >= 2 ? history : undefined;
      },
      10_000,
    );
    expect(rows[0]!.nozzle_temp).not.toBeNull();
    expect(Date.parse(rows[1]!.recorded_at)).toBeGreaterThan(Date.parse(rows[0]!.recorded_at));
    expect((await api.post(`/api/printers/${ids.moonraker}/stop`, { token: operator })).status).toBe(200);
  });

  it('never let an exception reach the top level', () => {
    expect(topLevel).toEqual([]);
  });
});
