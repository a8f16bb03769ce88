import type { Kysely } from 'kysely';

import { Repository } from '../../core/database/repository.js';
import type { DB } from '../../core/database/schema.js';

/** The branding table: one row (id 1) holding the changed fields as JSON text. */
export class BrandingRepository extends Repository {
  /** The stored JSON text, or undefined before anything was changed. */
  async settings(db: Kysely<DB> = this.db): Promise<string | undefined> {
    const row = await db.selectFrom('branding').select('settings').where('id', '=', 1).executeTakeFirst();
    return row?.settings;
  }

  async saveSettings(settings: string, db: Kysely<DB> = this.db): Promise<void> {
    const values = { id: 1, settings, updated_at: new Date().toISOString() };
    await db
      .insertInto('branding')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet({ settings: values.settings, updated_at: values.updated_at }))
      .execute();
  }
}
