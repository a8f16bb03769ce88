import type { Kysely, MigrationProvider } from 'kysely';

import type { DialectName } from '../database.js';
import { foundation } from './0001-foundation.js';
import { printers } from './0002-printers.js';
import { bambu } from './0003-bambu.js';
import { refreshTokens } from './0004-refresh-tokens.js';
import { inventory } from './0005-inventory.js';
import { catalogue } from './0006-catalogue.js';

/**
 * Every schema change, in order. One list for both databases; names sort in the order they run.
 * A migration is never edited after it ships: add a new one.
 */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  const list: Record<string, { up(db: Kysely<unknown>): Promise<void> }> = {
    '0001_foundation': foundation(dialect),
    '0002_printers': printers(dialect),
    '0003_bambu': bambu(dialect),
    '0004_refresh_tokens': refreshTokens(dialect),
    '0005_inventory': inventory(dialect),
    '0006_catalogue': catalogue(dialect),
  };
  return {
    getMigrations: () => Promise.resolve(list),
  };
}
