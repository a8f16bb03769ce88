import { type Kysely, sql } from 'kysely';

import type { Actor } from '../../core/actor.js';
import type { DB } from '../../core/database/schema.js';

export interface AuditEvent {
  action: string;
  entityType?: string | null;
  entityId?: number | null;
  details?: Record<string, unknown> | null;
  /** Who did it and from where. */
  actor: Actor;
}

export interface AuditLogFilter {
  action?: string | undefined;
  entityType?: string | undefined;
  userId?: number | undefined;
  since?: string | undefined;
  until?: string | undefined;
  search?: string | undefined;
}

export interface AuditLogRow {
  id: number;
  timestamp: string;
  action: string;
  entity_type: string | null;
  entity_id: number | null;
  details: Record<string, unknown> | null;
  ip_address: string | null;
  user_id: number | null;
  username: string | null;
}

/** Who did what, from where: login successes and failures, user, config and permission changes. */
export class AuditLog {
  constructor(private readonly db: Kysely<DB>) {}

  async record(event: AuditEvent, db: Kysely<DB> = this.db): Promise<void> {
    const { actor } = event;
    await db
      .insertInto('audit_logs')
      .values({
        timestamp: new Date().toISOString(),
        action: event.action,
        entity_type: event.entityType ?? null,
        entity_id: event.entityId ?? null,
        details: event.details ? JSON.stringify(event.details) : null,
        ip_address: actor.ip,
        user_id: actor.userId,
        username: actor.username,
      })
      .execute();
  }

  async list(filter: AuditLogFilter, limit: number, offset: number): Promise<{ logs: AuditLogRow[]; total: number }> {
    const base = this.filtered(filter);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { logs: rows.map(toRow), total: Number(count.total) };
  }

  /** Rows oldest-last in pages, so an export of a large log never sits in memory at once. */
  async *stream(filter: AuditLogFilter, pageSize = 1000): AsyncGenerator<AuditLogRow> {
    let lastId: number | null = null;
    for (;;) {
      let query = this.filtered(filter).selectAll().orderBy('id', 'desc').limit(pageSize);
      if (lastId !== null) query = query.where('id', '<', lastId);
      const rows = await query.execute();
      for (const row of rows) yield toRow(row);
      const last = rows.at(-1);
      if (rows.length < pageSize || last === undefined) return;
      lastId = last.id;
    }
  }

  private filtered(filter: AuditLogFilter) {
    let query = this.db.selectFrom('audit_logs');
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.since) query = query.where('timestamp', '>=', filter.since);
    if (filter.until) query = query.where('timestamp', '<=', filter.until);
    if (filter.search) {
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const like = (column: 'details' | 'username' | 'ip_address') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
      query = query.where((eb) => eb.or([like('details'), like('username'), like('ip_address')]));
    }
    return query;
  }
}

function toRow(row: {
  id: number;
  timestamp: string;
  action: string;
  entity_type: string | null;
  entity_id: number | null;
  details: string | null;
  ip_address: string | null;
  user_id: number | null;
  username: string | null;
}): AuditLogRow {
  let details: Record<string, unknown> | null = null;
  if (row.details) {
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      details = { raw: row.details };
    }
  }
  return { ...row, details };
}
