import type { Kysely, Selectable } from 'kysely';

import type { PasswordHasher } from '../../core/auth/passwords.js';
import { passwordPolicyProblem } from '../../core/auth/passwords.js';
import { type AuthUser, isRole, type Role } from '../../core/auth/roles.js';
import { isUniqueViolation } from '../../core/database/errors.js';
import type { DB, UsersTable } from '../../core/database/schema.js';
import { badRequest, notFound } from '../../core/errors.js';
import type { UserSessionsRevoker } from '../auth/repository.js';
import type { CreateUserInput, UpdateUserInput, UserDto } from './schemas.js';

const PUBLIC_COLUMNS = ['id', 'username', 'email', 'role', 'is_active', 'last_login', 'created_at'] as const;

export function toUserDto(row: Pick<Selectable<UsersTable>, (typeof PUBLIC_COLUMNS)[number]>): UserDto {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: isRole(row.role) ? row.role : 'viewer',
    is_active: Boolean(row.is_active),
    last_login: row.last_login,
    created_at: row.created_at,
  };
}

export class UsersService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly hasher: PasswordHasher,
    private readonly sessions: UserSessionsRevoker,
  ) {}

  async list(): Promise<UserDto[]> {
    const rows = await this.db.selectFrom('users').select(PUBLIC_COLUMNS).orderBy('id').execute();
    return rows.map(toUserDto);
  }

  async get(id: number): Promise<UserDto> {
    const row = await this.db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('user_not_found', 'User not found');
    return toUserDto(row);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The stored hash for a login attempt; null when there is no such user. */
  async findForLogin(username: string) {
    return this.db
      .selectFrom('users')
      .select([...PUBLIC_COLUMNS, 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
  }

  async recordLogin(id: number): Promise<void> {
    await this.db.updateTable('users').set({ last_login: new Date().toISOString() }).where('id', '=', id).execute();
  }

  async create(input: CreateUserInput, db: Kysely<DB> = this.db): Promise<UserDto> {
    const problem = passwordPolicyProblem(input.password);
    if (problem) throw badRequest(problem.code, problem.detail);
    await this.assertUsernameFree(input.username, null, db);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const row = await db
        .insertInto('users')
        .values({
          username: input.username,
          email: input.email || null,
          password_hash: passwordHash,
          role: input.role ?? 'viewer',
          is_active: true,
          created_at: new Date().toISOString(),
        })
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirstOrThrow();
      return toUserDto(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw badRequest('username_taken', 'Username already exists');
      throw error;
    }
  }

  /** Applies only the whitelisted fields; refuses to leave the farm without an active admin. */
  async update(id: number, input: UpdateUserInput, actor: AuthUser | null): Promise<{ user: UserDto; changed: string[] }> {
    const changes: Partial<Pick<UsersTable, 'username' | 'email' | 'role' | 'password_hash'>> & { is_active?: boolean } = {};
    if (input.password !== undefined) {
      const problem = passwordPolicyProblem(input.password);
      if (problem) throw badRequest(problem.code, problem.detail);
      changes.password_hash = await this.hasher.hash(input.password);
    }
    if (input.username !== undefined) changes.username = input.username;
    if (input.email !== undefined) changes.email = input.email || null;
    if (input.role !== undefined) changes.role = input.role;
    if (input.is_active !== undefined) changes.is_active = input.is_active;

    const user = await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
      if (!current) throw notFound('user_not_found', 'User not found');
      if (actor?.id === id && changes.is_active === false) throw badRequest('cannot_disable_self', 'You cannot disable your own account');
      const losesAdmin =
        current.role === 'admin' &&
        Boolean(current.is_active) &&
        ((changes.role !== undefined && changes.role !== 'admin') || changes.is_active === false);
      if (losesAdmin && (await this.otherActiveAdmins(trx, id)) === 0) {
        throw badRequest('last_admin', 'Cannot demote or disable the last active admin');
      }
      if (changes.username !== undefined && changes.username !== current.username) {
        await this.assertUsernameFree(changes.username, id, trx);
      }
      if (Object.keys(changes).length === 0) return toUserDto(current);
      try {
        const row = await trx.updateTable('users').set(changes).where('id', '=', id).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
        if (changes.password_hash !== undefined) await this.sessions.revokeUserSessions(id, 'password_changed', trx);
        else if (changes.is_active === false) await this.sessions.revokeUserSessions(id, 'account_disabled', trx);
        return toUserDto(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw badRequest('username_taken', 'Username already exists');
        throw error;
      }
    });
    const changed = Object.keys(changes).map((k) => (k === 'password_hash' ? 'password' : k));
    return { user, changed };
  }

  async delete(id: number, actor: AuthUser | null): Promise<UserDto> {
    if (actor?.id === id) throw badRequest('cannot_delete_self', 'You cannot delete your own account');
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
      if (!current) throw notFound('user_not_found', 'User not found');
      if (current.role === 'admin' && Boolean(current.is_active) && (await this.otherActiveAdmins(trx, id)) === 0) {
        throw badRequest('last_admin', 'Cannot delete the last active admin');
      }
      await trx.deleteFrom('users').where('id', '=', id).execute();
      return toUserDto(current);
    });
  }

  async setPassword(username: string, password: string): Promise<void> {
    const problem = passwordPolicyProblem(password);
    if (problem) throw badRequest(problem.code, problem.detail);
    const hash = await this.hasher.hash(password);
    const row = await this.db
      .updateTable('users')
      .set({ password_hash: hash, is_active: true })
      .where('username', '=', username)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('user_not_found', `No user named ${username}`);
    await this.sessions.revokeUserSessions(row.id, 'password_changed');
  }

  private async otherActiveAdmins(db: Kysely<DB>, excludeId: number): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin' satisfies Role)
      .where('is_active', '=', true)
      .where('id', '!=', excludeId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Usernames are unique regardless of case, so "Admin" and "admin" can't both exist. */
  private async assertUsernameFree(username: string, exceptId: number | null, db: Kysely<DB>): Promise<void> {
    let query = db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()));
    if (exceptId !== null) query = query.where('id', '!=', exceptId);
    if (await query.executeTakeFirst()) throw badRequest('username_taken', 'Username already exists');
  }
}
