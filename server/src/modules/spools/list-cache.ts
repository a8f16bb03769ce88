/**
 * The default spool list (`GET /api/spools` without filters), serialised once and served until the
 * inventory changes. A farm's dashboard and spool page ask for it all the time; with 10,000 spools
 * building it costs hundreds of milliseconds, sending a cached body a few.
 *
 * Invalidation is a revision counter bumped after every write that can change the list (spools,
 * filaments, printer names) — including after a transaction commits, so a list built from data read
 * before the commit is never kept under the new revision. One process owns the cache; ODIN serves
 * the inventory from one process.
 */
export class SpoolListCache {
  #revision = 0;
  #cached: { revision: number; body: Buffer } | null = null;

  bump(): void {
    this.#revision++;
    this.#cached = null;
  }

  async get(build: () => Promise<Buffer>): Promise<Buffer> {
    const revision = this.#revision;
    if (this.#cached?.revision === revision) return this.#cached.body;
    const body = await build();
    // A write while building leaves the cache empty: the next request builds from fresh data.
    if (revision === this.#revision) this.#cached = { revision, body };
    return body;
  }
}
