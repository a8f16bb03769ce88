/** Where the session token lives between visits (localStorage), with a fallback when storage is blocked. */
const KEY = 'odin.token';
let memory: string | null = null;

export function readToken(): string | null {
  try {
    return localStorage.getItem(KEY) ?? memory;
  } catch {
    return memory;
  }
}

export function writeToken(token: string | null): void {
  memory = token;
  try {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
  } catch {
    // kept in memory for this tab only
  }
}
