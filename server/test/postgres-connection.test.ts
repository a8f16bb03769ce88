import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, setupAdmin } from './client.js';
import { startTestServer, type TestServer, usingPostgres } from './harness.js';

/** PostgreSQL restarts and failovers drop connections under a running ODIN; it must carry on. */
describe.skipIf(!usingPostgres)('PostgreSQL dropping connections', () => {
  let server: TestServer;
  let api: ApiClient;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    token = await setupAdmin(api);
  });
  afterAll(() => server?.close());

  it('keeps ODIN running and answering when PostgreSQL terminates its connections', async () => {
    expect((await api.get('/api/users', { token })).status).toBe(200);
    const database = new URL(server.config.databaseUrl ?? '').pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env['ODIN_TEST_DATABASE_URL'] });
    await admin.connect();
    const terminated = await admin.query<{ count: string }>(
      'SELECT count(pg_terminate_backend(pid)) AS count FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    await admin.end();
    expect(Number(terminated.rows[0]?.count)).toBeGreaterThan(0);
    // The pool notices the dead connections and opens new ones; requests keep working.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await api.get('/api/users', { token })).status).toBe(200);
    expect((await api.get<{ database: string }>('/api/health')).body.database).toBe('ok');
  });
});
