import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Authenticated encryption of secrets at rest in the Fernet token format
 * (AES-128-CBC + HMAC-SHA256), so keys and databases from the original Python ODIN stay readable.
 */
export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(token: string): string;
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt secret: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

const VERSION = 0x80;
const HEADER = 1 + 8 + 16;
const MAC = 32;

export function generateFernetKey(): string {
  return randomBytes(32).toString('base64url') + '=';
}

function decodeKey(key: string): { signing: Buffer; encryption: Buffer } {
  const raw = Buffer.from(key.trim(), 'base64url');
  if (raw.length !== 32) throw new Error('Encryption key must be 32 url-safe base64-encoded bytes (a Fernet key)');
  return { signing: raw.subarray(0, 16), encryption: raw.subarray(16) };
}

export function createSecretBox(key: string, now: () => number = Date.now): SecretBox {
  const { signing, encryption } = decodeKey(key);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(16);
      const header = Buffer.alloc(9);
      header[0] = VERSION;
      header.writeBigUInt64BE(BigInt(Math.floor(now() / 1000)), 1);
      const cipher = createCipheriv('aes-128-cbc', encryption, iv);
      const body = Buffer.concat([header, iv, cipher.update(plaintext, 'utf8'), cipher.final()]);
      const mac = createHmac('sha256', signing).update(body).digest();
      // Python's Fernet emits padded url-safe base64; keep that so the original can read our tokens too.
      return Buffer.concat([body, mac])
        .toString('base64url')
        .padEnd(Math.ceil((body.length + MAC) / 3) * 4, '=');
    },
    decrypt(token) {
      const data = Buffer.from(token.trim(), 'base64url');
      if (data.length < HEADER + 16 + MAC || (data.length - HEADER - MAC) % 16 !== 0) {
        throw new InvalidTokenError('malformed token');
      }
      if (data[0] !== VERSION) throw new InvalidTokenError('unknown token version');
      const body = data.subarray(0, data.length - MAC);
      const expected = createHmac('sha256', signing).update(body).digest();
      if (!timingSafeEqual(expected, data.subarray(data.length - MAC))) {
        throw new InvalidTokenError('signature mismatch (wrong key or tampered data)');
      }
      try {
        const decipher = createDecipheriv('aes-128-cbc', encryption, data.subarray(9, HEADER));
        return Buffer.concat([decipher.update(data.subarray(HEADER, data.length - MAC)), decipher.final()]).toString('utf8');
      } catch {
        throw new InvalidTokenError('bad padding');
      }
    },
  };
}
