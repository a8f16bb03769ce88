import { type Kysely, sql } from 'kysely';

import type { DialectName } from '../database.js';
import { columnTypes } from './column-types.js';

/** Printers, their filament slots, observed prints, telemetry history and nozzle lifecycle. */
export function printers(dialect: DialectName) {
  const t = columnTypes(dialect);
  const real = dialect === 'postgres' ? ('double precision' as const) : ('real' as const);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await t
        .id(db.schema.createTable('printers'))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('nickname', 'text')
        .addColumn('model', 'text')
        .addColumn('slot_count', 'integer', (c) => c.notNull().defaultTo(4))
        .addColumn('is_active', t.boolean, t.bool(true))
        .addColumn('display_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('camera_url', 'text')
        .addColumn('camera_enabled', t.boolean, t.bool(true))
        .addColumn('camera_discovered', t.boolean, t.bool(false))
        .addColumn('api_type', 'text')
        .addColumn('api_host', 'text')
        // Fernet-encrypted, as in the original.
        .addColumn('api_key', 'text')
        .addColumn('api_username', 'text')
        .addColumn('api_password', 'text')
        .addColumn('is_favorite', t.boolean, t.bool(false))
        .addColumn('last_seen', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('offline'))
        .addColumn('bed_temp', real)
        .addColumn('bed_target_temp', real)
        .addColumn('nozzle_temp', real)
        .addColumn('nozzle_target_temp', real)
        .addColumn('gcode_state', 'text')
        .addColumn('print_stage', 'text')
        .addColumn('hms_errors', 'text')
        .addColumn('lights_on', t.boolean)
        .addColumn('lights_toggled_at', 'text')
        .addColumn('nozzle_type', 'text')
        .addColumn('nozzle_diameter', real)
        .addColumn('fan_speed', real)
        .addColumn('total_print_hours', real, (c) => c.notNull().defaultTo(0))
        .addColumn('total_print_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('hours_since_maintenance', real, (c) => c.notNull().defaultTo(0))
        .addColumn('prints_since_maintenance', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error_code', 'text')
        .addColumn('last_error_message', 'text')
        .addColumn('last_error_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await t
        .id(db.schema.createTable('filament_slots'))
        .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id').onDelete('cascade'))
        .addColumn('slot_number', 'integer', (c) => c.notNull())
        .addColumn('filament_type', 'text')
        .addColumn('color', 'text')
        .addColumn('color_hex', 'text')
        .addColumn('spoolman_spool_id', 'integer')
        .addColumn('assigned_spool_id', 'integer')
        .addColumn('spool_confirmed', t.boolean, t.bool(false))
        .addColumn('loaded_at', 'text')
        .addUniqueConstraint('filament_slots_printer_slot', ['printer_id', 'slot_number'])
        .execute();

      await t
        .id(db.schema.createTable('print_jobs'))
        .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id').onDelete('cascade'))
        .addColumn('job_id', 'text')
        .addColumn('filename', 'text')
        .addColumn('job_name', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress_percent', real)
        .addColumn('remaining_minutes', real)
        .addColumn('total_layers', 'integer')
        .addColumn('current_layer', 'integer')
        .addColumn('bed_temp_target', real)
        .addColumn('nozzle_temp_target', real)
        .addColumn('filament_slots', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('scheduled_job_id', 'integer')
        .execute();
      await db.schema.createIndex('print_jobs_printer_started').on('print_jobs').columns(['printer_id', 'started_at']).execute();
      await db.schema.createIndex('print_jobs_started').on('print_jobs').column('started_at').execute();
      await db.schema.createIndex('print_jobs_status').on('print_jobs').column('status').execute();

      await t
        .id(db.schema.createTable('printer_telemetry'))
        .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id').onDelete('cascade'))
        .addColumn('bed_temp', real)
        .addColumn('nozzle_temp', real)
        .addColumn('bed_target', real)
        .addColumn('nozzle_target', real)
        .addColumn('fan_speed', real)
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('printer_telemetry_printer_time')
        .on('printer_telemetry')
        .columns(['printer_id', 'recorded_at'])
        .execute();

      await t
        .id(db.schema.createTable('nozzle_lifecycle'))
        .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id').onDelete('cascade'))
        .addColumn('nozzle_type', 'text')
        .addColumn('nozzle_diameter', real)
        .addColumn('installed_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .addColumn('print_hours_accumulated', real, (c) => c.notNull().defaultTo(0))
        .addColumn('print_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('notes', 'text')
        .execute();
      await db.schema.createIndex('nozzle_lifecycle_printer').on('nozzle_lifecycle').columns(['printer_id', 'installed_at']).execute();
      // At most one installed nozzle per printer.
      await sql`create unique index nozzle_lifecycle_installed on nozzle_lifecycle (printer_id) where removed_at is null`.execute(db);
    },
  };
}
