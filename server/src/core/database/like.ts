import { type RawBuilder, sql } from 'kysely';

/**
 * A case-insensitive "contains" pattern for `lower(column) like …`, with the user's % and _ taken
 * literally (escaped), the same on SQLite and PostgreSQL.
 */
export function containsPattern(text: string): RawBuilder<string> {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<string>`${`%${escaped}%`} escape '\\'`;
}
