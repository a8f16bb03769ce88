import type { Insertable } from 'kysely';

import type { PrinterTelemetryTable } from '../../core/database/schema.js';
import type { FleetLogger } from '../../printers/fleet-supervisor.js';
import type { LiveStates } from '../../printers/live-states.js';
import type { PrinterHistoryRepository } from './repository.js';

export interface SamplerOptions {
  /** While printing, one printer_telemetry row per printer this often. */
  historyEveryMs: number;
  /** How often the sampler looks at the live states. */
  tickMs: number;
}

export const DEFAULT_SAMPLER_OPTIONS: SamplerOptions = { historyEveryMs: 60_000, tickMs: 1_000 };

/**
 * The temperature chart's data: one printer_telemetry row per printing printer every
 * `historyEveryMs`, taken from the live state on a timer (not on messages, so a printer whose
 * temperatures hold steady still gets its rows). All rows of one tick go in one insert.
 */
export class TemperatureSampler {
  readonly #lastSample = new Map<number, number>();
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly history: PrinterHistoryRepository,
    private readonly live: LiveStates,
    private readonly logger: FleetLogger,
    private readonly options: SamplerOptions = DEFAULT_SAMPLER_OPTIONS,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.sample(), this.options.tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#writing;
  }

  /** Writes a row for every printing printer that is due one. Writes never overlap. */
  sample(): Promise<void> {
    this.#writing = this.#writing
      .then(() => this.#write())
      .catch((error: unknown) => this.logger.error({ err: error }, 'saving temperature history failed'));
    return this.#writing;
  }

  async #write(): Promise<void> {
    const now = Date.now();
    const stamp = new Date(now).toISOString();
    const rows: Insertable<PrinterTelemetryTable>[] = [];
    for (const [id, state] of this.live.all()) {
      if (state.status !== 'printing' || now - (this.#lastSample.get(id) ?? 0) < this.options.historyEveryMs) continue;
      this.#lastSample.set(id, now);
      rows.push({
        printer_id: id,
        bed_temp: state.bed_temp,
        nozzle_temp: state.nozzle_temp,
        bed_target: state.bed_target_temp,
        nozzle_target: state.nozzle_target_temp,
        fan_speed: state.fan_speed,
        recorded_at: stamp,
      });
    }
    await this.history.insertTemperatures(rows);
  }
}
