import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server half of HTTP Digest (RFC 7616, MD5, qop=auth) as the PrusaLink simulator needs it.
 * Nonces are stateless (an HMAC over an epoch and a timestamp) so "one of ours but old" can be told
 * apart from "never issued here"; each nonce's `nc` values are remembered so a replayed count is refused.
 */
export type DigestVerdict = 'ok' | 'stale' | 'denied';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** Splits `Digest a=b, c="d, e"` into its parameters (names lower-cased). Null when the scheme is not Digest. */
export function parseDigestHeader(header: string): Map<string, string> | null {
  const match = /^\s*Digest\s+/i.exec(header);
  if (!match) return null;
  const params = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;
  re.lastIndex = match[0].length;
  for (;;) {
    while (header[re.lastIndex] === ' ' || header[re.lastIndex] === ',') re.lastIndex++;
    if (re.lastIndex >= header.length) break;
    const m = re.exec(header);
    if (!m || m[1] === undefined) break;
    params.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return params;
}

export class DigestNonces {
  readonly #secret = randomBytes(16);
  #epoch = 0;
  /** nc values seen per live nonce. */
  readonly #seen = new Map<string, Set<number>>();

  constructor(private readonly lifetimeMs: number) {}

  issue(): string {
    const body = `${this.#epoch.toString(36)}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
    return `${body}.${this.#sign(body)}`;
  }

  /** Every nonce issued so far becomes stale (the next request using one gets `stale=true`). */
  expireAll(): void {
    this.#epoch++;
    this.#seen.clear();
  }

  /**
   * Checks an `Authorization: Digest …` header against the expected user and password. `stale`
   * only when the digest itself is right for an old nonce of ours (RFC 7616 §3.3).
   */
  verify(header: string, method: string, uri: string, realm: string, username: string, password: string): DigestVerdict {
    const p = parseDigestHeader(header);
    if (!p) return 'denied';
    const nonce = p.get('nonce') ?? '';
    const nc = p.get('nc') ?? '';
    const cnonce = p.get('cnonce') ?? '';
    const response = p.get('response') ?? '';
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
    if (p.get('username') !== username || p.get('realm') !== realm || p.get('uri') !== uri) return 'denied';
    if (algorithm !== 'MD5' || p.get('qop') !== 'auth' || !/^[0-9a-f]{8}$/i.test(nc) || cnonce === '') return 'denied';
    const age = this.#age(nonce);
    if (age === null) return 'denied';
    const ha1 = md5(`${username}:${realm}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    if (response.length !== expected.length || !timingSafeEqual(Buffer.from(response), Buffer.from(expected))) return 'denied';
    if (age === 'stale') {
      this.#seen.delete(nonce);
      return 'stale';
    }
    const count = Number.parseInt(nc, 16);
    let seen = this.#seen.get(nonce);
    if (!seen) {
      if (this.#seen.size >= 16) for (const old of this.#seen.keys()) if (this.#age(old) !== 'fresh') this.#seen.delete(old);
      this.#seen.set(nonce, (seen = new Set()));
    }
    if (seen.has(count)) return 'denied';
    seen.add(count);
    return 'ok';
  }

  #age(nonce: string): 'fresh' | 'stale' | null {
    const parts = nonce.split('.');
    if (parts.length !== 4) return null;
    const [epoch, stamp, random, signature] = parts as [string, string, string, string];
    if (this.#sign(`${epoch}.${stamp}.${random}`) !== signature) return null;
    if (Number.parseInt(epoch, 36) !== this.#epoch) return 'stale';
    return Date.now() - Number.parseInt(stamp, 36) > this.lifetimeMs ? 'stale' : 'fresh';
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('hex').slice(0, 16);
  }
}
