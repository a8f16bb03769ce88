import type { Kysely } from 'kysely';

import type { DialectName } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Refresh tokens, one row per token ever issued. Only the SHA-256 of a token is stored, so a copy of
 * the database signs nobody in. A login starts a family; every refresh revokes its row and adds the
 * successor to the same family, so a rotated token presented again is recognised (and the family ends).
 */
export function refreshTokens(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await t
        .id(db.schema.createTable('refresh_tokens'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        // Kept (as null) when the user is deleted, so a refresh can say why it is refused.
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_reason', 'text')
        .addColumn('replaced_by', 'integer', (c) => c.references('refresh_tokens.id').onDelete('set null'))
        .execute();
      // The authenticator asks "is this session's family revoked?" on every request.
      await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
      await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();
      await db.schema.createIndex('refresh_tokens_expires').on('refresh_tokens').column('expires_at').execute();
    },
  };
}
