/**
 * Brute-force limits that count failures only (a farm's shared office IP logs in often): more than
 * `ipMaxFailures` failed logins or refused refresh tokens from one IP within `ipWindowMs` → 429, and
 * `userMaxFailures` failures for one username within `userWindowMs` → that username is locked for
 * `lockMs` (423).
 * Kept in memory per process; a scaled-out deployment swaps in a shared store with the same interface.
 */
export interface LoginLimiter {
  /** Milliseconds until this IP may try again, or 0. */
  ipBlockedFor(ip: string): number;
  /** Milliseconds until this username unlocks, or 0. */
  usernameLockedFor(username: string): number;
  recordFailure(ip: string, username: string): void;
  /** A failure that names no account (a refused refresh token): counts toward the IP limit only. */
  recordIpFailure(ip: string): void;
  recordSuccess(username: string): void;
}

export interface LoginLimits {
  ipMaxFailures: number;
  ipWindowMs: number;
  userMaxFailures: number;
  userWindowMs: number;
  lockMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  ipMaxFailures: 10,
  ipWindowMs: 5 * 60_000,
  userMaxFailures: 5,
  userWindowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

const MAX_TRACKED_KEYS = 50_000;

export class MemoryLoginLimiter implements LoginLimiter {
  readonly #ipFailures = new Map<string, number[]>();
  readonly #userFailures = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  ipBlockedFor(ip: string): number {
    const recent = this.#recent(this.#ipFailures, ip, this.limits.ipWindowMs);
    const oldest = recent[0];
    if (oldest === undefined || recent.length < this.limits.ipMaxFailures) return 0;
    return Math.max(1, oldest + this.limits.ipWindowMs - this.now());
  }

  usernameLockedFor(username: string): number {
    const key = username.toLowerCase();
    const until = this.#lockedUntil.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.#lockedUntil.delete(key);
    return 0;
  }

  recordIpFailure(ip: string): void {
    this.#push(this.#ipFailures, ip, this.now(), this.limits.ipWindowMs);
  }

  recordFailure(ip: string, username: string): void {
    const now = this.now();
    this.#push(this.#ipFailures, ip, now, this.limits.ipWindowMs);
    const key = username.toLowerCase();
    const userFailures = this.#push(this.#userFailures, key, now, this.limits.userWindowMs);
    if (userFailures.length >= this.limits.userMaxFailures) {
      this.#lockedUntil.set(key, now + this.limits.lockMs);
      this.#userFailures.delete(key);
    }
  }

  recordSuccess(username: string): void {
    this.#userFailures.delete(username.toLowerCase());
  }

  #recent(map: Map<string, number[]>, key: string, windowMs: number): number[] {
    const list = map.get(key);
    if (!list) return [];
    const cutoff = this.now() - windowMs;
    while (list[0] !== undefined && list[0] <= cutoff) list.shift();
    if (list.length === 0) map.delete(key);
    return list;
  }

  #push(map: Map<string, number[]>, key: string, at: number, windowMs: number): number[] {
    if (map.size >= MAX_TRACKED_KEYS) this.#sweep(map, windowMs);
    const list = this.#recent(map, key, windowMs);
    list.push(at);
    map.set(key, list);
    return list;
  }

  #sweep(map: Map<string, number[]>, windowMs: number): void {
    for (const key of [...map.keys()]) this.#recent(map, key, windowMs);
  }
}
