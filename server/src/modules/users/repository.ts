import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';

import type { Role } from '../../core/auth/roles.js';
import { Repository } from '../../core/database/repository.js';
import type { DB, UsersTable } from '../../core/database/schema.js';

/** The columns the API may show; never the password hash. */
const PUBLIC_COLUMNS = ['id', 'username', 'email', 'role', 'is_active', 'last_login', 'created_at'] as const;

export type UserRecord = Pick<Selectable<UsersTable>, (typeof PUBLIC_COLUMNS)[number]>;
export type UserChanges = Updateable<Pick<UsersTable, 'username' | 'email' | 'role' | 'password_hash' | 'is_active'>>;

/** The users table. (The authenticator's per-request session lookup joins it in the auth repository, one query.) */
export class UsersRepository extends Repository {
  list(): Promise<UserRecord[]> {
    return this.db.selectFrom('users').select(PUBLIC_COLUMNS).orderBy('id').execute();
  }

  find(id: number, db: Kysely<DB> = this.db): Promise<UserRecord | undefined> {
    return db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /** The account with its password hash, for a login attempt. */
  findWithHash(username: string): Promise<(UserRecord & { password_hash: string }) | undefined> {
    return this.db
      .selectFrom('users')
      .select([...PUBLIC_COLUMNS, 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
  }

  async count(db: Kysely<DB> = this.db): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Active admins other than `exceptId`. */
  async countActiveAdmins(exceptId: number, db: Kysely<DB> = this.db): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin' satisfies Role)
      .where('is_active', '=', true)
      .where('id', '!=', exceptId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Whether another user (not `exceptId`) has this name, compared without case. */
  async usernameTaken(username: string, exceptId: number | null, db: Kysely<DB> = this.db): Promise<boolean> {
    let query = db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()));
    if (exceptId !== null) query = query.where('id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  insert(values: Insertable<UsersTable>, db: Kysely<DB> = this.db): Promise<UserRecord> {
    return db.insertInto('users').values(values).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
  }

  update(id: number, changes: UserChanges, db: Kysely<DB> = this.db): Promise<UserRecord> {
    return db.updateTable('users').set(changes).where('id', '=', id).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
  }

  /** Changes the user of that name; false when there is none. */
  /** The id of the user changed, or undefined when nobody has that name. */
  async updateByUsername(username: string, changes: UserChanges): Promise<number | undefined> {
    const row = await this.db.updateTable('users').set(changes).where('username', '=', username).returning('id').executeTakeFirst();
    return row?.id;
  }

  async recordLogin(id: number, at: string): Promise<void> {
    await this.db.updateTable('users').set({ last_login: at }).where('id', '=', id).execute();
  }

  async delete(id: number, db: Kysely<DB> = this.db): Promise<void> {
    await db.deleteFrom('users').where('id', '=', id).execute();
  }
}
