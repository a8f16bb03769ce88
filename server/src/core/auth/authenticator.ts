import type { FastifyRequest } from 'fastify';

import { unauthorized } from '../errors.js';
import { type AuthUser, isRole } from './roles.js';
import type { SessionTokens } from './tokens.js';

/** A user account as the authenticator checks it on every request. */
export interface SessionAccount {
  id: number;
  username: string;
  email: string | null;
  role: string;
  is_active: boolean | number;
}

/** Where the authenticator reads accounts (the users module implements it). */
export interface SessionAccounts {
  findSessionAccount(username: string): Promise<SessionAccount | undefined>;
}

/** Where the authenticator learns that a session token was revoked (the auth module implements it). */
export interface RevokedTokens {
  isRevoked(jti: string): Promise<boolean>;
}

/** Turns the `Authorization: Bearer …` header into the current user, checked against the database each time. */
export class Authenticator {
  constructor(
    private readonly sessions: { accounts: SessionAccounts; revoked: RevokedTokens },
    private readonly tokens: SessionTokens,
  ) {}

  static bearerToken(request: FastifyRequest): string | null {
    const header = request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? null;
  }

  /** The caller, or a 401 error that says why not. */
  async authenticate(request: FastifyRequest): Promise<AuthUser> {
    const token = Authenticator.bearerToken(request);
    if (token === null) throw unauthorized('not_authenticated', 'Not authenticated');
    return this.authenticateToken(token);
  }

  /** The user behind a bare session token (WebSocket auth), checked exactly as a bearer header is. */
  async authenticateToken(token: string): Promise<AuthUser> {
    const claims = this.tokens.verify(token);
    if (claims === null) throw unauthorized('invalid_token', 'Invalid or expired token');

    // Both lookups at once: the user's current role and status, and whether this token was revoked.
    const [row, revoked] = await Promise.all([
      this.sessions.accounts.findSessionAccount(claims.sub),
      this.sessions.revoked.isRevoked(claims.jti),
    ]);

    if (!row) throw unauthorized('invalid_token', 'Invalid or expired token');
    if (revoked) throw unauthorized('token_revoked', 'Token has been revoked');
    if (!row.is_active) throw unauthorized('account_disabled', 'User account is disabled');
    // The role comes from the database, so a demotion takes effect on the next request.
    const role = isRole(row.role) ? row.role : 'viewer';
    return {
      id: row.id,
      username: row.username,
      email: row.email,
      role,
      jti: claims.jti,
      tokenExpiresAt: new Date(claims.exp * 1000),
    };
  }
}
