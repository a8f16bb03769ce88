import { readFileSync } from 'node:fs';

import { BenchError } from './odin-server.js';

/** The open-file limit of this process, from /proc/self/limits; null off Linux. */
export function openFileLimit(): { soft: number; hard: number } | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').replace('Max open files', '').trim().split(/\s+/);
    const parse = (v: string | undefined): number => (v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v));
    const limit = { soft: parse(soft), hard: parse(hard) };
    return Number.isFinite(limit.soft) && Number.isFinite(limit.hard) ? limit : null;
  } catch {
    return null;
  }
}

/**
 * The open-file limit a node child will run with, after checking it is at least `needed`. Node
 * raises its own soft RLIMIT_NOFILE to the hard limit when it starts, so a low soft limit (say
 * `ulimit -Sn 1024`) needs nothing from us; only the hard limit can stop a 1,000-printer run,
 * and no child can raise that, so it is reported in words instead of as EMFILE halfway through.
 * Returns null when the limit is unknown (not Linux).
 */
export function checkOpenFileLimit(needed: number, who: string): number | null {
  const limit = openFileLimit();
  if (!limit) return null;
  if (limit.hard < needed) {
    throw new BenchError(
      `${who} needs about ${needed} open files, but the hard limit (ulimit -Hn) is ${limit.hard}; raise it (as root: ulimit -Hn ${needed}, or in /etc/security/limits.conf) and run again`,
    );
  }
  return limit.hard;
}
