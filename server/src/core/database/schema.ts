import type { Generated, SqlBool } from 'kysely';

/**
 * Table types as Kysely sees them. Booleans come back as 0/1 from SQLite and true/false from
 * PostgreSQL (`SqlBool`); timestamps are ISO-8601 UTC strings on both, so ordering and comparison
 * behave the same on either database.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string | null;
  password_hash: string;
  role: string;
  is_active: SqlBool;
  last_login: string | null;
  created_at: string;
  oidc_subject: string | null;
  oidc_provider: string | null;
}

export interface SystemConfigTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
}

export interface AuditLogsTable {
  id: Generated<number>;
  timestamp: string;
  action: string;
  entity_type: string | null;
  entity_id: number | null;
  /** JSON text. */
  details: string | null;
  ip_address: string | null;
  user_id: number | null;
  username: string | null;
}

export interface TokenBlacklistTable {
  jti: string;
  expires_at: string;
  revoked_at: string;
}

export interface BrandingTable {
  id: number;
  /** JSON object of the branding fields that differ from the defaults. */
  settings: string;
  updated_at: string;
}

export interface DB {
  users: UsersTable;
  system_config: SystemConfigTable;
  audit_logs: AuditLogsTable;
  token_blacklist: TokenBlacklistTable;
  branding: BrandingTable;
}
