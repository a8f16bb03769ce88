import type { Kysely } from 'kysely';

import type { SessionRecord, SessionStore } from '../../core/auth/authenticator.js';
import type { DB } from '../../core/database/schema.js';

/** Why a refresh token was revoked. `rotated` retires one token; every other reason ends its family. */
export type RevokeReason = 'rotated' | 'logout' | 'reuse' | 'password_changed' | 'account_disabled';

/** Reasons another module may end all of a user's sessions for. */
export type UserSessionsEndReason = Extract<RevokeReason, 'password_changed' | 'account_disabled'>;

/** What the users module needs from here: ending every session of a user whose credentials changed. */
export interface UserSessionsRevoker {
  /** Pass the caller's transaction so the change and the revocation commit together. */
  revokeUserSessions(userId: number, reason: UserSessionsEndReason, db?: Kysely<DB>): Promise<void>;
}

export interface NewRefreshToken {
  tokenHash: string;
  userId: number;
  familyId: string;
  createdAt: string;
  expiresAt: string;
}

/** A stored refresh token with its user as it is now (null fields: the user was deleted). */
export interface StoredRefreshToken {
  id: number;
  family_id: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
  user_id: number | null;
  username: string | null;
  role: string | null;
  is_active: boolean | number | null;
}

/**
 * Revokes the active tokens of a family or a user, in two passes. Under PostgreSQL a refresh that
 * commits while the first pass waits on the row it rotates leaves a successor that pass cannot see
 * (its snapshot predates it); the second pass, a new statement, sees and revokes it.
 */
async function revokeActive(
  db: Kysely<DB>,
  column: 'family_id' | 'user_id',
  value: string | number,
  reason: Exclude<RevokeReason, 'rotated'>,
  now: string,
): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    await db
      .updateTable('refresh_tokens')
      .set({ revoked_at: now, revoked_reason: reason })
      .where(column, '=', value)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

/**
 * The auth module's tables: `token_blacklist` (revoked access-token ids) and `refresh_tokens`.
 * The only place their SQL lives. Timestamps are ISO-8601 UTC strings, compared as text.
 */
export class AuthRepository implements SessionStore, UserSessionsRevoker {
  constructor(private readonly db: Kysely<DB>) {}

  /** Runs `work` in one transaction, with a repository bound to it. */
  transaction<T>(work: (tx: AuthRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new AuthRepository(trx)));
  }

  // ---- access tokens ---------------------------------------------------------------------------

  /** One round trip per request: the user as they are now, and whether this session was ended. */
  async sessionRecord(username: string, jti: string, family: string | null): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => [
        'id',
        'username',
        'email',
        'role',
        'is_active',
        eb.exists(eb.selectFrom('token_blacklist').select('jti').where('jti', '=', jti)).as('revoked'),
      ])
      .$if(family !== null, (query) =>
        query.select((eb) =>
          eb
            .exists(
              eb
                .selectFrom('refresh_tokens')
                .select('id')
                .where('family_id', '=', family ?? '')
                // NULL (still active) is not different from anything in SQL, so only ended rows count.
                .where('revoked_reason', '!=', 'rotated' satisfies RevokeReason),
            )
            .as('family_revoked'),
        ),
      )
      .where('username', '=', username)
      .executeTakeFirst();
    if (!row) return undefined;
    const { family_revoked: familyRevoked, revoked, ...user } = row;
    return { ...user, revoked: Boolean(revoked), familyRevoked: Boolean(familyRevoked) };
  }

  /** Records a revoked access token until it would have expired anyway; older records are dropped. */
  async revokeAccessToken(jti: string, expiresAt: string, now: string): Promise<void> {
    await this.db
      .insertInto('token_blacklist')
      .values({ jti, expires_at: expiresAt, revoked_at: now })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
    await this.db.deleteFrom('token_blacklist').where('expires_at', '<', now).execute();
  }

  // ---- refresh tokens --------------------------------------------------------------------------

  async insertRefreshToken(token: NewRefreshToken): Promise<number> {
    const row = await this.db
      .insertInto('refresh_tokens')
      .values({
        token_hash: token.tokenHash,
        user_id: token.userId,
        family_id: token.familyId,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findRefreshToken(tokenHash: string): Promise<StoredRefreshToken | undefined> {
    return this.db
      .selectFrom('refresh_tokens as t')
      .leftJoin('users as u', 'u.id', 't.user_id')
      .select([
        't.id',
        't.family_id',
        't.expires_at',
        't.revoked_at',
        't.revoked_reason',
        't.user_id',
        'u.username',
        'u.role',
        'u.is_active',
      ])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  /**
   * Retires a token for its successor. False when it was no longer active: a concurrent refresh
   * with the same token got there first (the row lock makes the second one see that).
   */
  async markRotated(id: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: now, revoked_reason: 'rotated' satisfies RevokeReason, last_used_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async linkSuccessor(id: number, successorId: number): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ replaced_by: successorId }).where('id', '=', id).execute();
  }

  /** Ends a login: its current token stops working, and so do the access tokens it issued. */
  async revokeFamily(familyId: string, reason: Exclude<RevokeReason, 'rotated'>, now: string): Promise<void> {
    await revokeActive(this.db, 'family_id', familyId, reason, now);
  }

  async revokeUserSessions(userId: number, reason: UserSessionsEndReason, db: Kysely<DB> = this.db): Promise<void> {
    await revokeActive(db, 'user_id', userId, reason, new Date().toISOString());
  }

  /**
   * Drops tokens that expired before `cutoff`. Callers keep a margin of one access-token lifetime,
   * so a revoked family's rows outlive every access token that names it.
   */
  async pruneRefreshTokens(cutoff: string): Promise<void> {
    await this.db.deleteFrom('refresh_tokens').where('expires_at', '<', cutoff).execute();
  }
}
