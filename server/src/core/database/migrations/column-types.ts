import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';

import type { DialectName } from '../database.js';

/** The few column types that differ between SQLite and PostgreSQL, so migrations read the same for both. */
export function columnTypes(dialect: DialectName) {
  const pg = dialect === 'postgres';
  return {
    id<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
      return pg
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    },
    boolean: pg ? ('boolean' as const) : ('integer' as const),
    bool(value: boolean): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
      return (c) => c.notNull().defaultTo(pg ? value : value ? 1 : 0);
    },
  };
}
