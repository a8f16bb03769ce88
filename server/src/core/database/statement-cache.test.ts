import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { migrate, openDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

describe('StatementCache', () => {
  let native: SQLite.Database;
  let cache: StatementCache;

  beforeEach(() => {
    native = new SQLite(':memory:');
    native.exec('create table t (a integer)');
    native.exec('insert into t values (1), (2), (3)');
    cache = new StatementCache(native, 3);
  });
  afterEach(() => {
    if (native.open) cache.close();
  });

  it('hands out the same prepared statement for the same SQL', () => {
    const first = cache.prepare('select a from t where a = ?');
    const again = cache.prepare('select a from t where a = ?');
    expect(again).toBe(first);
    expect(again.all([2])).toEqual([{ a: 2 }]);
    expect(cache.prepare('select a from t where a > ?')).not.toBe(first);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const one = cache.prepare('select 1');
    const two = cache.prepare('select 2');
    cache.prepare('select 3');
    expect(cache.prepare('select 1')).toBe(one); // now the most recently used
    cache.prepare('select 4'); // pushes out 'select 2'
    expect(cache.size).toBe(3);
    expect(cache.prepare('select 1')).toBe(one);
    const twoAgain = cache.prepare('select 2');
    expect(twoAgain).not.toBe(two);
    expect(twoAgain.all([])).toEqual([{ 2: 2 }]);
    expect(cache.size).toBe(3);
  });

  it('never hands out a statement that is still being iterated', () => {
    const text = 'select a from t order by a';
    const streaming = cache.prepare(text);
    const rows = streaming.iterate([]);
    expect(rows.next().value).toEqual({ a: 1 });
    expect(streaming.busy).toBe(true);

    const second = cache.prepare(text);
    expect(second).not.toBe(streaming);
    expect(second.all([])).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(rows.next().value).toEqual({ a: 2 });

    rows.return?.();
    expect(streaming.busy).toBe(false);
    expect(cache.prepare(text)).toBe(streaming);
  });

  it('follows schema changes with a statement it already holds', () => {
    const select = cache.prepare('select * from t where a = ?');
    expect(select.all([1])).toEqual([{ a: 1 }]);
    native.exec('alter table t add column b integer default 7');
    expect(cache.prepare('select * from t where a = ?').all([1])).toEqual([{ a: 1, b: 7 }]);
  });

  it('closes the database it wraps', () => {
    cache.prepare('select 1');
    cache.close();
    expect(native.open).toBe(false);
    expect(cache.size).toBe(0);
  });
});

describe('the SQLite database behind Kysely', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'odin-statements-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, commits, rolls back and streams while preparing each SQL text once', async () => {
    const database = openDatabase({ url: undefined, dataDir });
    try {
      expect((await migrate(database)).applied.length).toBeGreaterThan(0);
      const { db } = database;
      const prepare = vi.spyOn(SQLite.prototype, 'prepare');
      const read = (key: string) => db.selectFrom('system_config').select('value').where('key', '=', key).executeTakeFirst();
      const write = (key: string, value: string) =>
        db.insertInto('system_config').values({ key, value, updated_at: new Date().toISOString() }).execute();

      await write('kept', '"1"');
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('system_config').set({ value: '"2"' }).where('key', '=', 'kept').execute();
      });
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.updateTable('system_config').set({ value: '"3"' }).where('key', '=', 'kept').execute();
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      for (let i = 0; i < 20; i++) expect(await read('kept')).toEqual({ value: '"2"' });

      await write('other', '"x"');
      const streamed: string[] = [];
      const all = db.selectFrom('system_config').select('key').orderBy('key');
      for await (const row of all.stream()) streamed.push(row.key);
      expect(streamed).toEqual(['kept', 'other']);
      expect(await all.execute()).toEqual([{ key: 'kept' }, { key: 'other' }]);

      const prepared = prepare.mock.calls.map(([text]) => text);
      // Twenty reads of the same SQL, one prepare; the two transactions' begin prepared once too.
      expect(prepared.filter((text) => text.startsWith('select "value" from "system_config"'))).toHaveLength(1);
      expect(prepared.filter((text) => text === 'begin')).toHaveLength(1);
      expect(new Set(prepared).size).toBe(prepared.length);
      expect(await sql<{ n: number }>`select count(*) as n from system_config`.execute(db)).toMatchObject({ rows: [{ n: 2 }] });
    } finally {
      await database.close();
    }
  });
});
