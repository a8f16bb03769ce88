import { randomUUID } from 'node:crypto';

import { createSigner, createVerifier } from 'fast-jwt';

import { isRole, type Role } from './roles.js';

export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface SessionClaims {
  sub: string;
  role: Role;
  jti: string;
  iat: number;
  exp: number;
  /**
   * The refresh-token family this access token belongs to (one per login). Revoking the family
   * (logout, theft detection, password change) ends the access tokens it issued as well.
   * Absent from tokens issued before refresh tokens existed.
   */
  fam?: string;
}

export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

/** HS256 session tokens. Only HS256 is accepted, so `alg: none` and algorithm-confusion tokens fail. */
export class SessionTokens {
  readonly #sign: (payload: Record<string, unknown>) => string;
  readonly #verify: (token: string) => unknown;

  constructor(secret: string) {
    this.#sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: TOKEN_LIFETIME_MS });
    this.#verify = createVerifier({ key: secret, algorithms: ['HS256'], cache: 5000 });
  }

  /** Seconds an access token is valid for (OAuth2's `expires_in`). */
  get lifetimeSeconds(): number {
    return TOKEN_LIFETIME_MS / 1000;
  }

  issue(username: string, role: Role, family: string | null = null): IssuedToken {
    const jti = randomUUID();
    const token = this.#sign({ sub: username, role, jti, ...(family === null ? {} : { fam: family }) });
    return { token, jti, expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS) };
  }

  /** The token's claims, or null when it is malformed, forged, expired or not ours. */
  verify(token: string): SessionClaims | null {
    let payload: unknown;
    try {
      payload = this.#verify(token);
    } catch {
      return null;
    }
    if (typeof payload !== 'object' || payload === null) return null;
    const { sub, role, jti, iat, exp, fam } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || !isRole(role) || typeof jti !== 'string') return null;
    if (typeof iat !== 'number' || typeof exp !== 'number') return null;
    if (fam !== undefined && typeof fam !== 'string') return null;
    return { sub, role, jti, iat, exp, ...(fam === undefined ? {} : { fam }) };
  }
}
