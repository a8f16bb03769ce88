import type { Kysely } from 'kysely';

import type { Actor } from '../../core/actor.js';
import type { PasswordHasher } from '../../core/auth/passwords.js';
import { type AuthUser, isRole } from '../../core/auth/roles.js';
import type { SessionTokens } from '../../core/auth/tokens.js';
import type { DB } from '../../core/database/schema.js';
import { HttpError, unauthorized } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { UsersService } from '../users/service.js';
import type { LoginLimiter } from './login-limiter.js';

export interface LoginResult {
  access_token: string;
  token_type: 'bearer';
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

export class AuthService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokens,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditLog,
  ) {}

  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const ipWait = this.limiter.ipBlockedFor(ip);
    if (ipWait > 0) {
      throw new HttpError(
        429,
        'rate_limited',
        `Too many failed login attempts from your network. Try again in ${minutes(ipWait)} minute(s).`,
        {
          'retry-after': String(Math.ceil(ipWait / 1000)),
        },
      );
    }
    const lockWait = this.limiter.usernameLockedFor(username);
    if (lockWait > 0) {
      throw new HttpError(
        423,
        'account_locked',
        `This account is locked after repeated failed logins. Try again in ${minutes(lockWait)} minute(s).`,
        {
          'retry-after': String(Math.ceil(lockWait / 1000)),
        },
      );
    }

    const user = await this.users.findForLogin(username);
    const passwordOk = await this.hasher.verify(password, user?.password_hash ?? null);
    if (!user || !passwordOk) {
      this.limiter.recordFailure(ip, username);
      await this.audit.record({
        action: 'login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        details: { username, reason: user ? 'wrong_password' : 'unknown_user' },
        actor: { userId: null, username: null, ip },
      });
      throw unauthorized('invalid_credentials', 'Incorrect username or password');
    }
    if (!user.is_active) {
      await this.audit.record({
        action: 'login_failed',
        entityType: 'user',
        entityId: user.id,
        details: { username, reason: 'disabled' },
        actor: { userId: null, username: null, ip },
      });
      throw unauthorized('account_disabled', 'This account is disabled');
    }

    this.limiter.recordSuccess(username);
    const role = isRole(user.role) ? user.role : 'viewer';
    const issued = this.tokens.issue(user.username, role);
    await this.users.recordLogin(user.id);
    await this.audit.record({
      action: 'login',
      entityType: 'user',
      entityId: user.id,
      details: { username: user.username },
      actor: { userId: user.id, username: user.username, ip },
    });
    return { access_token: issued.token, token_type: 'bearer' };
  }

  /** Issues a session for a user who just proved who they are some other way (setup wizard). */
  issueFor(user: { username: string; role: AuthUser['role'] }): LoginResult {
    return { access_token: this.tokens.issue(user.username, user.role).token, token_type: 'bearer' };
  }

  async logout(user: AuthUser, actor: Actor): Promise<void> {
    if (user.jti) {
      const now = new Date().toISOString();
      await this.db
        .insertInto('token_blacklist')
        .values({ jti: user.jti, expires_at: (user.tokenExpiresAt ?? new Date()).toISOString(), revoked_at: now })
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
      // Revocations only matter until the token would have expired anyway.
      await this.db.deleteFrom('token_blacklist').where('expires_at', '<', now).execute();
    }
    await this.audit.record({ action: 'logout', entityType: 'user', entityId: user.id, details: { username: user.username }, actor });
  }
}
