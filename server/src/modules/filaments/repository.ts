import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';

import { containsPattern } from '../../core/database/like.js';
import { Repository } from '../../core/database/repository.js';
import type { DB, FilamentLibraryTable } from '../../core/database/schema.js';

export type FilamentRecord = Selectable<FilamentLibraryTable>;
export type FilamentStockRecord = FilamentRecord & { spool_count: number; stock_g: number };
export type NewFilament = Insertable<FilamentLibraryTable>;
export type FilamentChanges = Updateable<Omit<FilamentLibraryTable, 'id' | 'created_at'>>;

export interface FilamentListFilter {
  material?: string | undefined;
  brand?: string | undefined;
  search?: string | undefined;
  ids?: readonly number[] | undefined;
}

/** The filament_library table. */
export class FilamentsRepository extends Repository {
  constructor(
    db: Kysely<DB>,
    /** Called after every write (spool lists show filament names). */
    private readonly onWrite: () => void = () => undefined,
  ) {
    super(db);
  }

  /** Filaments with the stock of their active spools, by brand, name. */
  list(filter: FilamentListFilter = {}, db: Kysely<DB> = this.db): Promise<FilamentStockRecord[]> {
    let query = db
      .selectFrom('filament_library as f')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('spools')
            .select((s) => ['filament_id', s.fn.countAll<number>().as('spool_count'), s.fn.sum<number>('remaining_weight_g').as('stock_g')])
            .where('status', '=', 'active')
            .groupBy('filament_id')
            .as('stock'),
        (join) => join.onRef('stock.filament_id', '=', 'f.id'),
      )
      .selectAll('f')
      .select((eb) => [
        eb.fn.coalesce('stock.spool_count', sql<number>`0`).as('spool_count'),
        eb.fn.coalesce('stock.stock_g', sql<number>`0`).as('stock_g'),
      ]);
    const { material, brand } = filter;
    if (material) query = query.where((eb) => eb(eb.fn('upper', ['f.material']), '=', material.toUpperCase()));
    if (brand) query = query.where((eb) => eb(eb.fn('lower', ['f.brand']), '=', brand.toLowerCase()));
    if (filter.search) {
      const like = containsPattern(filter.search);
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['f.brand']), 'like', like),
          eb(eb.fn('lower', ['f.name']), 'like', like),
          eb(eb.fn('lower', ['f.material']), 'like', like),
        ]),
      );
    }
    if (filter.ids) {
      if (filter.ids.length === 0) return Promise.resolve([]);
      query = query.where('f.id', 'in', filter.ids);
    }
    return query.orderBy('f.brand').orderBy('f.name').orderBy('f.id').execute();
  }

  find(id: number, db: Kysely<DB> = this.db): Promise<FilamentRecord | undefined> {
    return db.selectFrom('filament_library').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The library entry for a vendor preset or a brand/material/colour, for spools created from RFID trays. */
  findMatch(
    match: { bambu_filament_id: string | null; brand: string; material: string; color_hex: string | null },
    db: Kysely<DB> = this.db,
  ): Promise<FilamentRecord | undefined> {
    let query = db.selectFrom('filament_library').selectAll().where('brand', '=', match.brand).where('material', '=', match.material);
    query = match.color_hex === null ? query.where('color_hex', 'is', null) : query.where('color_hex', '=', match.color_hex);
    if (match.bambu_filament_id !== null) query = query.where('bambu_filament_id', '=', match.bambu_filament_id);
    return query.orderBy('id').executeTakeFirst();
  }

  findBySpoolmanId(spoolmanId: number, db: Kysely<DB> = this.db): Promise<FilamentRecord | undefined> {
    return db.selectFrom('filament_library').selectAll().where('spoolman_filament_id', '=', spoolmanId).executeTakeFirst();
  }

  async insert(values: NewFilament, db: Kysely<DB> = this.db): Promise<FilamentRecord> {
    try {
      return await db.insertInto('filament_library').values(values).returningAll().executeTakeFirstOrThrow();
    } finally {
      this.onWrite();
    }
  }

  async update(id: number, changes: FilamentChanges, db: Kysely<DB> = this.db): Promise<FilamentRecord | undefined> {
    try {
      return await db.updateTable('filament_library').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
    } finally {
      this.onWrite();
    }
  }

  async delete(id: number, db: Kysely<DB> = this.db): Promise<boolean> {
    try {
      const result = await db.deleteFrom('filament_library').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    } finally {
      this.onWrite();
    }
  }
}
