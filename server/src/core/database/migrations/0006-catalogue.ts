import type { Kysely } from 'kysely';

import type { DialectName } from '../database.js';
import { columnTypes } from './column-types.js';

/** What a farm prints: models (what customers order) and the print files (sliced projects) behind them. */
export function catalogue(dialect: DialectName) {
  const t = columnTypes(dialect);
  const real = dialect === 'postgres' ? ('double precision' as const) : ('real' as const);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await t
        .id(db.schema.createTable('models'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('build_time_hours', real)
        .addColumn('default_filament_type', 'text')
        // JSON map slot → {color, grams, filament_type}.
        .addColumn('color_requirements', 'text')
        .addColumn('category', 'text')
        .addColumn('thumbnail_url', 'text')
        .addColumn('print_file_id', 'integer')
        .addColumn('notes', 'text')
        .addColumn('cost_per_item', real)
        .addColumn('units_per_bed', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('quantity_per_bed', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('markup_percent', real, (c) => c.notNull().defaultTo(300))
        .addColumn('is_favorite', t.boolean, t.bool(false))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('models_name').on('models').column('name').execute();

      await t
        .id(db.schema.createTable('print_files'))
        // The stored name (random, never the uploader's) and the name it was uploaded with.
        .addColumn('filename', 'text', (c) => c.notNull().unique())
        .addColumn('original_filename', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('slicer', 'text')
        .addColumn('project_name', 'text')
        .addColumn('print_time_seconds', 'integer')
        .addColumn('total_weight_grams', real)
        .addColumn('filament_weight_grams', real)
        .addColumn('filament_length_meters', real)
        .addColumn('layer_count', 'integer')
        .addColumn('layer_height', real)
        .addColumn('nozzle_diameter', real)
        .addColumn('printer_model', 'text')
        .addColumn('supports_used', t.boolean)
        .addColumn('bed_type', 'text')
        .addColumn('filaments_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('plates_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('has_thumbnail', t.boolean, t.bool(false))
        .addColumn('has_mesh', t.boolean, t.bool(false))
        .addColumn('mesh_triangles', 'integer')
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('model_id', 'integer', (c) => c.references('models.id').onDelete('set null'))
        .addColumn('job_id', 'integer')
        .addColumn('stored_path', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'integer')
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('print_files_model').on('print_files').column('model_id').execute();
      await db.schema.createIndex('print_files_sha256').on('print_files').column('sha256').execute();
    },
  };
}
