import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * The default spool list (`GET /api/spools` without filters), serialised once — and gzipped once for
 * clients that accept it — and served until the inventory changes. A farm's dashboard and spool page
 * ask for it all the time; with 10,000 spools building it costs hundreds of milliseconds and 6.7 MB,
 * sending a cached body a few milliseconds (and a tenth of the bytes gzipped).
 *
 * Invalidation is a revision counter bumped after every write that can change the list (spools,
 * filaments, printer names) — including after a transaction commits, so a list built from data read
 * before the commit is never kept under the new revision. One process owns the cache; ODIN serves
 * the inventory from one process.
 */
export class SpoolListCache {
  #revision = 0;
  #cached: { revision: number; body: Buffer; gzipped: Promise<Buffer> | null } | null = null;

  bump(): void {
    this.#revision++;
    this.#cached = null;
  }

  async get(build: () => Promise<Buffer>, encoding: 'identity' | 'gzip' = 'identity'): Promise<Buffer> {
    const revision = this.#revision;
    let entry = this.#cached?.revision === revision ? this.#cached : null;
    if (!entry) {
      entry = { revision, body: await build(), gzipped: null };
      // A write while building leaves the cache empty: the next request builds from fresh data.
      if (revision === this.#revision) this.#cached = entry;
    }
    if (encoding === 'identity') return entry.body;
    entry.gzipped ??= gzipAsync(entry.body, { level: 6 });
    return entry.gzipped;
  }
}
