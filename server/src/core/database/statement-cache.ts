import type { Database as NativeDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept prepared; ODIN's queries are a few hundred shapes at most. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

/**
 * What Kysely's SQLite dialect is given instead of the better-sqlite3 database: its driver calls
 * `prepare(sql)` for every query, and compiling the same SQL over and over was a visible share of a
 * busy fleet's CPU. This keeps one prepared statement per SQL text (least recently used ones are
 * dropped beyond `capacity`) and hands it out again; parameters are bound on each run, so a reused
 * statement is as good as a new one. SQLite re-prepares a statement by itself after a schema change.
 *
 * A statement still being iterated (`busy`, a streamed select not yet finished) cannot run a second
 * time: the same SQL then gets a fresh statement of its own, not kept.
 */
export class StatementCache implements SqliteDatabase {
  /** In use order: the first key is the least recently used. */
  readonly #statements = new Map<string, Statement>();

  constructor(
    private readonly native: NativeDatabase,
    private readonly capacity = DEFAULT_STATEMENT_CACHE_SIZE,
  ) {}

  prepare(sql: string): Statement {
    const cached = this.#statements.get(sql);
    if (cached) {
      if (cached.busy) return this.native.prepare(sql);
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.native.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.capacity) {
      const oldest = this.#statements.keys().next();
      if (!oldest.done) this.#statements.delete(oldest.value);
    }
    return statement;
  }

  /** How many statements are kept (tests). */
  get size(): number {
    return this.#statements.size;
  }

  close(): void {
    this.#statements.clear();
    this.native.close();
  }
}
