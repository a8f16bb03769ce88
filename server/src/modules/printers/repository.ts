import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';

import { Repository } from '../../core/database/repository.js';
import type { DB, PrintersTable } from '../../core/database/schema.js';

export type PrinterRecord = Selectable<PrintersTable>;
export type PrinterChanges = Updateable<PrintersTable>;

/** The live columns of a printer row, as the state persister writes them. */
export type PrinterLiveColumns = Pick<
  PrinterChanges,
  | 'status'
  | 'print_stage'
  | 'bed_temp'
  | 'bed_target_temp'
  | 'nozzle_temp'
  | 'nozzle_target_temp'
  | 'fan_speed'
  | 'lights_on'
  | 'last_seen'
  | 'last_error_code'
  | 'last_error_message'
  | 'last_error_at'
>;

/** The printers table: settings, encrypted credentials, the last persisted live state and care counters. */
export class PrintersRepository extends Repository {
  /** Every printer in display order. */
  list(): Promise<PrinterRecord[]> {
    return this.db.selectFrom('printers').selectAll().orderBy('display_order').orderBy('id').execute();
  }

  find(id: number): Promise<PrinterRecord | undefined> {
    return this.db.selectFrom('printers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  names(): Promise<{ id: number; name: string }[]> {
    return this.db.selectFrom('printers').select(['id', 'name']).execute();
  }

  async ids(): Promise<number[]> {
    return (await this.db.selectFrom('printers').select('id').execute()).map((r) => r.id);
  }

  /** Active printers that have a protocol (all, or the one with `id`). */
  connectable(id?: number): Promise<PrinterRecord[]> {
    let query = this.db.selectFrom('printers').selectAll().where('is_active', '=', true).where('api_type', 'is not', null);
    if (id !== undefined) query = query.where('id', '=', id);
    return query.execute();
  }

  /** One past the highest display_order in use (0 for the first printer). */
  async nextDisplayOrder(db: Kysely<DB> = this.db): Promise<number> {
    const last = await db
      .selectFrom('printers')
      .select((eb) => eb.fn.max('display_order').as('max'))
      .executeTakeFirst();
    return Number(last?.max ?? -1) + 1;
  }

  async insert(values: Insertable<PrintersTable>, db: Kysely<DB> = this.db): Promise<number> {
    const row = await db.insertInto('printers').values(values).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async update(id: number, changes: PrinterChanges, db: Kysely<DB> = this.db): Promise<void> {
    await db.updateTable('printers').set(changes).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('printers').where('id', '=', id).execute();
  }

  /** display_order = position in `ids`, all in one transaction. */
  async setDisplayOrder(ids: number[]): Promise<void> {
    await this.transaction(async (trx) => {
      for (const [index, id] of ids.entries()) {
        await trx.updateTable('printers').set({ display_order: index }).where('id', '=', id).execute();
      }
    });
  }

  /** A camera the printer announced, stored only over an empty or an earlier discovered URL, never the user's own. */
  async setDiscoveredCamera(id: number, url: string): Promise<void> {
    await this.db
      .updateTable('printers')
      .set({ camera_url: url, camera_discovered: true, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('camera_url', 'is', null), eb('camera_discovered', '=', true)]))
      .where((eb) => eb.or([eb('camera_url', 'is', null), eb('camera_url', '!=', url)]))
      .execute();
  }

  async setLights(id: number, on: boolean, at: string): Promise<void> {
    await this.db.updateTable('printers').set({ lights_on: on, lights_toggled_at: at }).where('id', '=', id).execute();
  }

  /** The last live state of several printers, in one transaction. */
  async saveLiveStates(rows: { id: number; columns: PrinterLiveColumns }[]): Promise<void> {
    await this.transaction(async (trx) => {
      for (const { id, columns } of rows) await trx.updateTable('printers').set(columns).where('id', '=', id).execute();
    });
  }

  /** Adds a finished print's hours (and count, 0 or 1) to the printer's lifetime and maintenance counters. */
  async addPrintWear(id: number, hours: number, count: number, db: Kysely<DB> = this.db): Promise<void> {
    await db
      .updateTable('printers')
      .set((eb) => ({
        total_print_hours: eb('total_print_hours', '+', hours),
        hours_since_maintenance: eb('hours_since_maintenance', '+', hours),
        total_print_count: eb('total_print_count', '+', count),
        prints_since_maintenance: eb('prints_since_maintenance', '+', count),
      }))
      .where('id', '=', id)
      .execute();
  }
}
