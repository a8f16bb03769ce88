import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { loadConfig, type OdinConfig } from '../src/core/config.js';
import { type RunningOdin, startOdin, type StartOptions } from '../src/server.js';

/**
 * Starts the real server on an ephemeral port with a temporary data directory, over real HTTP.
 * Under the `postgres` test project each server gets a fresh PostgreSQL database, dropped on close.
 */
export interface TestServer {
  url: string;
  dataDir: string;
  config: OdinConfig;
  odin: RunningOdin;
  close(): Promise<void>;
}

export const usingPostgres = process.env['ODIN_TEST_DB'] === 'postgres';

export function tempDir(prefix = 'odin-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env['ODIN_TEST_DATABASE_URL'];
  if (!base) throw new Error('ODIN_TEST_DATABASE_URL must be set for the postgres test project');
  const name = `odin_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestServerOptions extends StartOptions {
  env?: Record<string, string>;
  dataDir?: string;
  /** Reuse a database created earlier (restart tests); the caller drops it. */
  databaseUrl?: string;
}

/** The environment a test server runs with; exported so tests can start the same server as a child process. */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ODIN_PORT: '0',
    ODIN_HOST: '127.0.0.1',
    ODIN_DATA_DIR: dataDir,
    ODIN_BCRYPT_ROUNDS: '4',
    ODIN_LOG_LEVEL: 'silent',
    ODIN_WEB_DIR: path.join(dataDir, 'no-web-build'),
    ...extra,
  };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  let database: { url: string; drop(): Promise<void> } | null = null;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl && usingPostgres) {
    database = await createPostgresDatabase();
    databaseUrl = database.url;
  }
  const config = loadConfig(testEnv(dataDir, { ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...options.env }));
  const odin = await startOdin(config, options);
  return {
    url: odin.url,
    dataDir,
    config,
    odin,
    async close() {
      await odin.close();
      await database?.drop();
    },
  };
}
