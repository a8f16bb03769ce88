import type { OdinBus } from '../../events.js';
import type { FleetLogger } from '../../printers/fleet-supervisor.js';
import type { LiveStates } from '../../printers/live-states.js';
import type { PrinterState, PrinterStatePatch } from '../../printers/state.js';
import type { PrinterLiveColumns, PrintersRepository } from './repository.js';

export interface PersistOptions {
  /**
   * Temperatures and fan reach the printers table at most this often per printer. Nothing reads
   * them there while the printer is live (the API, /ws and metrics take LiveStates); the columns are
   * the last known values for after a restart, so a minute old is plenty.
   */
  telemetryEveryMs: number;
  tickMs: number;
}

export const DEFAULT_PERSIST_OPTIONS: PersistOptions = { telemetryEveryMs: 60_000, tickMs: 1_000 };

/** Fields whose change is written at once; everything else is telemetry and waits for its turn. */
const IMMEDIATE: readonly (keyof PrinterState)[] = ['status', 'online', 'stage', 'error_code', 'error_message', 'lights_on'];

interface Pending {
  dirty: boolean;
  urgent: boolean;
  lastWrite: number;
  errorChanged: boolean;
}

/**
 * Keeps the printers table's view of each printer close to the live state without writing on
 * every message: state changes at once, telemetry at most once a minute. All rows of one tick go in
 * one transaction. (Temperature history rows are the printer-history module's TemperatureSampler.)
 */
export class StatePersister {
  readonly #pending = new Map<number, Pending>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly printers: PrintersRepository,
    bus: OdinBus,
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
      pending = { dirty: false, urgent: false, lastWrite: 0, errorChanged: false };
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
    const stamp = new Date(now).toISOString();
    const rows: { id: number; columns: PrinterLiveColumns }[] = [];
    for (const [id, pending] of this.#pending) {
      if (!pending.dirty || !(all || pending.urgent || now - pending.lastWrite >= this.options.telemetryEveryMs)) continue;
      rows.push({ id, columns: this.#columns(id, this.live.get(id), pending.errorChanged, stamp) });
      pending.dirty = false;
      pending.urgent = false;
      pending.errorChanged = false;
      pending.lastWrite = now;
    }
    if (rows.length > 0) await this.printers.saveLiveStates(rows);
  }

  #columns(id: number, state: PrinterState, errorChanged: boolean, stamp: string): PrinterLiveColumns {
    const seen = this.live.lastSeen(id);
    return {
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
    };
  }
}
