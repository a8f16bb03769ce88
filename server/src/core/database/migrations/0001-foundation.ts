import type { Kysely } from 'kysely';

import type { DialectName } from '../database.js';
import { columnTypes } from './column-types.js';

export function foundation(dialect: DialectName) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await t
        .id(db.schema.createTable('users'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text')
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().defaultTo('viewer'))
        .addColumn('is_active', t.boolean, t.bool(true))
        .addColumn('last_login', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('oidc_subject', 'text')
        .addColumn('oidc_provider', 'text')
        .execute();

      await db.schema
        .createTable('system_config')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await t
        .id(db.schema.createTable('audit_logs'))
        .addColumn('timestamp', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text')
        .addColumn('entity_id', 'integer')
        .addColumn('details', 'text')
        .addColumn('ip_address', 'text')
        .addColumn('user_id', 'integer')
        .addColumn('username', 'text')
        .execute();
      await db.schema.createIndex('audit_logs_timestamp').on('audit_logs').column('timestamp').execute();
      await db.schema.createIndex('audit_logs_action').on('audit_logs').columns(['action', 'timestamp']).execute();

      await db.schema
        .createTable('token_blacklist')
        .addColumn('jti', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('branding')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
