import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';

import { containsPattern } from '../../core/database/like.js';
import { Repository } from '../../core/database/repository.js';
import type { DB, SpoolsTable, SpoolUsageTable } from '../../core/database/schema.js';

export type SpoolRecord = Selectable<SpoolsTable>;
export type NewSpool = Insertable<SpoolsTable>;
export type SpoolChanges = Updateable<Omit<SpoolsTable, 'id' | 'created_at' | 'qr_code'>>;
export type UsageRecord = Selectable<SpoolUsageTable>;
export type NewUsage = Insertable<SpoolUsageTable>;

/** A spool with what the lists show beside it: its filament and the printer it is in. */
export type SpoolListRecord = SpoolRecord & {
  filament_brand: string;
  filament_name: string;
  material: string;
  filament_color_hex: string | null;
  filament_cost_per_gram: number | null;
  location_printer_name: string | null;
};

export interface SpoolListFilter {
  status?: string | undefined;
  /** Leave archived spools out (history, not stock). */
  hideArchived?: boolean | undefined;
  material?: string | undefined;
  filament_id?: number | undefined;
  printer_id?: number | undefined;
  in_storage?: boolean | undefined;
  search?: string | undefined;
  ids?: readonly number[] | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The spools and spool_usage tables. */
export class SpoolsRepository extends Repository {
  constructor(
    db: Kysely<DB>,
    /** Called after every write to spools (and after a transaction commits): the list cache listens. */
    private readonly onWrite: () => void = () => undefined,
  ) {
    super(db);
  }

  override async transaction<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    try {
      return await super.transaction(work);
    } finally {
      this.onWrite();
    }
  }

