import type { OdinBus } from '../events.js';
import { diffState, offlineState, type PrinterState, type PrinterStatePatch } from './state.js';

/**
 * The live state of every printer, in memory. The fleet supervisor writes it (from driver
 * patches); the API, the WebSocket hub and the metrics read it. Each real change is published on
 * the bus as a `printer_state` event carrying only the fields that changed.
 */
export class LiveStates {
  readonly #states = new Map<number, PrinterState>();
  readonly #lastSeen = new Map<number, number>();

  constructor(private readonly bus: OdinBus) {}

  get(printerId: number): PrinterState {
    return this.#states.get(printerId) ?? offlineState();
  }

  has(printerId: number): boolean {
    return this.#states.has(printerId);
  }

  /** Every known printer's state, by printer id. */
  all(): ReadonlyMap<number, PrinterState> {
    return this.#states;
  }

  /** Epoch ms of the last message from the printer, or null if never heard from. */
  lastSeen(printerId: number): number | null {
    return this.#lastSeen.get(printerId) ?? null;
  }

  touch(printerId: number, at = Date.now()): void {
    this.#lastSeen.set(printerId, at);
  }

  /**
   * Merges a patch; publishes and returns what really changed (null when nothing did).
   *
   * The state is updated in place, not replaced: a printing printer changes several times a second,
   * and a fresh copy per change lived just long enough to reach V8's old generation before it died
   * (the same reason foldState keeps one object per session). So the `state` of a bus event is
   * the printer's live state, read at once; a listener that looks at it later must copy it.
   */
  apply(printerId: number, patch: PrinterStatePatch): PrinterStatePatch | null {
    let current = this.#states.get(printerId);
    if (!current) this.#states.set(printerId, (current = offlineState()));
    const changed = diffState(current, patch);
    if (!changed) return null;
    Object.assign(current, changed);
    this.bus.emit('printer_state', { printerId, patch: changed, state: current });
    return changed;
  }

  /** Forgets a deleted printer. */
  remove(printerId: number): void {
    this.#states.delete(printerId);
    this.#lastSeen.delete(printerId);
  }
}
