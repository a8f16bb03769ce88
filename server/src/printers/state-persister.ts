import type { Kysely } from 'kysely';

import type { DB } from '../core/database/schema.js';
import type { EventBus } from '../core/event-bus.js';
import type { FleetLogger } from './fleet-supervisor.js';
import type { LiveStates } from './live-states.js';
import type { PrinterState, PrinterStatePatch } from './state.js';

export interface PersistOptions {
  /** Temperatures and fan reach the printers table at most this often per printer. */
  telemetryEveryMs: number;
  /** While printing, one printer_telemetry history row per printer this often. */
  historyEveryMs: number;
  tickMs: number;
}

export const DEFAULT_PERSIST_OPTIONS: PersistOptions = { telemetryEveryMs: 5_000, historyEveryMs: 60_000, tickMs: 1_000 };

/** Fields whose change is written at once; everything else is telemetry and waits for its turn. */
const IMMEDIATE: readonly (keyof PrinterState)[] = ['status', 'online', 'stage', 'error_code', 'error_message', 'lights_on'];

interface Pending {
  dirty: boolean;
  urgent: boolean;
  lastWrite: number;
  lastHistory: number;
  errorChanged: boolean;
}

/**
 * Keeps the database's view of each printer close to the live state without writing on every
 * message: state changes at once, telemetry at most every 5 s, history rows every 60 s while
 * printing. All writes of one tick go in one transaction.
 */
export class StatePersister {
  readonly #pending = new Map<number, Pending>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: EventBus,
    private readonly live: LiveStates,
    private readonly logger: FleetLogger,
    private readonly options: PersistOptions = DEFAULT_PERSIST_OPTIONS,
  ) {
    this.#unsubscribe = bus.on('printer_state', ({ printerId, patch }) => this.#note(printerId, patch));
  }

  start(): void {
    this.#timer = setInterval(() => void this.flush(false), this.options.tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#unsubscribe();
    if (this.#timer) clearInterval(this.#timer);
    await this.flush(true);
  }

  forget(printerId: number): void {
    this.#pending.delete(printerId);
  }

  #note(printerId: number, patch: PrinterStatePatch): void {
    let pending = this.#pending.get(printerId);
    if (!pending) {
      pending = { dirty: false, urgent: false, lastWrite: 0, lastHistory: 0, errorChanged: false };
      this.#pending.set(printerId, pending);
    }
    pending.dirty = true;
    if (IMMEDIATE.some((key) => key in patch)) {
      pending.urgent = true;
      if (patch.error_message || patch.error_code) pending.errorChanged = true;
      // State changes go out now rather than on the next tick.
      queueMicrotask(() => void this.flush(false));
    }
  }

  /** Writes what is due (or everything, when `all`). Flushes never overlap. */
  flush(all: boolean): Promise<void> {
    this.#flushing = this.#flushing
      .then(() => this.#write(all))
      .catch((error: unknown) => this.logger.error({ err: error }, 'saving printer state failed'));
    return this.#flushing;
  }

  async #write(all: boolean): Promise<void> {
    const now = Date.now();
    const rows: { id: number; state: PrinterState; errorChanged: boolean }[] = [];
    const history: { id: number; state: PrinterState }[] = [];
    for (const [id, pending] of this.#pending) {
      const state = this.live.get(id);
      if (pending.dirty && (all || pending.urgent || now - pending.lastWrite >= this.options.telemetryEveryMs)) {
        rows.push({ id, state, errorChanged: pending.errorChanged });
        pending.dirty = false;
        pending.urgent = false;
        pending.errorChanged = false;
        pending.lastWrite = now;
      }
      if (state.status === 'printing' && now - pending.lastHistory >= this.options.historyEveryMs) {
        history.push({ id, state });
        pending.lastHistory = now;
      }
    }
    if (rows.length === 0 && history.length === 0) return;
    const stamp = new Date(now).toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (const { id, state, errorChanged } of rows) {
        const seen = this.live.lastSeen(id);
        await trx
          .updateTable('printers')
          .set({
            status: state.status,
            print_stage: state.stage,
            bed_temp: state.bed_temp,
            bed_target_temp: state.bed_target_temp,
            nozzle_temp: state.nozzle_temp,
            nozzle_target_temp: state.nozzle_target_temp,
            fan_speed: state.fan_speed,
            ...(state.lights_on !== null ? { lights_on: state.lights_on } : {}),
            ...(seen !== null ? { last_seen: new Date(seen).toISOString() } : {}),
            ...(errorChanged && state.error_message
              ? { last_error_code: state.error_code, last_error_message: state.error_message, last_error_at: stamp }
              : {}),
          })
          .where('id', '=', id)
          .execute();
      }
      if (history.length > 0) {
        await trx
          .insertInto('printer_telemetry')
          .values(
            history.map(({ id, state }) => ({
              printer_id: id,
              bed_temp: state.bed_temp,
              nozzle_temp: state.nozzle_temp,
              bed_target: state.bed_target_temp,
              nozzle_target: state.nozzle_target_temp,
              fan_speed: state.fan_speed,
              recorded_at: stamp,
            })),
          )
          .execute();
      }
    });
  }
}
