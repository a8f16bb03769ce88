import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MoonrakerSimulator } from '../../../../simulators/src/moonraker/index.js';
import { ApiClient, startWithRoles } from '../../../test/client.js';
import { createPostgresDatabase, startTestServer, tempDir, type TestServer, usingPostgres } from '../../../test/harness.js';
import { waitFor } from '../../../test/wait.js';
import { openDatabase } from '../../core/database/database.js';
import { PROGRESS_EVERY_MS } from './job-tracker.js';
import { PrintJobsRepository } from './repository.js';

interface PrintJob {
  id: number;
  printer_id: number;
  filename: string | null;
  status: string;
  progress_percent: number | null;
  current_layer: number | null;
  total_layers: number | null;
  remaining_minutes: number | null;
}

/**
 * A running print's row in print_jobs is written when it starts and ends, and its progress about
 * once a minute; the API shows the tracker's current value meanwhile.
 */
describe('print jobs of a running print', () => {
  const dataDir = tempDir();
  let databaseUrl: string | undefined;
  let dropDatabase = () => Promise.resolve();
  let server: TestServer;
  let api: ApiClient;
  let viewer: string;
  let sim: MoonrakerSimulator;
  let printerId: number;
  const env = {
    ODIN_PRINTER_POLL_MS: '50',
    ODIN_RECONNECT_BASE_MS: '50',
    ODIN_RECONNECT_MAX_SECONDS: '1',
  };

  /** print_jobs as stored, read through the module's repository on a connection of its own. */
  const storedJobs = async () => {
    const database = openDatabase({ url: databaseUrl, dataDir });
    try {
      return await new PrintJobsRepository(database.db).page({ printerId }, 50, 0);
    } finally {
      await database.close();
    }
  };
  const jobs = async () => (await api.get<PrintJob[]>(`/api/print-jobs?printer_id=${printerId}`, { token: viewer })).body;

  beforeAll(async () => {
    if (usingPostgres) {
      // The server restarts on the same database, so this file creates and drops it.
      const database = await createPostgresDatabase();
      databaseUrl = database.url;
      dropDatabase = () => database.drop();
    }
    sim = new MoonrakerSimulator({ speed: 30 });
    await sim.start();
    let operator: string;
    ({ server, api, operator, viewer } = await startWithRoles({ dataDir, env, ...(databaseUrl ? { databaseUrl } : {}) }));
    const created = await api.post<{ id: number }>('/api/printers', {
      token: operator,
      json: { name: 'Voron 0.2', api_type: 'moonraker', api_host: `127.0.0.1:${sim.port}` },
    });
    expect(created.status).toBe(201);
    printerId = created.body.id;
    await waitFor('printer online', async () => {
      const live = (await api.get<{ online: boolean; status: string }>(`/api/printers/${printerId}/live-status`, { token: viewer })).body;
      return live.online && live.status === 'idle';
    });
  });
  afterAll(async () => {
    await server?.close();
    await sim?.stop();
    await dropDatabase();
  });

  it('shows the current progress of a running print, newer than its print_jobs row', async () => {
    // 1200 simulated seconds at 30× is 40 s of printing: well inside one write interval.
    expect(PROGRESS_EVERY_MS).toBeGreaterThanOrEqual(60_000);
    sim.startPrint('live-progress.gcode', { durationSeconds: 1200, heatSeconds: 10, totalLayers: 60 });
    const running = await waitFor(
      'a running print past 10 %',
      async () => (await jobs()).find((j) => j.status === 'running' && (j.progress_percent ?? 0) >= 10),
      20_000,
    );
    expect(running.filename).toMatch(/live-progress/);

    const stored = (await storedJobs()).find((j) => j.id === running.id);
    const shown = (await jobs()).find((j) => j.id === running.id);
    expect(stored?.status).toBe('running');
    // The row still holds what was written when the print started; the API has the live value.
    expect(stored!.progress_percent ?? 0).toBeLessThan(5);
    expect(shown!.progress_percent).toBeGreaterThanOrEqual(running.progress_percent!);
    expect(shown!.progress_percent).toBeGreaterThan(stored!.progress_percent ?? 0);
    expect(shown!.current_layer).toBeGreaterThan(stored!.current_layer ?? 0);
    expect(shown!.total_layers).toBe(60);
    expect(shown!.remaining_minutes).toBeGreaterThan(0);
    expect(shown!.remaining_minutes).toBeLessThan(20);
  });

  it('writes the latest progress when the server stops, and the print continues in the same record', async () => {
    const before = (await jobs()).find((j) => j.status === 'running')!;
    await server.close();

    // Stopping wrote what the API showed (or more: the print went on meanwhile).
    const saved = (await storedJobs()).find((j) => j.id === before.id)!;
    expect(saved.status).toBe('running');
    expect(saved.progress_percent).toBeGreaterThanOrEqual(before.progress_percent!);
    expect(saved.current_layer).toBeGreaterThanOrEqual(before.current_layer!);

    server = await startTestServer({ dataDir, env, ...(databaseUrl ? { databaseUrl } : {}) });
    api = new ApiClient(server.url);
    sim.setSpeed(2_000);
    const completed = await waitFor('the print completed', async () => (await jobs()).find((j) => j.status === 'completed'), 20_000);
    expect(completed.id).toBe(before.id);
    expect(completed.progress_percent).toBe(100);
    expect((await jobs()).filter((j) => j.filename?.includes('live-progress'))).toHaveLength(1);
    expect((await storedJobs()).find((j) => j.id === before.id)).toMatchObject({ status: 'completed', progress_percent: 100 });
  });
});
