import type { FastifyBaseLogger } from 'fastify';

import { buildApp, type BuiltApp } from './app.js';
import type { OdinConfig } from './core/config.js';
import { type Database, migrate, openDatabase } from './core/database/database.js';
import { ensureSecrets } from './core/secrets.js';
import type { LoginLimiter } from './modules/auth/login-limiter.js';
import { bootstrapAdminFromEnv } from './modules/setup/bootstrap.js';
import type { DriverRegistry } from './printers/driver-registry.js';

export interface RunningOdin extends BuiltApp {
  database: Database;
  /** Base URL the server listens on, e.g. http://127.0.0.1:8000 */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  loginLimiter?: LoginLimiter;
  drivers?: DriverRegistry;
}

/** Opens the database, applies migrations, creates secrets on first start, and listens. */
export async function startOdin(config: OdinConfig, options: StartOptions = {}): Promise<RunningOdin> {
  const secrets = ensureSecrets(config.dataDir, { jwtSecret: config.jwtSecret, encryptionKey: config.encryptionKey });
  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  let built: BuiltApp;
  try {
    const { applied } = await migrate(database);
    built = await buildApp({ config, database, secrets, ...options });
    logMigrations(built.app.log, applied, database);
    await bootstrapAdminFromEnv(config, built.services, built.app.log);
  } catch (error) {
    await database.close();
    throw error;
  }

  const { app } = built;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await database.close();
  };
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await close();
    throw error;
  }
  await built.startFleet();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return { ...built, database, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close };
}

function logMigrations(log: FastifyBaseLogger, applied: string[], database: Database): void {
  log.info(
    { database: database.dialect, location: database.location, applied },
    applied.length ? 'database migrated' : 'database up to date',
  );
}
