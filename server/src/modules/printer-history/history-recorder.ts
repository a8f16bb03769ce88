import type { OdinBus } from '../../events.js';
import type { FleetLogger } from '../../printers/fleet-supervisor.js';
import type { AmsUnit, HmsError } from '../../printers/state.js';
import type { PrinterHistoryRepository } from './repository.js';

/** AMS humidity/temperature are sampled this often per printer for the environment charts. */
const AMS_SAMPLE_MS = 5 * 60_000;

/**
 * Keeps the history the live state forgets: when each HMS message appeared and cleared, and the AMS
 * environment over time. Writes per printer run in order, off the bus listener's turn.
 */
export class HistoryRecorder {
  readonly #activeHms = new Map<number, Map<string, HmsError>>();
  readonly #lastAmsSample = new Map<number, number>();
  readonly #queue = new Map<number, Promise<void>>();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly history: PrinterHistoryRepository,
    bus: OdinBus,
    private readonly logger: FleetLogger,
    private readonly amsSampleMs = AMS_SAMPLE_MS,
  ) {
    this.#unsubscribe = bus.on('printer_state', ({ printerId, patch }) => {
      if (patch.hms_errors) {
        const hms = patch.hms_errors;
        this.#enqueue(printerId, () => this.#recordHms(printerId, hms));
      }
      if (patch.ams) {
        const ams = patch.ams;
        this.#enqueue(printerId, () => this.#sampleAms(printerId, ams));
      }
    });
  }

  /** Picks up messages still open from before a restart, so they are not recorded twice. */
  async start(): Promise<void> {
    const open = await this.history.openHms();
    for (const row of open) {
      const map = this.#activeHms.get(row.printer_id) ?? new Map<string, HmsError>();
      map.set(row.code, { code: row.code, message: row.message ?? '', severity: (row.severity ?? 'common') as HmsError['severity'] });
      this.#activeHms.set(row.printer_id, map);
    }
  }

  async stop(): Promise<void> {
    this.#unsubscribe();
    await Promise.all([...this.#queue.values()]);
  }

  #enqueue(printerId: number, work: () => Promise<void>): void {
    const next = (this.#queue.get(printerId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: error, printerId }, 'recording printer history failed'));
    this.#queue.set(printerId, next);
    void next.finally(() => {
      if (this.#queue.get(printerId) === next) this.#queue.delete(printerId);
    });
  }

  async #recordHms(printerId: number, current: HmsError[]): Promise<void> {
    const active = this.#activeHms.get(printerId) ?? new Map<string, HmsError>();
    const now = new Date().toISOString();
    const seen = new Set(current.map((e) => e.code));
    const raised = current.filter((e) => !active.has(e.code));
    const cleared = [...active.keys()].filter((code) => !seen.has(code));
    await this.history.insertHms(
      raised.map((e) => ({
        printer_id: printerId,
        code: e.code,
        message: e.message,
        severity: e.severity,
        source: 'hms',
        occurred_at: now,
      })),
    );
    await this.history.clearHms(printerId, cleared, now);
    this.#activeHms.set(printerId, new Map(current.map((e) => [e.code, e])));
  }

  async #sampleAms(printerId: number, units: AmsUnit[]): Promise<void> {
    const last = this.#lastAmsSample.get(printerId) ?? 0;
    if (Date.now() - last < this.amsSampleMs) return;
    const rows = units
      .filter((u) => u.humidity !== null || u.humidity_index !== null || u.temperature !== null)
      .map((u) => ({
        printer_id: printerId,
        ams_unit: u.id,
        humidity: u.humidity,
        humidity_index: u.humidity_index,
        temperature: u.temperature,
        recorded_at: new Date().toISOString(),
      }));
    if (rows.length === 0) return;
    this.#lastAmsSample.set(printerId, Date.now());
    await this.history.insertAms(rows);
  }
}
