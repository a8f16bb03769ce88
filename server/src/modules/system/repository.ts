import type { Kysely } from 'kysely';

import { Repository } from '../../core/database/repository.js';
import type { DB } from '../../core/database/schema.js';

/**
 * The `system_config` key/value table (JSON values), shared by setup, permissions and settings.
 * Reads go to the database so several server processes always agree.
 */
export class SystemConfigRepository extends Repository {
  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db.selectFrom('system_config').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      // Values written by hand or by the original may be bare strings.
      return row.value as T;
    }
  }

  async getMany(keys: readonly string[]): Promise<Map<string, unknown>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.selectFrom('system_config').select(['key', 'value']).where('key', 'in', keys).execute();
    return new Map(rows.map((r) => [r.key, safeParse(r.value)]));
  }

  /** Writes a key, replacing its value. */
  async set(key: string, value: unknown, db: Kysely<DB> = this.db): Promise<void> {
    const row = { key, value: JSON.stringify(value), updated_at: new Date().toISOString() };
    await db
      .insertInto('system_config')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }

  /** Writes a key that must not exist yet: a second writer fails on the primary key. */
  async insert(key: string, value: unknown, db: Kysely<DB> = this.db): Promise<void> {
    await db
      .insertInto('system_config')
      .values({ key, value: JSON.stringify(value), updated_at: new Date().toISOString() })
      .execute();
  }

  /** Writes several keys in one transaction: all of them land, or none. */
  async setMany(entries: Record<string, unknown>): Promise<void> {
    await this.transaction(async (trx) => {
      for (const [key, value] of Object.entries(entries)) await this.set(key, value, trx);
    });
  }

  async delete(key: string, db: Kysely<DB> = this.db): Promise<void> {
    await db.deleteFrom('system_config').where('key', '=', key).execute();
  }
}

function safeParse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
