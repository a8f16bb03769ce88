import type { Kysely } from 'kysely';

import type { Actor } from '../../core/actor.js';
import type { DB } from '../../core/database/schema.js';
import type { AuditLogFilter, AuditLogRecord, AuditRepository } from './repository.js';

export type { AuditLogFilter } from './repository.js';

export interface AuditEvent {
  action: string;
  entityType?: string | null;
  entityId?: number | null;
  details?: Record<string, unknown> | null;
  /** Who did it and from where. */
  actor: Actor;
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

/**
 * Who did what, from where: login successes and failures, user, config and permission changes.
 * The service that performs an action records it (once), with the Actor its route passed in.
 */
export class AuditLog {
  constructor(private readonly repository: AuditRepository) {}

  /** Appends one entry; pass `db` to record inside the transaction that made the change. */
  async record(event: AuditEvent, db?: Kysely<DB>): Promise<void> {
    const { actor } = event;
    await this.repository.insert(
      {
        timestamp: new Date().toISOString(),
        action: event.action,
        entity_type: event.entityType ?? null,
        entity_id: event.entityId ?? null,
        details: event.details ? JSON.stringify(event.details) : null,
        ip_address: actor.ip,
        user_id: actor.userId,
        username: actor.username,
      },
      db,
    );
  }

  async list(filter: AuditLogFilter, limit: number, offset: number): Promise<{ logs: AuditLogRow[]; total: number }> {
    const { rows, total } = await this.repository.page(filter, limit, offset);
    return { logs: rows.map(toRow), total };
  }

  /** Rows newest first in pages, so an export of a large log never sits in memory at once. */
  async *stream(filter: AuditLogFilter, pageSize = 1000): AsyncGenerator<AuditLogRow> {
    let lastId: number | null = null;
    for (;;) {
      const rows = await this.repository.before(filter, lastId, pageSize);
      for (const row of rows) yield toRow(row);
      const last = rows.at(-1);
      if (rows.length < pageSize || last === undefined) return;
      lastId = last.id;
    }
  }
}

function toRow(row: AuditLogRecord): AuditLogRow {
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
