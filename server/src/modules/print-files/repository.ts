import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';

import { containsPattern } from '../../core/database/like.js';
import { Repository } from '../../core/database/repository.js';
import type { DB, PrintFilesTable } from '../../core/database/schema.js';

export type PrintFileRecord = Selectable<PrintFilesTable>;
export type NewPrintFile = Insertable<PrintFilesTable>;

/** The print_files table. */
export class PrintFilesRepository extends Repository {
  list(
    filter: { model_id?: number | undefined; ids?: readonly number[]; search?: string | undefined; limit?: number | undefined } = {},
    db: Kysely<DB> = this.db,
  ): Promise<PrintFileRecord[]> {
    let query = db.selectFrom('print_files').selectAll();
    if (filter.model_id !== undefined) query = query.where('model_id', '=', filter.model_id);
    if (filter.search) {
      const like = containsPattern(filter.search);
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['original_filename']), 'like', like),
          eb(eb.fn('lower', [eb.fn.coalesce('project_name', sql<string>`''`)]), 'like', like),
          eb(eb.fn('lower', [eb.fn.coalesce('printer_model', sql<string>`''`)]), 'like', like),
        ]),
      );
    }
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    if (filter.ids) {
      if (filter.ids.length === 0) return Promise.resolve([]);
      query = query.where('id', 'in', filter.ids);
    }
    return query.orderBy('uploaded_at', 'desc').orderBy('id', 'desc').execute();
  }

  find(id: number, db: Kysely<DB> = this.db): Promise<PrintFileRecord | undefined> {
    return db.selectFrom('print_files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insert(values: NewPrintFile, db: Kysely<DB> = this.db): Promise<PrintFileRecord> {
    return db.insertInto('print_files').values(values).returningAll().executeTakeFirstOrThrow();
  }

  update(id: number, changes: Updateable<PrintFilesTable>, db: Kysely<DB> = this.db): Promise<PrintFileRecord | undefined> {
    return db.updateTable('print_files').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  }

  async delete(id: number, db: Kysely<DB> = this.db): Promise<void> {
    await db.deleteFrom('print_files').where('id', '=', id).execute();
  }

  /** Unlinks every file of a model (the model is being deleted or the variant removed). */
  async unlinkModel(modelId: number, db: Kysely<DB> = this.db): Promise<void> {
    await db.updateTable('print_files').set({ model_id: null }).where('model_id', '=', modelId).execute();
  }
}
