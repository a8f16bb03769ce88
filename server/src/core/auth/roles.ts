export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who may call a route: nobody needs credentials (`public`), the first-run wizard (`setup`), or a role and up. */
export type Access = 'public' | 'setup' | Role;

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export interface AuthUser {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  /** The JWT id when the caller used a session token (so logout can revoke it). */
  jti: string | null;
  tokenExpiresAt: Date | null;
  /** The refresh-token family of the session (so logout can end it), when the token names one. */
  refreshFamily: string | null;
}
