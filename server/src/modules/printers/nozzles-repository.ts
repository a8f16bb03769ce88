import type { Insertable, Kysely, Selectable } from 'kysely';

import { Repository } from '../../core/database/repository.js';
import type { DB, NozzleLifecycleTable } from '../../core/database/schema.js';

export type NozzleRecord = Selectable<NozzleLifecycleTable>;

/** The nozzle_lifecycle table: every nozzle a printer had, the installed one with removed_at null. */
export class NozzlesRepository extends Repository {
  installed(printerId: number): Promise<NozzleRecord | undefined> {
    return this.db
      .selectFrom('nozzle_lifecycle')
      .selectAll()
      .where('printer_id', '=', printerId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
  }

  /** Newest first. */
  history(printerId: number): Promise<NozzleRecord[]> {
    return this.db
      .selectFrom('nozzle_lifecycle')
      .selectAll()
      .where('printer_id', '=', printerId)
      .orderBy('installed_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  find(printerId: number, nozzleId: number): Promise<NozzleRecord | undefined> {
    return this.db
      .selectFrom('nozzle_lifecycle')
      .selectAll()
      .where('id', '=', nozzleId)
      .where('printer_id', '=', printerId)
      .executeTakeFirst();
  }

  insert(values: Insertable<NozzleLifecycleTable>, db: Kysely<DB> = this.db): Promise<NozzleRecord> {
    return db.insertInto('nozzle_lifecycle').values(values).returningAll().executeTakeFirstOrThrow();
  }

  /** Marks the printer's installed nozzle (if any) removed. */
  async removeInstalled(printerId: number, at: string, db: Kysely<DB> = this.db): Promise<void> {
    await db
      .updateTable('nozzle_lifecycle')
      .set({ removed_at: at })
      .where('printer_id', '=', printerId)
      .where('removed_at', 'is', null)
      .execute();
  }

  remove(nozzleId: number, at: string): Promise<NozzleRecord> {
    return this.db
      .updateTable('nozzle_lifecycle')
      .set({ removed_at: at })
      .where('id', '=', nozzleId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Adds a finished print's hours (and count, 0 or 1) to the installed nozzle. */
  async addPrintWear(printerId: number, hours: number, count: number, db: Kysely<DB> = this.db): Promise<void> {
    await db
      .updateTable('nozzle_lifecycle')
      .set((eb) => ({ print_hours_accumulated: eb('print_hours_accumulated', '+', hours), print_count: eb('print_count', '+', count) }))
      .where('printer_id', '=', printerId)
      .where('removed_at', 'is', null)
      .execute();
  }
}
