/**
 * The `print` object of a Bambu report, kept as top-level fields with a JSON fragment cached per
 * field and a set of fields changed since the last push. A P1 delta is the changed fragments
 * joined; a full report is every fragment joined (only the changed ones are re-serialised). So a
 * thousand printers pushing deltas at 1 Hz never build or stringify a whole report object.
 */
export type Scalar = string | number | boolean | null;

export class ReportFields {
  /** Insertion order is report order (the order of the captures). */
  readonly #values = new Map<string, unknown>();
  readonly #fragments = new Map<string, string>();
  readonly #changed = new Set<string>();

  /** Sets a scalar; a value equal to the current one is not a change. */
  set(key: string, value: Scalar): void {
    if (this.#values.has(key) && this.#values.get(key) === value) return;
    this.#values.set(key, value);
    this.#fragments.delete(key);
    this.#changed.add(key);
  }

  /** Sets an object or array field: always a change (callers only call this when it changed). */
  setObject(key: string, value: object): void {
    this.#values.set(key, value);
    this.#fragments.delete(key);
    this.#changed.add(key);
  }

  get(key: string): unknown {
    return this.#values.get(key);
  }

  has(key: string): boolean {
    return this.#values.has(key);
  }

  keys(): string[] {
    return [...this.#values.keys()];
  }

  /** Fields changed since the last `takeDelta()`/`takeFull()`. */
  get changedCount(): number {
    return this.#changed.size;
  }

  /** Forget pending changes (after the initial state was built). */
  clearChanges(): void {
    this.#changed.clear();
  }

  /** The changed fields as `"k":v,"k2":v2` (empty string when nothing changed); resets the change set. */
  takeDelta(): string {
    if (this.#changed.size === 0) return '';
    let out = '';
    for (const key of this.#changed) {
      if (!this.#values.has(key)) continue;
      out += (out ? ',' : '') + this.#fragment(key);
    }
    this.#changed.clear();
    return out;
  }

  /** Every field as `"k":v,...`, pending changes untouched. */
  all(): string {
    let out = '';
    for (const key of this.#values.keys()) out += (out ? ',' : '') + this.#fragment(key);
    return out;
  }

  /** Every field, for a full report every subscriber receives: it covers the pending changes, so they are reset. */
  takeFull(): string {
    const out = this.all();
    this.#changed.clear();
    return out;
  }

  #fragment(key: string): string {
    let fragment = this.#fragments.get(key);
    if (fragment === undefined) {
      fragment = `${JSON.stringify(key)}:${JSON.stringify(this.#values.get(key))}`;
      this.#fragments.set(key, fragment);
    }
    return fragment;
  }
}

/** `{"print":{<fields>,"command":"push_status","msg":N,"sequence_id":"S"}}`, the order of the captures. */
export function pushStatus(fields: string, msg: 0 | 1, sequenceId: number): string {
  return `{"print":{${fields}${fields ? ',' : ''}"command":"push_status","msg":${msg},"sequence_id":"${sequenceId}"}}`;
}
