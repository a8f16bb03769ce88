import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits as base64url (43 characters), opaque to the client. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps instead of the token. A token this random cannot be guessed from its hash,
 * so a fast unsalted SHA-256 is enough (unlike passwords) and lets the lookup use an index.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
