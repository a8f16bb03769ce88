import type { Kysely, Selectable, Updateable } from 'kysely';

import { Repository } from '../../core/database/repository.js';
import type { DB, FilamentSlotsTable } from '../../core/database/schema.js';

export type SlotRecord = Selectable<FilamentSlotsTable>;
export type SlotChanges = Updateable<Omit<FilamentSlotsTable, 'id' | 'printer_id' | 'slot_number'>>;

/** The filament_slots table: what is loaded in each slot of each printer (printers own it; the spools module's slot matcher writes what printers report and which spool is where). */
export class FilamentSlotsRepository extends Repository {
  /** Every printer's slots, by printer then slot number. */
  all(): Promise<SlotRecord[]> {
    return this.db.selectFrom('filament_slots').selectAll().orderBy('printer_id').orderBy('slot_number').execute();
  }

  forPrinter(printerId: number, db: Kysely<DB> = this.db): Promise<SlotRecord[]> {
    return db.selectFrom('filament_slots').selectAll().where('printer_id', '=', printerId).orderBy('slot_number').execute();
  }

  /** Loaded slots with no spool assigned or confirmed. */
  unmatched(printerId: number): Promise<SlotRecord[]> {
    return this.db
      .selectFrom('filament_slots')
      .selectAll()
      .where('printer_id', '=', printerId)
      .where('filament_type', 'is not', null)
      .where('spool_confirmed', '=', false)
      .where('assigned_spool_id', 'is', null)
      .orderBy('slot_number')
      .execute();
  }

  /** Empty slots with these numbers; numbers that exist already are left alone. */
  async addEmpty(printerId: number, slotNumbers: number[], db: Kysely<DB> = this.db): Promise<void> {
    if (slotNumbers.length === 0) return;
    await db
      .insertInto('filament_slots')
      .values(slotNumbers.map((n) => ({ printer_id: printerId, slot_number: n, spool_confirmed: false })))
      .onConflict((oc) => oc.columns(['printer_id', 'slot_number']).doNothing())
      .execute();
  }

  async removeAbove(printerId: number, slotCount: number, db: Kysely<DB> = this.db): Promise<void> {
    // Only numbered slots (1–16) follow slot_count; the external spool (0) and AMS HT (17–24) are the printer's to report.
    await db
      .deleteFrom('filament_slots')
      .where('printer_id', '=', printerId)
      .where('slot_number', '>', slotCount)
      .where('slot_number', '<=', 16)
      .execute();
  }

  /** The changed slot, or undefined when the printer has no such slot. */
  update(printerId: number, slotNumber: number, changes: SlotChanges, db: Kysely<DB> = this.db): Promise<SlotRecord | undefined> {
    return db
      .updateTable('filament_slots')
      .set(changes)
      .where('printer_id', '=', printerId)
      .where('slot_number', '=', slotNumber)
      .returningAll()
      .executeTakeFirst();
  }
}
