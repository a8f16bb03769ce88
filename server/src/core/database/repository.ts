import type { Kysely } from 'kysely';

import type { DB } from './schema.js';

/**
 * Base of every table group's repository (`modules/<name>/repository.ts`): the only code that
 * writes SQL for those tables. Methods are plain typed reads and writes, no business rules.
 *
 * A write that must commit together with others takes the transaction handle as its last
 * argument (`db = this.db`); a service opens the transaction with `transaction()` on any
 * repository and passes `trx` to each call, whichever module the repositories belong to.
 */
export abstract class Repository {
  constructor(protected readonly db: Kysely<DB>) {}

  transaction<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
