import { type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';

import { containsPattern } from '../../core/database/like.js';
import { Repository } from '../../core/database/repository.js';
import type { DB, ModelsTable } from '../../core/database/schema.js';

export type ModelRecord = Selectable<ModelsTable> & { variant_count: number };

/** The models table. */
export class ModelsRepository extends Repository {
  list(
    filter: { search?: string | undefined; category?: string | undefined; ids?: readonly number[] } = {},
    db: Kysely<DB> = this.db,
  ): Promise<ModelRecord[]> {
    let query = db
      .selectFrom('models as m')
      .selectAll('m')
      .select((eb) =>
        eb.selectFrom('print_files as f').select(eb.fn.countAll<number>().as('n')).whereRef('f.model_id', '=', 'm.id').as('variant_count'),
      );
    if (filter.search) {
      const like = containsPattern(filter.search);
      query = query.where((eb) => eb(eb.fn('lower', ['m.name']), 'like', like));
    }
    if (filter.category) query = query.where('m.category', '=', filter.category);
    if (filter.ids) {
      if (filter.ids.length === 0) return Promise.resolve([]);
      query = query.where('m.id', 'in', filter.ids);
    }
    return query.orderBy('m.name').orderBy('m.id').execute() as Promise<ModelRecord[]>;
  }

  async find(id: number, db: Kysely<DB> = this.db): Promise<ModelRecord | undefined> {
    const [row] = await this.list({ ids: [id] }, db);
    return row;
  }

  insert(values: Insertable<ModelsTable>, db: Kysely<DB> = this.db) {
    return db.insertInto('models').values(values).returning('id').executeTakeFirstOrThrow();
  }

  async update(id: number, changes: Updateable<ModelsTable>, db: Kysely<DB> = this.db): Promise<void> {
    await db.updateTable('models').set(changes).where('id', '=', id).execute();
  }

  async delete(id: number, db: Kysely<DB> = this.db): Promise<void> {
    await db.deleteFrom('models').where('id', '=', id).execute();
  }
}
