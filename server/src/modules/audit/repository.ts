import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';

import { containsPattern } from '../../core/database/like.js';
import { Repository } from '../../core/database/repository.js';
import type { AuditLogsTable, DB } from '../../core/database/schema.js';

export interface AuditLogFilter {
  action?: string | undefined;
  entityType?: string | undefined;
  userId?: number | undefined;
  since?: string | undefined;
  until?: string | undefined;
  search?: string | undefined;
}

export type AuditLogRecord = Selectable<AuditLogsTable>;

/** The audit_logs table: appended to, filtered, paged and streamed; never changed. */
export class AuditRepository extends Repository {
  async insert(row: Insertable<AuditLogsTable>, db: Kysely<DB> = this.db): Promise<void> {
    await db.insertInto('audit_logs').values(row).execute();
  }

  /** Newest first, with the number of rows the filter matches in all. */
  async page(filter: AuditLogFilter, limit: number, offset: number): Promise<{ rows: AuditLogRecord[]; total: number }> {
    const base = this.filtered(filter);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }

  /** Up to `limit` rows below id `beforeId` (all when null), newest first: keyset pages for exports. */
  before(filter: AuditLogFilter, beforeId: number | null, limit: number): Promise<AuditLogRecord[]> {
    let query = this.filtered(filter).selectAll().orderBy('id', 'desc').limit(limit);
    if (beforeId !== null) query = query.where('id', '<', beforeId);
    return query.execute();
  }

  private filtered(filter: AuditLogFilter) {
    let query = this.db.selectFrom('audit_logs');
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.since) query = query.where('timestamp', '>=', filter.since);
    if (filter.until) query = query.where('timestamp', '<=', filter.until);
    if (filter.search) {
      const pattern = containsPattern(filter.search);
      const like = (column: 'details' | 'username' | 'ip_address') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern}`;
      query = query.where((eb) => eb.or([like('details'), like('username'), like('ip_address')]));
    }
    return query;
  }
}
