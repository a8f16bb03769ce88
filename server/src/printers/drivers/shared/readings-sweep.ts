/**
 * One timer for every session that is holding back sensor readings. A fleet of printers pushing
 * temperatures at scattered moments would otherwise arm and clear a timer per printer per push (and
 * wake the event loop for each); the next push usually carries the held readings anyway, so the
 * sweep is only the backstop for a printer that went quiet.
 */
export class ReadingsSweep {
  readonly #waiting = new Set<() => boolean>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  /** `flush` is called at each sweep until it returns true (done, or nothing to do any more). */
  add(flush: () => boolean): void {
    this.#waiting.add(flush);
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#sweep(), this.intervalMs);
    this.#timer.unref();
  }

  #sweep(): void {
    for (const flush of this.#waiting) {
      if (flush()) this.#waiting.delete(flush);
    }
    if (this.#waiting.size > 0 || !this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }
}

const sweeps = new Map<number, ReadingsSweep>();

/** The process-wide sweep for one interval. */
export function readingsSweep(intervalMs: number): ReadingsSweep {
  let sweep = sweeps.get(intervalMs);
  if (!sweep) sweeps.set(intervalMs, (sweep = new ReadingsSweep(intervalMs)));
  return sweep;
}
