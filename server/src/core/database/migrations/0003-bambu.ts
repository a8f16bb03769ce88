import type { Kysely } from 'kysely';

import type { DialectName } from '../database.js';
import { columnTypes } from './column-types.js';

/** Bambu Lab and Elegoo printers: TLS switch, AMS environment history, HMS history. */
export function bambu(dialect: DialectName) {
  const t = columnTypes(dialect);
  const real = dialect === 'postgres' ? ('double precision' as const) : ('real' as const);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // The explicit "don't verify the printer's certificate" switch (off: verify).
      await db.schema.alterTable('printers').addColumn('tls_insecure', t.boolean, t.bool(false)).execute();

      await t
        .id(db.schema.createTable('ams_telemetry'))
        .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id').onDelete('cascade'))
        .addColumn('ams_unit', 'integer', (c) => c.notNull())
        .addColumn('humidity', real)
        // Bambu's 1 (wet) … 5 (dry) index, for units that report no percentage.
        .addColumn('humidity_index', 'integer')
        .addColumn('temperature', real)
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ams_telemetry_printer_time').on('ams_telemetry').columns(['printer_id', 'recorded_at']).execute();

      await t
        .id(db.schema.createTable('hms_error_history'))
        .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('severity', 'text')
        .addColumn('source', 'text')
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('cleared_at', 'text')
        .execute();
      await db.schema
        .createIndex('hms_error_history_printer_time')
        .on('hms_error_history')
        .columns(['printer_id', 'occurred_at'])
        .execute();
    },
  };
}
