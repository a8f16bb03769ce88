import { accessClaims } from './jwt-claims';
import { onTokensChangedElsewhere, readRefreshToken, readToken, writeTokens } from './token-store';

export interface SessionRefresherOptions {
  /** Refresh this long before the access token expires. */
  leadMs?: number;
  /** Try again this soon when the server could not be reached (a restart, a network blip). */
  retryMs?: number;
  /** The clock the schedule reads (tests move it forward). */
  now?: () => number;
}

interface TokenPair {
  access_token: string;
  refresh_token: string;
}

type Exchange = { kind: 'refreshed'; token: string } | { kind: 'ended' } | { kind: 'unavailable' };

const REFRESH_URL = '/api/auth/refresh';
const LOCK_NAME = 'odin.session-refresh';
/** setTimeout's ceiling (about 24.8 days); a longer wait would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function isTokenPair(body: unknown): body is TokenPair {
  if (typeof body !== 'object' || body === null) return false;
  const { access_token: access, refresh_token: refresh } = body as Record<string, unknown>;
  return typeof access === 'string' && typeof refresh === 'string';
}

/**
 * Keeps a session alive: exchanges the refresh token for a new pair a minute before the access
 * token expires, and on demand after a 401. One exchange runs at a time, shared by every caller;
 * across tabs the Web Locks API serialises them, and a tab that waited adopts the pair the other tab
 * got instead of presenting the now-rotated token again (which the server treats as theft).
 */
export class SessionRefresher {
  readonly #leadMs: number;
  readonly #retryMs: number;
  readonly #now: () => number;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inFlight: Promise<string | null> | null = null;
  #stopListening: (() => void) | null = null;
  readonly #refreshed = new Set<(token: string) => void>();
  readonly #ended = new Set<() => void>();

  constructor(options: SessionRefresherOptions = {}) {
    this.#leadMs = options.leadMs ?? 60_000;
    this.#retryMs = options.retryMs ?? 30_000;
    this.#now = options.now ?? (() => Date.now());
  }

  /** `listener` gets every new access token once it is stored (the live socket re-authenticates with it). */
  onRefreshed(listener: (token: string) => void): () => void {
    this.#refreshed.add(listener);
    return () => this.#refreshed.delete(listener);
  }

  /** `listener` hears that the session is over: the server refused the refresh token, or another tab logged out. */
  onEnded(listener: () => void): () => void {
    this.#ended.add(listener);
    return () => this.#ended.delete(listener);
  }

  /** Schedules the next refresh for the stored token and follows other tabs and wake-ups. */
  start(): void {
    this.stop();
    this.#running = true;
    this.#schedule();
    const offTabs = onTokensChangedElsewhere(() => this.#adoptFromOtherTab());
    // A laptop waking up or a hidden tab coming back may be past the time the timer was set for.
    const onVisible = () => {
      if (document.visibilityState === 'visible') this.#schedule();
    };
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);
    this.#stopListening = () => {
      offTabs();
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible);
    };
  }

  /** Stops the schedule; an exchange already under way still completes. */
  stop(): void {
    this.#running = false;
    this.#clearTimer();
    this.#stopListening?.();
    this.#stopListening = null;
  }

  /** A new access token from the server (or from a tab that just got one); null when there is none. */
  refresh(): Promise<string | null> {
    if (!this.#inFlight) {
      const startedWith = readToken();
      this.#inFlight = this.#exchangeLocked(startedWith)
        .then((outcome) => this.#settle(outcome))
        .finally(() => {
          this.#inFlight = null;
        });
    }
    return this.#inFlight;
  }

  /**
   * For a request the server refused with 401: the token to retry with — the stored one if it is
   * already newer than the refused one, else a refreshed one — or null.
   */
  recover(refused: string): Promise<string | null> {
    const current = readToken();
    if (current !== null && current !== refused && !this.#inFlight) return Promise.resolve(current);
    return this.refresh();
  }

  #settle(outcome: Exchange): string | null {
    if (outcome.kind === 'refreshed') {
      this.#emitRefreshed(outcome.token);
      this.#schedule();
      return outcome.token;
    }
    if (outcome.kind === 'ended') {
      this.#clearTimer();
      this.#emitEnded();
      return null;
    }
    this.#setTimer(this.#retryMs);
    return null;
  }

  async #exchangeLocked(startedWith: string | null): Promise<Exchange> {
    const locks = typeof navigator === 'undefined' ? undefined : (navigator.locks as LockManager | undefined);
    if (!locks) return this.#exchange(startedWith);
    return await locks.request(LOCK_NAME, () => this.#exchange(startedWith));
  }

  async #exchange(startedWith: string | null): Promise<Exchange> {
    const stored = readToken();
    // Another tab refreshed while this one waited for the lock: its pair is ours too.
    if (stored !== null && stored !== startedWith && !this.#dueSoon(stored)) return { kind: 'refreshed', token: stored };
    const refreshToken = readRefreshToken();
    if (refreshToken === null) return { kind: 'ended' };

    let response: Response;
    try {
      response = await fetch(REFRESH_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
    } catch {
      return { kind: 'unavailable' };
    }
    if (readRefreshToken() !== refreshToken) {
      // The session changed meanwhile: logged out, or another tab (without Web Locks) refreshed.
      const access = readToken();
      return readRefreshToken() !== null && access !== null ? { kind: 'refreshed', token: access } : { kind: 'ended' };
    }
    // Too many attempts from this network, or the server is restarting: the token is still good.
    if (response.status === 429 || response.status >= 500) return { kind: 'unavailable' };
    const body: unknown = await response.json().catch(() => null);
    if (response.ok && isTokenPair(body)) {
      writeTokens({ access: body.access_token, refresh: body.refresh_token });
      return { kind: 'refreshed', token: body.access_token };
    }
    return { kind: 'ended' };
  }

  #adoptFromOtherTab(): void {
    const token = readToken();
    if (token === null) {
      this.#clearTimer();
      this.#emitEnded();
      return;
    }
    this.#emitRefreshed(token);
    this.#schedule();
  }

  #emitRefreshed(token: string): void {
    for (const listener of [...this.#refreshed]) listener(token);
  }

  #emitEnded(): void {
    for (const listener of [...this.#ended]) listener();
  }

  /** True when the token expires within the lead time (or its expiry cannot be read). */
  #dueSoon(token: string): boolean {
    const { expiresAt } = accessClaims(token);
    return expiresAt === null || expiresAt - this.#leadMs <= this.#now();
  }

  #schedule(): void {
    this.#clearTimer();
    const token = readToken();
    if (token === null || readRefreshToken() === null) return;
    const { expiresAt } = accessClaims(token);
    if (expiresAt === null) return;
    this.#setTimer(expiresAt - this.#leadMs - this.#now());
  }

  #setTimer(delayMs: number): void {
    this.#clearTimer();
    if (!this.#running) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        void this.refresh();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, delayMs)),
    );
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
