import type { Kysely } from 'kysely';

import type { DialectName } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * The filament inventory: the filament library, spools, their use, and what the printers report
 * about the filament in each slot (remaining, RFID tag) so slots can be matched to spools.
 */
export function inventory(dialect: DialectName) {
  const t = columnTypes(dialect);
  const real = dialect === 'postgres' ? ('double precision' as const) : ('real' as const);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await t
        .id(db.schema.createTable('filament_library'))
        .addColumn('brand', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('material', 'text', (c) => c.notNull().defaultTo('PLA'))
        .addColumn('color_hex', 'text')
        .addColumn('cost_per_gram', real)
        .addColumn('density', real)
        .addColumn('diameter_mm', real, (c) => c.notNull().defaultTo(1.75))
        .addColumn('nozzle_temp_min', 'integer')
        .addColumn('nozzle_temp_max', 'integer')
        .addColumn('bed_temp_min', 'integer')
        .addColumn('bed_temp_max', 'integer')
        // What a new spool of this filament weighs: net filament and the empty spool.
        .addColumn('net_weight_g', real)
        .addColumn('spool_weight_g', real)
        .addColumn('low_stock_threshold_g', real)
        .addColumn('spoolman_filament_id', 'integer')
        .addColumn('bambu_filament_id', 'text')
        .addColumn('is_custom', t.boolean, t.bool(true))
        .addColumn('notes', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('filament_library_material').on('filament_library').column('material').execute();

      await t
        .id(db.schema.createTable('spools'))
        .addColumn('filament_id', 'integer', (c) => c.notNull().references('filament_library.id').onDelete('restrict'))
        .addColumn('qr_code', 'text', (c) => c.notNull().unique())
        .addColumn('rfid_tag', 'text', (c) => c.unique())
        // Bambu spools carry two tags (one per flange) with different uids but one tray_uuid.
        .addColumn('rfid_uuid', 'text')
        .addColumn('color_hex', 'text')
        .addColumn('initial_weight_g', real, (c) => c.notNull().defaultTo(1000))
        .addColumn('remaining_weight_g', real, (c) => c.notNull())
        .addColumn('spool_weight_g', real, (c) => c.notNull().defaultTo(250))
        .addColumn('price', real)
        .addColumn('purchase_date', 'text')
        .addColumn('vendor', 'text')
        .addColumn('lot_number', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('location_printer_id', 'integer', (c) => c.references('printers.id').onDelete('set null'))
        .addColumn('location_slot', 'integer')
        .addColumn('storage_location', 'text')
        .addColumn('notes', 'text')
        .addColumn('spoolman_spool_id', 'integer')
        // How the spool came to be: `manual`, `rfid` (first seen in an AMS tray), `spoolman`.
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
        .addColumn('last_weighed_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('spools_status').on('spools').columns(['status', 'filament_id']).execute();
      await db.schema.createIndex('spools_rfid_uuid').on('spools').column('rfid_uuid').execute();
      await db.schema.createIndex('spools_location').on('spools').columns(['location_printer_id', 'location_slot']).execute();

      await t
        .id(db.schema.createTable('spool_usage'))
        .addColumn('spool_id', 'integer', (c) => c.notNull().references('spools.id').onDelete('cascade'))
        .addColumn('job_id', 'integer')
        .addColumn('print_job_id', 'integer')
        .addColumn('printer_id', 'integer', (c) => c.references('printers.id').onDelete('set null'))
        .addColumn('weight_used_g', real, (c) => c.notNull())
        // `use` (recorded by hand or by a job), `weigh` (a scale reading corrected the remaining), `rfid`.
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('use'))
        .addColumn('remaining_after_g', real)
        .addColumn('used_at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('notes', 'text')
        .execute();
      await db.schema.createIndex('spool_usage_spool_time').on('spool_usage').columns(['spool_id', 'used_at']).execute();

      // What the printer itself reports about a slot, beside what an operator assigned.
      await db.schema.alterTable('filament_slots').addColumn('remaining_percent', real).execute();
      await db.schema.alterTable('filament_slots').addColumn('rfid_tag', 'text').execute();
      await db.schema.alterTable('filament_slots').addColumn('reported_at', 'text').execute();
      // `printer` (reported by the printer: AMS, external spool, loaded filament) or `manual`.
      await db.schema.alterTable('filament_slots').addColumn('source', 'text').execute();
      // Why the slot needs an operator: `unmatched`, `suggested`, `mismatch`, `rfid_conflict`; null when settled.
      await db.schema.alterTable('filament_slots').addColumn('attention', 'text').execute();
    },
  };
}
