/**
 * Where the session's tokens live between visits: the access token and the refresh token, side by
 * side in localStorage, with a memory fallback when storage is blocked.
 *
 * localStorage rather than sessionStorage: a TV on the wall must come back signed in after a reload,
 * a browser restart or a reboot, which sessionStorage (gone with the tab) cannot do; and every tab of
 * the browser shares one session, so one tab's refresh serves them all. The price is that script
 * running in the page could read the tokens — no worse than the access token before; the server
 * limits the damage (a copied refresh token used twice ends the login everywhere).
 */
const ACCESS_KEY = 'odin.token';
const REFRESH_KEY = 'odin.refresh';

export interface StoredTokens {
  access: string;
  /** Absent for a session started before the server issued refresh tokens. */
  refresh: string | null;
}

let memory: StoredTokens | null = null;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function readToken(): string | null {
  return read(ACCESS_KEY) ?? memory?.access ?? null;
}

export function readRefreshToken(): string | null {
  return read(REFRESH_KEY) ?? memory?.refresh ?? null;
}

export function writeTokens(tokens: StoredTokens | null): void {
  memory = tokens;
  try {
    // The refresh token first: other tabs act on the access token's change and then read both.
    if (tokens?.refresh) localStorage.setItem(REFRESH_KEY, tokens.refresh);
    else localStorage.removeItem(REFRESH_KEY);
    if (tokens) localStorage.setItem(ACCESS_KEY, tokens.access);
    else localStorage.removeItem(ACCESS_KEY);
  } catch {
    // kept in memory for this tab only
  }
}

/** An access token on its own (a session that cannot be refreshed); null forgets both tokens. */
export function writeToken(token: string | null): void {
  writeTokens(token === null ? null : { access: token, refresh: null });
}

/** Calls `listener` when another tab of this browser changes the session (a refresh, a logout). */
export function onTokensChangedElsewhere(listener: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  const handle = (event: StorageEvent) => {
    // key null: the other tab cleared all of storage.
    if (event.key === ACCESS_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', handle);
  return () => window.removeEventListener('storage', handle);
}
