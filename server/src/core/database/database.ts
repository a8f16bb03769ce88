import path from 'node:path';

import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';

import { migrationProvider } from './migrations/index.js';
import type { DB } from './schema.js';
import { SqliteBooleanPlugin } from './sqlite-boolean-plugin.js';
import { StatementCache } from './statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** Where the data lives, for logs and /health (never includes a password). */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… or undefined for SQLite. */
  url: string | undefined;
  dataDir: string;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export function openDatabase(options: DatabaseOptions): Database {
  if (options.url) return openPostgres(options.url);
  return openSqlite(path.join(options.dataDir, 'odin.db'));
}

function openSqlite(file: string): Database {
  const native = new SQLite(file);
  native.pragma('journal_mode = WAL');
  native.pragma('busy_timeout = 5000');
  native.pragma('foreign_keys = ON');
  // WAL + NORMAL is durable across process crashes (kill -9); only an OS crash can lose the last commit.
  native.pragma('synchronous = NORMAL');
  // Kysely prepares every query afresh; the cache hands out one prepared statement per SQL text.
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: new StatementCache(native) }), plugins: [new SqliteBooleanPlugin()] });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

type TextParser = (value: string) => unknown;

function openPostgres(url: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      // COUNT(*) and SUM() arrive as strings by default; farm-sized numbers fit a double comfortably.
      getTypeParser: ((oid: number, format?: string): TextParser =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : (pg.types.getTypeParser(oid, format as 'text') as TextParser)) as typeof pg.types.getTypeParser,
    },
  });
  // A connection PostgreSQL drops while idle (a restart, a failover, an admin's terminate) is an
  // 'error' event on the pool; unheard, Node would end the whole process. The pool replaces the
  // connection on the next query, so saying so is all there is to do.
  pool.on('error', (error) => {
    process.stderr.write(`PostgreSQL closed an idle connection (${error.message}); it is replaced on the next query\n`);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const redacted = new URL(url);
  redacted.password = '';
  return { db, dialect: 'postgres', location: redacted.toString(), close: () => db.destroy() };
}

export interface MigrationOutcome {
  applied: string[];
}

export async function migrate(database: Database): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db: database.db, provider: migrationProvider(database.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export async function ping(database: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(database.db);
    return true;
  } catch {
    return false;
  }
}
