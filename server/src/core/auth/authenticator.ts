import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { DB } from '../database/schema.js';
import { unauthorized } from '../errors.js';
import { type AuthUser, isRole } from './roles.js';
import type { SessionTokens } from './tokens.js';

/** Turns the `Authorization: Bearer …` header into the current user, checked against the database each time. */
export class Authenticator {
  constructor(
    private readonly db: Kysely<DB>,
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

    // One round trip: the user's current role and status, and whether this token was revoked.
    const row = await this.db
      .selectFrom('users')
      .select((eb) => [
        'id',
        'username',
        'email',
        'role',
        'is_active',
        eb.exists(eb.selectFrom('token_blacklist').select('jti').where('jti', '=', claims.jti)).as('revoked'),
      ])
      .where('username', '=', claims.sub)
      .executeTakeFirst();

    if (!row) throw unauthorized('invalid_token', 'Invalid or expired token');
    if (row.revoked) throw unauthorized('token_revoked', 'Token has been revoked');
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
