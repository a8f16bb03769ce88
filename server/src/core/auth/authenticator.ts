import type { FastifyRequest } from 'fastify';

import { unauthorized } from '../errors.js';
import { type AuthUser, isRole } from './roles.js';
import type { SessionTokens } from './tokens.js';

/** A session token's user as the database has it now, and whether the session was ended. */
export interface SessionRecord {
  id: number;
  username: string;
  email: string | null;
  role: string;
  is_active: boolean | number;
  /** The token's jti was revoked (logout). */
  revoked: boolean;
  /** The token's refresh-token family was ended (logout, token theft, password change). */
  familyRevoked: boolean;
}

/**
 * Where sessions are looked up. Declared here so core does not depend on a module; the auth module's
 * repository implements it (one query per request).
 */
export interface SessionStore {
  sessionRecord(username: string, jti: string, family: string | null): Promise<SessionRecord | undefined>;
}

/** Turns the `Authorization: Bearer …` header into the current user, checked against the database each time. */
export class Authenticator {
  constructor(
    private readonly sessions: SessionStore,
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

    const family = claims.fam ?? null;
    const row = await this.sessions.sessionRecord(claims.sub, claims.jti, family);
    if (!row) throw unauthorized('invalid_token', 'Invalid or expired token');
    // Disabling a user also ends their sessions; saying "disabled" tells them why.
    if (!row.is_active) throw unauthorized('account_disabled', 'User account is disabled');
    if (row.revoked || row.familyRevoked) throw unauthorized('token_revoked', 'Token has been revoked');
    // The role comes from the database, so a demotion takes effect on the next request.
    const role = isRole(row.role) ? row.role : 'viewer';
    return {
      id: row.id,
      username: row.username,
      email: row.email,
      role,
      jti: claims.jti,
      tokenExpiresAt: new Date(claims.exp * 1000),
      refreshFamily: family,
    };
  }
}
