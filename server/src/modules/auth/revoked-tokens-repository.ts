import type { RevokedTokens } from '../../core/auth/authenticator.js';
import { Repository } from '../../core/database/repository.js';

/** Reads token_blacklist for the authenticator: a revoked session token's jti stays listed until it would have expired. */
export class RevokedTokensRepository extends Repository implements RevokedTokens {
  async isRevoked(jti: string): Promise<boolean> {
    const row = await this.db.selectFrom('token_blacklist').select('jti').where('jti', '=', jti).executeTakeFirst();
    return row !== undefined;
  }
}
