import type { Kysely } from 'kysely';

import type { Actor } from '../../core/actor.js';
import type { PasswordHasher } from '../../core/auth/passwords.js';
import { passwordPolicyProblem } from '../../core/auth/passwords.js';
import { isRole } from '../../core/auth/roles.js';
import { isUniqueViolation } from '../../core/database/errors.js';
import type { DB } from '../../core/database/schema.js';
import { badRequest, notFound } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { UserSessionsRevoker } from '../auth/repository.js';
import type { UserChanges, UserRecord, UsersRepository } from './repository.js';
import type { CreateUserInput, UpdateUserInput, UserDto } from './schemas.js';

export function toUserDto(row: UserRecord): UserDto {
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
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLog,
    private readonly sessions: UserSessionsRevoker,
  ) {}

  async list(): Promise<UserDto[]> {
    return (await this.users.list()).map(toUserDto);
  }

  async get(id: number): Promise<UserDto> {
    const row = await this.users.find(id);
    if (!row) throw notFound('user_not_found', 'User not found');
    return toUserDto(row);
  }

  count(db?: Kysely<DB>): Promise<number> {
    return this.users.count(db);
  }

  /** The stored hash for a login attempt; undefined when there is no such user. */
  findForLogin(username: string) {
    return this.users.findWithHash(username);
  }

  recordLogin(id: number): Promise<void> {
    return this.users.recordLogin(id, new Date().toISOString());
  }

  async create(input: CreateUserInput, actor: Actor): Promise<UserDto> {
    const user = await this.add(input);
    await this.audit.record({
      action: 'create',
      entityType: 'user',
      entityId: user.id,
      details: { username: user.username, role: user.role },
      actor,
    });
    return user;
  }

  /** Creates a user (inside the caller's transaction when `db` is given) without an audit entry: the caller records why. */
  async add(input: CreateUserInput, db?: Kysely<DB>): Promise<UserDto> {
    const problem = passwordPolicyProblem(input.password);
    if (problem) throw badRequest(problem.code, problem.detail);
    if (await this.users.usernameTaken(input.username, null, db)) throw badRequest('username_taken', 'Username already exists');
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const row = await this.users.insert(
        {
          username: input.username,
          email: input.email || null,
          password_hash: passwordHash,
          role: input.role ?? 'viewer',
          is_active: true,
          created_at: new Date().toISOString(),
        },
        db,
      );
      return toUserDto(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw badRequest('username_taken', 'Username already exists');
      throw error;
    }
  }

  /** Applies only the whitelisted fields; refuses to leave the farm without an active admin. */
  async update(id: number, input: UpdateUserInput, actor: Actor): Promise<UserDto> {
    const changes: UserChanges = {};
    if (input.password !== undefined) {
      const problem = passwordPolicyProblem(input.password);
      if (problem) throw badRequest(problem.code, problem.detail);
      changes.password_hash = await this.hasher.hash(input.password);
    }
    if (input.username !== undefined) changes.username = input.username;
    if (input.email !== undefined) changes.email = input.email || null;
    if (input.role !== undefined) changes.role = input.role;
    if (input.is_active !== undefined) changes.is_active = input.is_active;

    const user = await this.users.transaction(async (trx) => {
      const current = await this.users.find(id, trx);
      if (!current) throw notFound('user_not_found', 'User not found');
      if (actor.userId === id && changes.is_active === false)
        throw badRequest('cannot_disable_self', 'You cannot disable your own account');
      const losesAdmin =
        current.role === 'admin' &&
        Boolean(current.is_active) &&
        ((changes.role !== undefined && changes.role !== 'admin') || changes.is_active === false);
      if (losesAdmin && (await this.users.countActiveAdmins(id, trx)) === 0) {
        throw badRequest('last_admin', 'Cannot demote or disable the last active admin');
      }
      // Usernames are unique regardless of case, so "Admin" and "admin" can't both exist.
      if (changes.username !== undefined && changes.username !== current.username) {
        if (await this.users.usernameTaken(changes.username, id, trx)) throw badRequest('username_taken', 'Username already exists');
      }
      if (Object.keys(changes).length === 0) return toUserDto(current);
      try {
        const row = await this.users.update(id, changes, trx);
        if (changes.password_hash !== undefined) await this.sessions.revokeUserSessions(id, 'password_changed', trx);
        else if (changes.is_active === false) await this.sessions.revokeUserSessions(id, 'account_disabled', trx);
        return toUserDto(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw badRequest('username_taken', 'Username already exists');
        throw error;
      }
    });
    const changed = Object.keys(changes).map((k) => (k === 'password_hash' ? 'password' : k));
    if (changed.length > 0) {
      await this.audit.record({
        action: 'update',
        entityType: 'user',
        entityId: user.id,
        details: { username: user.username, fields: changed, ...(input.role ? { role: user.role } : {}) },
        actor,
      });
    }
    return user;
  }

  async delete(id: number, actor: Actor): Promise<UserDto> {
    if (actor.userId === id) throw badRequest('cannot_delete_self', 'You cannot delete your own account');
    const user = await this.users.transaction(async (trx) => {
      const current = await this.users.find(id, trx);
      if (!current) throw notFound('user_not_found', 'User not found');
      if (current.role === 'admin' && Boolean(current.is_active) && (await this.users.countActiveAdmins(id, trx)) === 0) {
        throw badRequest('last_admin', 'Cannot delete the last active admin');
      }
      await this.users.delete(id, trx);
      return toUserDto(current);
    });
    await this.audit.record({ action: 'delete', entityType: 'user', entityId: user.id, details: { username: user.username }, actor });
    return user;
  }

  async setPassword(username: string, password: string): Promise<void> {
    const problem = passwordPolicyProblem(password);
    if (problem) throw badRequest(problem.code, problem.detail);
    const hash = await this.hasher.hash(password);
    const id = await this.users.updateByUsername(username, { password_hash: hash, is_active: true });
    if (id === undefined) throw notFound('user_not_found', `No user named ${username}`);
    await this.sessions.revokeUserSessions(id, 'password_changed');
  }
}