  list(filter: SpoolListFilter = {}, db: Kysely<DB> = this.db): Promise<SpoolListRecord[]> {
    let query = db
      .selectFrom('spools as s')
      .innerJoin('filament_library as f', 'f.id', 's.filament_id')
      .leftJoin('printers as p', 'p.id', 's.location_printer_id')
      .selectAll('s')
      .select([
        'f.brand as filament_brand',
        'f.name as filament_name',
        'f.material as material',
        'f.color_hex as filament_color_hex',
        'f.cost_per_gram as filament_cost_per_gram',
        'p.name as location_printer_name',
      ]);
    if (filter.status) query = query.where('s.status', '=', filter.status);
    if (filter.hideArchived) query = query.where('s.status', '!=', 'archived');
    if (filter.material) query = query.where('f.material', '=', filter.material.toUpperCase());
    if (filter.filament_id !== undefined) query = query.where('s.filament_id', '=', filter.filament_id);
    if (filter.printer_id !== undefined) query = query.where('s.location_printer_id', '=', filter.printer_id);
    if (filter.in_storage === true) query = query.where('s.location_printer_id', 'is', null);
    if (filter.ids) {
      if (filter.ids.length === 0) return Promise.resolve([]);
      query = query.where('s.id', 'in', filter.ids);
    }
    if (filter.search) {
      const like = containsPattern(filter.search);
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['s.qr_code']), 'like', like),
          eb(eb.fn('lower', ['f.brand']), 'like', like),
          eb(eb.fn('lower', ['f.name']), 'like', like),
          eb(eb.fn('lower', ['f.material']), 'like', like),
          eb(eb.fn('lower', [eb.fn.coalesce('s.vendor', sql<string>`''`)]), 'like', like),
          eb(eb.fn('lower', [eb.fn.coalesce('s.lot_number', sql<string>`''`)]), 'like', like),
          eb(eb.fn('lower', [eb.fn.coalesce('s.storage_location', sql<string>`''`)]), 'like', like),
        ]),
      );
    }
    query = query.orderBy('s.id');
    if (filter.limit !== undefined) query = query.limit(filter.limit).offset(filter.offset ?? 0);
    return query.execute();
  }

  find(id: number, db: Kysely<DB> = this.db): Promise<SpoolRecord | undefined> {
    return db.selectFrom('spools').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByQr(qrCode: string, db: Kysely<DB> = this.db): Promise<SpoolRecord | undefined> {
    return db.selectFrom('spools').selectAll().where('qr_code', '=', qrCode).executeTakeFirst();
  }

  findByRfid(tag: string, db: Kysely<DB> = this.db): Promise<SpoolRecord | undefined> {
    return db.selectFrom('spools').selectAll().where('rfid_tag', '=', tag).executeTakeFirst();
  }

  /** A Bambu spool by either of its two tags or by the spool uuid they share. */
  findByTray(tag: string | null, uuid: string | null, db: Kysely<DB> = this.db): Promise<SpoolRecord | undefined> {
    if (tag === null && uuid === null) return Promise.resolve(undefined);
    return db
      .selectFrom('spools')
      .selectAll()
      .where((eb) => {
        const terms = [];
        if (uuid !== null) terms.push(eb('rfid_uuid', '=', uuid));
        if (tag !== null) terms.push(eb('rfid_tag', '=', tag));
        return eb.or(terms);
      })
      .orderBy('id')
      .executeTakeFirst();
  }

  /** The spool an inventory says is in this slot (normally at most one). */
  /** Sends every spool recorded in this slot, except `keepId`, back to storage (one statement). */
  async vacateSlot(printerId: number, slot: number, keepId: number | null, now: string, db: Kysely<DB> = this.db): Promise<void> {
    try {
      let query = db
        .updateTable('spools')
        .set({ location_printer_id: null, location_slot: null, updated_at: now })
        .where('location_printer_id', '=', printerId)
        .where('location_slot', '=', slot);
      if (keepId !== null) query = query.where('id', '!=', keepId);
      await query.execute();
    } finally {
      this.onWrite();
    }
  }

  /** Active spools of a material that are not in a printer: candidates for an untagged tray. */
  candidates(
    material: string,
    db: Kysely<DB> = this.db,
  ): Promise<(SpoolRecord & { material: string; filament_color_hex: string | null })[]> {
    return db
      .selectFrom('spools as s')
      .innerJoin('filament_library as f', 'f.id', 's.filament_id')
      .selectAll('s')
      .select(['f.material as material', 'f.color_hex as filament_color_hex'])
      .where('s.status', '=', 'active')
      .where('f.material', '=', material)
      .where('s.rfid_tag', 'is', null)
      .orderBy('s.id')
      .execute();
  }

  async insert(values: NewSpool, db: Kysely<DB> = this.db): Promise<SpoolRecord> {
    try {
      return await db.insertInto('spools').values(values).returningAll().executeTakeFirstOrThrow();
    } finally {
      this.onWrite();
    }
  }

  async update(id: number, changes: SpoolChanges, db: Kysely<DB> = this.db): Promise<SpoolRecord | undefined> {
    try {
      return await db.updateTable('spools').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
    } finally {
      this.onWrite();
    }
  }

  async delete(id: number, db: Kysely<DB> = this.db): Promise<void> {
    try {
      await db.deleteFrom('spools').where('id', '=', id).execute();
    } finally {
      this.onWrite();
    }
  }

  async count(db: Kysely<DB> = this.db): Promise<number> {
    const row = await db
      .selectFrom('spools')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  addUsage(values: NewUsage, db: Kysely<DB> = this.db): Promise<UsageRecord> {
    return db.insertInto('spool_usage').values(values).returningAll().executeTakeFirstOrThrow();
  }

  usage(spoolId: number, db: Kysely<DB> = this.db): Promise<UsageRecord[]> {
    return db
      .selectFrom('spool_usage')
      .selectAll()
      .where('spool_id', '=', spoolId)
      .orderBy('used_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  async usageCount(spoolId: number, db: Kysely<DB> = this.db): Promise<number> {
    const row = await db
      .selectFrom('spool_usage')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('spool_id', '=', spoolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Every use of every spool, newest first, with what the CSV export shows beside it. */
  allUsage(db: Kysely<DB> = this.db) {
    return db
      .selectFrom('spool_usage as u')
      .innerJoin('spools as s', 's.id', 'u.spool_id')
      .innerJoin('filament_library as f', 'f.id', 's.filament_id')
      .leftJoin('printers as p', 'p.id', 'u.printer_id')
      .select([
        'u.id',
        'u.used_at',
        'u.spool_id',
        's.qr_code',
        'f.brand',
        'f.name',
        'f.material',
        's.color_hex',
        'u.weight_used_g',
        'u.kind',
        'u.remaining_after_g',
        'u.job_id',
        'u.print_job_id',
        'p.name as printer_name',
        'u.notes',
      ])
      .orderBy('u.used_at', 'desc')
      .orderBy('u.id', 'desc')
      .execute();
  }
}
