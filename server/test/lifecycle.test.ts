import fs from 'node:fs';
import path from 'node:path';

import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { runCli, spawnServer } from './child-process.js';
import { ADMIN, ApiClient, PASSWORD, setupAdmin } from './client.js';
import { createPostgresDatabase, startTestServer, tempDir, testEnv, usingPostgres } from './harness.js';

/** A database for a test that restarts the server: the same SQLite file or PostgreSQL database each time. */
async function persistentDatabase(): Promise<{ env: Record<string, string>; url: string | undefined; drop: () => Promise<void> }> {
  if (!usingPostgres) return { env: {}, url: undefined, drop: () => Promise.resolve() };
  const database = await createPostgresDatabase();
  return { env: { DATABASE_URL: database.url }, url: database.url, drop: () => database.drop() };
}

describe('data directory and restarts', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('generates its secrets on first start with mode 0600 and keeps data and sessions across a restart', async () => {
    const dataDir = tempDir();
    const database = await persistentDatabase();
    cleanups.push(database.drop);
    const first = await startTestServer({ dataDir, ...(database.url ? { databaseUrl: database.url } : {}) });
    const api1 = new ApiClient(first.url);
    const token = await setupAdmin(api1);
    await first.close();

    for (const file of ['.jwt_secret', '.encryption_key']) {
      const stat = fs.statSync(path.join(dataDir, file));
      expect(stat.mode & 0o777, file).toBe(0o600);
    }
    const secretBefore = fs.readFileSync(path.join(dataDir, '.jwt_secret'), 'utf8');

    const second = await startTestServer({ dataDir, ...(database.url ? { databaseUrl: database.url } : {}) });
    try {
      const api2 = new ApiClient(second.url);
      expect(fs.readFileSync(path.join(dataDir, '.jwt_secret'), 'utf8')).toBe(secretBefore);
      // The token from before the restart is still good, and so is the password.
      expect((await api2.get('/api/auth/me', { token })).status).toBe(200);
      await api2.login(ADMIN.username, ADMIN.password);
      expect((await api2.get('/api/setup/status')).body).toMatchObject({ is_complete: true });
    } finally {
      await second.close();
    }
  });

  it.skipIf(usingPostgres)('keeps the embedded database in WAL mode inside the data directory', async () => {
    const server = await startTestServer();
    try {
      const db = new SQLite(path.join(server.dataDir, 'odin.db'), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      await server.close();
    }
  });

  it('opens clean after kill -9 in the middle of a write loop, with every acknowledged write present', async () => {
    const dataDir = tempDir();
    const database = await persistentDatabase();
    cleanups.push(database.drop);
    const env = testEnv(dataDir, { ...database.env, ODIN_ADMIN_USERNAME: ADMIN.username, ODIN_ADMIN_PASSWORD: ADMIN.password });
    const { child, url } = await spawnServer(env);
    const api = new ApiClient(url);
    const admin = await api.login(ADMIN.username, ADMIN.password);

    const acknowledged: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const username = `w${w}-${i}`;
        try {
          const response = await api.post('/api/users', { token: admin, json: { username, password: PASSWORD } });
          if (response.status === 200) acknowledged.push(username);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = [0, 1, 2, 3, 4, 5].map(worker);
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));

    if (!usingPostgres) {
      const db = new SQLite(path.join(dataDir, 'odin.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    const restarted = await startTestServer({ dataDir, ...(database.url ? { databaseUrl: database.url } : {}) });
    try {
      const api2 = new ApiClient(restarted.url);
      expect((await api2.get<{ database: string }>('/api/health')).body.database).toBe('ok');
      const token = await api2.login(ADMIN.username, ADMIN.password);
      const users = (await api2.get<{ username: string }[]>('/api/users', { token })).body.map((u) => u.username);
      const missing = acknowledged.filter((name) => !users.includes(name));
      expect(missing).toEqual([]);
      // And it takes new writes.
      expect((await api2.post('/api/users', { token, json: { username: 'after-crash', password: PASSWORD } })).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});

describe('odin command line', () => {
  it('migrates, creates an admin and resets a password without starting the server', async () => {
    const dataDir = tempDir();
    const database = await persistentDatabase();
    try {
      const env = testEnv(dataDir, database.env);
      const migrated = await runCli(['migrate'], env);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).toMatch(/Applied: 0001_foundation/);
      expect((await runCli(['migrate'], env)).stdout).toMatch(/up to date/);

      const created = await runCli(['admin', 'create', '--username', 'boss', '--password', PASSWORD, '--email', 'boss@farm.example'], env);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/Created admin "boss"/);
      const weak = await runCli(['admin', 'create', '--username', 'weakling', '--password', 'weak'], env);
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/at least 8 characters/);

      const reset = await runCli(['admin', 'reset-password', '--username', 'boss', '--password', 'Rec0veredPass'], env);
      expect(reset.code, reset.stderr).toBe(0);

      const server = await startTestServer({ dataDir, ...(database.url ? { databaseUrl: database.url } : {}) });
      try {
        const api = new ApiClient(server.url);
        const token = await api.login('boss', 'Rec0veredPass');
        expect((await api.get<{ role: string }>('/api/auth/me', { token })).body.role).toBe('admin');
      } finally {
        await server.close();
      }
    } finally {
      await database.drop();
    }
    // Five processes start one after another; on a busy two-core CI machine each takes seconds.
  }, 90_000);

  it('refuses to start with bad configuration and says what is wrong', async () => {
    const result = await runCli(['serve'], { ODIN_PORT: 'eighty', ODIN_DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ODIN_PORT must be a whole number/);
  });
});
