import { createHash, randomBytes } from 'node:crypto';

/**
 * The client half of HTTP Digest authentication (RFC 7616; MD5 and SHA-256, plain and -sess, qop=auth,
 * and the RFC 2069 form without qop that some embedded servers still send). One challenge is kept
 * and reused with an increasing nonce count, so a poll costs one round trip, not two.
 */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** 'auth' when the server offers it, null for the RFC 2069 form. */
  qop: 'auth' | null;
  algorithm: string;
  opaque: string | null;
  stale: boolean;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'MD5-SESS': 'md5', 'SHA-256': 'sha256', 'SHA-256-SESS': 'sha256' };

/** Reads the Digest challenge out of a `WWW-Authenticate` header (which may also carry other schemes). */
export function parseDigestChallenge(header: string | string[] | undefined): DigestChallenge | null {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return null;
  const start = /(?:^|[\s,])Digest\s+/i.exec(text);
  if (!start) return null;
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;
  re.lastIndex = start.index + start[0].length;
  for (let m = re.exec(text); m !== null && m[1] !== undefined; m = re.exec(text)) {
    params.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
    if (re.lastIndex >= text.length) break;
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return null;
  const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase();
  if (!(algorithm in HASHES)) return null;
  const qopOptions = params.get('qop');
  let qop: 'auth' | null = null;
  if (qopOptions !== undefined) {
    if (!qopOptions.split(',').some((q) => q.trim().toLowerCase() === 'auth')) return null;
    qop = 'auth';
  }
  return {
    realm,
    nonce,
    qop,
    algorithm,
    opaque: params.get('opaque') ?? null,
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
}

const quote = (value: string): string => `"${value.replace(/(["\\])/g, '\\$1')}"`;

/**
 * Random client nonces from a pooled buffer: 200 PrusaLink printers polled every 2 s ask for 100
 * nonces a second, and one randomBytes call (a getrandom syscall) per request was a measurable part
 * of the server's CPU. 512 nonces per refill.
 */
const NONCE_BYTES = 8;
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;
function randomCnonce(): string {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_BYTES * 512);
    nonceOffset = 0;
  }
  const cnonce = noncePool.toString('hex', nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return cnonce;
}

export class DigestAuth {
  #challenge: DigestChallenge | null = null;
  #nc = 0;

  constructor(
    private readonly username: string,
    private readonly password: string,
    /** Client nonce source; random by default (tests pin it to check RFC 7616's examples). */
    private readonly makeCnonce: () => string = randomCnonce,
  ) {}

  get hasChallenge(): boolean {
    return this.#challenge !== null;
  }

  /** The nonce the next Authorization header will use (for tests and logs). */
  get nonce(): string | null {
    return this.#challenge?.nonce ?? null;
  }

  setChallenge(challenge: DigestChallenge): void {
    this.#challenge = challenge;
    this.#nc = 0;
  }

  /** An `Authorization` header value for this request, or null before the first challenge. */
  authorization(method: string, uri: string): string | null {
    const c = this.#challenge;
    if (!c) return null;
    const hash = (text: string): string =>
      createHash(HASHES[c.algorithm] ?? 'md5')
        .update(text)
        .digest('hex');
    const cnonce = this.makeCnonce();
    let ha1 = hash(`${this.username}:${c.realm}:${this.password}`);
    if (c.algorithm.endsWith('-SESS')) ha1 = hash(`${ha1}:${c.nonce}:${cnonce}`);
    const ha2 = hash(`${method}:${uri}`);
    const parts = [
      `username=${quote(this.username)}`,
      `realm=${quote(c.realm)}`,
      `nonce=${quote(c.nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${c.algorithm}`,
    ];
    if (c.qop === 'auth') {
      const nc = (++this.#nc).toString(16).padStart(8, '0');
      parts.push(
        `response=${quote(hash(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`))}`,
        'qop=auth',
        `nc=${nc}`,
        `cnonce=${quote(cnonce)}`,
      );
    } else {
      parts.push(`response=${quote(hash(`${ha1}:${c.nonce}:${ha2}`))}`);
    }
    if (c.opaque !== null) parts.push(`opaque=${quote(c.opaque)}`);
    return `Digest ${parts.join(', ')}`;
  }
}
