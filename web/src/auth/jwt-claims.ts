/** The few claims of our access token the browser reads; the server alone verifies the signature. */
export interface AccessClaims {
  /** Username. */
  sub: string | null;
  /** Expiry, epoch milliseconds. */
  expiresAt: number | null;
}

/** Reads a JWT's payload without a library; unreadable parts come back null. */
export function accessClaims(token: string): AccessClaims {
  const none: AccessClaims = { sub: null, expiresAt: null };
  const payload = token.split('.')[1];
  if (!payload) return none;
  try {
    const base64 = payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof claims !== 'object' || claims === null) return none;
    const { sub, exp } = claims as Record<string, unknown>;
    return {
      sub: typeof sub === 'string' ? sub : null,
      expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null,
    };
  } catch {
    return none;
  }
}
