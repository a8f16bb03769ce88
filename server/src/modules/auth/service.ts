import { randomUUID } from 'node:crypto';

import type { Actor } from '../../core/actor.js';
import type { PasswordHasher } from '../../core/auth/passwords.js';
import { type AuthUser, isRole, type Role } from '../../core/auth/roles.js';
import { type SessionTokens, TOKEN_LIFETIME_MS } from '../../core/auth/tokens.js';
import { type ErrorCode, HttpError, unauthorized } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { UsersService } from '../users/service.js';
import type { LoginLimiter } from './login-limiter.js';
import { hashRefreshToken, newRefreshToken } from './refresh-token.js';
import type { AuthRepository, RevokeReason, StoredRefreshToken } from './repository.js';
import type { TokenResponseDto } from './schemas.js';

export interface AuthOptions {
  /** A refresh token not used for this long expires; each refresh starts the full lifetime again. */
  refreshTokenLifetimeMs: number;
}

/** Who a session is for; the role comes from the database, never from an old token. */
interface SessionUser {
  id: number;
  username: string;
  role: Role;
}

interface Refusal {
  code: ErrorCode;
  detail: string;
}

type RefreshOutcome =
  { kind: 'rotated'; tokens: TokenResponseDto } | ({ kind: 'refused' } & Refusal) | { kind: 'reused'; stored: StoredRefreshToken };

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/** Why a revoked refresh token no longer works. */
function revokedRefusal(reason: string | null): Refusal {
  const revoked = (detail: string): Refusal => ({ code: 'refresh_token_revoked', detail });
  switch (reason as RevokeReason | null) {
    case 'logout':
      return revoked('Refresh token has been revoked: this session was logged out');
    case 'password_changed':
      return revoked('Refresh token has been revoked: the password was changed');
    case 'account_disabled':
      return { code: 'account_disabled', detail: 'User account is disabled' };
    case 'reuse':
      return revoked('Refresh token has been revoked: it was used twice, so this login was ended on every device');
    default:
      return revoked('Refresh token has been revoked');
  }
}

export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokens,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditLog,
    private readonly options: AuthOptions,
  ) {}

  async login(username: string, password: string, ip: string): Promise<TokenResponseDto> {
    this.#assertIpAllowed(ip);
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
    const session = await this.startSession({ id: user.id, username: user.username, role: isRole(user.role) ? user.role : 'viewer' });
    await this.users.recordLogin(user.id);
    await this.audit.record({
      action: 'login',
      entityType: 'user',
      entityId: user.id,
      details: { username: user.username },
      actor: { userId: user.id, username: user.username, ip },
    });
    return session;
  }

  /**
   * A new session (a new refresh-token family) for a user who just proved who they are: the login
   * form, or the setup wizard creating the first admin.
   */
  async startSession(user: SessionUser): Promise<TokenResponseDto> {
    const now = new Date();
    // Expired tokens are dropped here, which runs often enough; see pruneRefreshTokens for the margin.
    await this.repo.pruneRefreshTokens(new Date(now.getTime() - TOKEN_LIFETIME_MS).toISOString());
    const { tokens } = await this.#issue(this.repo, user, randomUUID(), now);
    return tokens;
  }

  /**
   * Exchanges a refresh token for a new access token and a new refresh token (rotation); the one
   * presented stops working. A token that was already exchanged is presented again only when two
   * parties hold it, so the whole family is ended and the event audited (`token_refresh_reuse`).
   */
  async refresh(refreshToken: string, ip: string): Promise<TokenResponseDto> {
    this.#assertIpAllowed(ip);
    const now = new Date();
    const at = now.toISOString();
    const outcome = await this.repo.transaction(async (tx): Promise<RefreshOutcome> => {
      const stored = await tx.findRefreshToken(hashRefreshToken(refreshToken));
      if (!stored) return { kind: 'refused', code: 'refresh_token_invalid', detail: 'Invalid refresh token' };
      if (stored.revoked_at !== null) {
        if (stored.revoked_reason !== 'rotated') return { kind: 'refused', ...revokedRefusal(stored.revoked_reason) };
        await tx.revokeFamily(stored.family_id, 'reuse', at);
        return { kind: 'reused', stored };
      }
      if (stored.expires_at <= at) return { kind: 'refused', code: 'refresh_token_expired', detail: 'Refresh token has expired' };
      if (stored.user_id === null || stored.username === null) {
        return { kind: 'refused', code: 'refresh_token_invalid', detail: 'User account no longer exists' };
      }
      if (!stored.is_active) {
        await tx.revokeFamily(stored.family_id, 'account_disabled', at);
        return { kind: 'refused', code: 'account_disabled', detail: 'User account is disabled' };
      }
      // Two refreshes racing with one token: the row lock lets one through; the other is a reuse.
      if (!(await tx.markRotated(stored.id, at))) {
        await tx.revokeFamily(stored.family_id, 'reuse', at);
        return { kind: 'reused', stored };
      }
      const user = { id: stored.user_id, username: stored.username, role: isRole(stored.role) ? stored.role : 'viewer' } as const;
      const { tokens, tokenId } = await this.#issue(tx, user, stored.family_id, now);
      await tx.linkSuccessor(stored.id, tokenId);
      return { kind: 'rotated', tokens };
    });

    if (outcome.kind === 'rotated') return outcome.tokens;
    this.limiter.recordIpFailure(ip);
    if (outcome.kind === 'refused') throw unauthorized(outcome.code, outcome.detail);
    const { stored } = outcome;
    await this.audit.record({
      action: 'token_refresh_reuse',
      entityType: 'user',
      entityId: stored.user_id,
      details: { username: stored.username, family_id: stored.family_id },
      // Whoever presented it may not be the user, so the entry names no actor, only the address.
      actor: { userId: null, username: null, ip },
    });
    throw unauthorized(
      'refresh_token_reused',
      'Refresh token was already used, so this login has been ended on every device. Log in again.',
    );
  }

  /**
   * Ends the caller's session: the access token used for this request, its refresh-token family,
   * and the family of `refreshToken` when the client sends one (and it is the caller's).
   */
  async logout(user: AuthUser, refreshToken: string | undefined, actor: Actor): Promise<void> {
    const at = new Date().toISOString();
    if (user.jti) await this.repo.revokeAccessToken(user.jti, (user.tokenExpiresAt ?? new Date()).toISOString(), at);
    const families = new Set<string>();
    if (user.refreshFamily) families.add(user.refreshFamily);
    if (refreshToken !== undefined) {
      const stored = await this.repo.findRefreshToken(hashRefreshToken(refreshToken));
      if (stored?.user_id === user.id) families.add(stored.family_id);
    }
    for (const family of families) await this.repo.revokeFamily(family, 'logout', at);
    await this.audit.record({ action: 'logout', entityType: 'user', entityId: user.id, details: { username: user.username }, actor });
  }

  #assertIpAllowed(ip: string): void {
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
  }

  /** Stores a new refresh token of `family` and signs an access token naming that family. */
  async #issue(repo: AuthRepository, user: SessionUser, family: string, now: Date): Promise<{ tokens: TokenResponseDto; tokenId: number }> {
    const refreshToken = newRefreshToken();
    const tokenId = await repo.insertRefreshToken({
      tokenHash: hashRefreshToken(refreshToken),
      userId: user.id,
      familyId: family,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.options.refreshTokenLifetimeMs).toISOString(),
    });
    const access = this.tokens.issue(user.username, user.role, family);
    return {
      tokenId,
      tokens: { access_token: access.token, token_type: 'bearer', refresh_token: refreshToken, expires_in: this.tokens.lifetimeSeconds },
    };
  }
}
