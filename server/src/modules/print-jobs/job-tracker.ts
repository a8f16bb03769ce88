import type { OdinBus, PrintJobEvent } from '../../events.js';
import type { FleetLogger } from '../../printers/fleet-supervisor.js';
import { isActiveStatus, type PrinterState } from '../../printers/state.js';
import type { NozzlesRepository } from '../printers/nozzles-repository.js';
import type { PrintersRepository } from '../printers/repository.js';
import type { PrintJobRecord, PrintJobsRepository } from './repository.js';

type JobStatus = PrintJobEvent['status'];

interface OpenJob {
  row: PrintJobEvent;
  remainingMinutes: number | null;
  lastWrite: number;
  /** Progress newer than what print_jobs holds. */
  unsaved: boolean;
}

/** A running print's progress as the tracker holds it: at least as new as its print_jobs row. */
export interface LiveJobProgress {
  id: number;
  progress_percent: number | null;
  current_layer: number | null;
  total_layers: number | null;
  remaining_minutes: number | null;
}

/**
 * How often a running print's progress is written and announced (`job_update`). The API reads the
 * current value from the tracker (`live`), so the row only has to survive a crash, not be current.
 */
export const PROGRESS_EVERY_MS = 60_000;

/**
 * Records every print a printer runs — started by ODIN or on the printer itself — from the
 * live state: a print opens when the printer starts preparing or printing, follows progress and
 * layers, and closes as completed, cancelled or failed. Going offline does not end a print; the
 * state after reconnecting decides how it ended. Care counters (hours, count) follow each print.
 */
export class JobTracker {
  readonly #open = new Map<number, OpenJob>();
  /** Writes per printer run one after another, so events never overtake each other. */
  readonly #queues = new Map<number, Promise<void>>();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly repositories: { jobs: PrintJobsRepository; printers: PrintersRepository; nozzles: NozzlesRepository },
    private readonly bus: OdinBus,
    private readonly logger: FleetLogger,
  ) {
    this.#unsubscribe = bus.on('printer_state', ({ printerId, patch, state }) => {
      const relevant =
        patch.status !== undefined ||
        patch.file_name !== undefined ||
        patch.job_id !== undefined ||
        patch.progress !== undefined ||
        patch.current_layer !== undefined;
      if (!relevant) return;
      // The event's state is the printer's live object, changed in place later: the queued
      // observation needs the state of this moment, or a quick finished → idle would be missed.
      const snapshot = { ...state };
      this.#enqueue(printerId, () => this.#observe(printerId, snapshot));
    });
  }

  /** Picks up prints that were running when the server stopped, so they continue in the same record. */
  async start(): Promise<void> {
    const rows = await this.repositories.jobs.running();
    for (const row of rows)
      this.#open.set(row.printer_id, { row: toEvent(row), remainingMinutes: row.remaining_minutes, lastWrite: 0, unsaved: false });
  }

  /** Stops following the bus; progress not yet written goes to print_jobs, so a restart resumes from it. */
  async stop(): Promise<void> {
    this.#unsubscribe();
    for (const [printerId, open] of this.#open)
      this.#enqueue(printerId, async () => {
        if (this.#open.get(printerId) === open && open.unsaved) await this.#saveProgress(open);
      });
    await this.idle();
  }

  /** The print running on a printer right now, with its latest progress (null when none is). */
  live(printerId: number): LiveJobProgress | null {
    const open = this.#open.get(printerId);
    if (!open) return null;
    const { id, progress_percent, current_layer, total_layers } = open.row;
    return { id, progress_percent, current_layer, total_layers, remaining_minutes: open.remainingMinutes };
  }

  /** Waits until every queued write has landed (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#queues.size > 0) await Promise.all([...this.#queues.values()]);
  }

  #enqueue(printerId: number, work: () => Promise<void>): void {
    const previous = this.#queues.get(printerId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: error, printerId }, 'print job tracking failed'))
      .finally(() => {
        if (this.#queues.get(printerId) === next) this.#queues.delete(printerId);
      });
    this.#queues.set(printerId, next);
  }

  async #observe(printerId: number, state: PrinterState): Promise<void> {
    const open = this.#open.get(printerId);
    const status = state.status;

    if (isActiveStatus(status)) {
      if (open && this.#isDifferentPrint(open.row, state)) {
        await this.#close(printerId, open, (open.row.progress_percent ?? 0) >= 99 ? 'completed' : 'cancelled', state);
        await this.#openJob(printerId, state);
        return;
      }
      if (!open) {
        await this.#openJob(printerId, state);
        return;
      }
      await this.#progress(open, state);
      return;
    }

    if (!open) return;
    switch (status) {
      case 'finished':
        return this.#close(printerId, open, 'completed', state);
      case 'cancelled':
        return this.#close(printerId, open, 'cancelled', state);
      case 'error':
        return this.#close(printerId, open, 'failed', state);
      case 'idle':
        // Idle without a result (acknowledged on the printer, or it came back from offline idle).
        return this.#close(
          printerId,
          open,
          (open.row.progress_percent ?? 0) >= 99 ? 'completed' : 'failed',
          state,
          'Print ended without a result from the printer',
        );
      default:
        return; // offline: the print may still be running
    }
  }

  #isDifferentPrint(row: PrintJobEvent, state: PrinterState): boolean {
    if (state.job_id && row.job_id && state.job_id !== row.job_id) return true;
    return Boolean(state.file_name && row.filename && state.file_name !== row.filename);
  }

  async #openJob(printerId: number, state: PrinterState): Promise<void> {
    const now = new Date().toISOString();
    const inserted = await this.repositories.jobs.insert({
      printer_id: printerId,
      job_id: state.job_id,
      filename: state.file_name,
      job_name: state.file_name ? jobName(state.file_name) : null,
      started_at: now,
      status: 'running',
      progress_percent: state.progress,
      remaining_minutes: minutes(state.remaining_seconds),
      total_layers: state.total_layers,
      current_layer: state.current_layer,
      bed_temp_target: state.bed_target_temp,
      nozzle_temp_target: state.nozzle_target_temp,
    });
    const row = toEvent(inserted);
    this.#open.set(printerId, { row, remainingMinutes: inserted.remaining_minutes, lastWrite: Date.now(), unsaved: false });
    this.bus.emit('job_started', row);
  }

  async #progress(open: OpenJob, state: PrinterState): Promise<void> {
    const row = open.row;
    const fileArrived = !row.filename && state.file_name;
    row.progress_percent = state.progress ?? row.progress_percent;
    row.current_layer = state.current_layer ?? row.current_layer;
    row.total_layers = state.total_layers ?? row.total_layers;
    row.job_id = row.job_id ?? state.job_id;
    open.remainingMinutes = minutes(state.remaining_seconds);
    open.unsaved = true;
    if (fileArrived) row.filename = state.file_name;
    if (!fileArrived && Date.now() - open.lastWrite < PROGRESS_EVERY_MS) return;
    await this.#saveProgress(open, {
      job_id: row.job_id,
      filename: row.filename,
      job_name: row.filename ? jobName(row.filename) : null,
      bed_temp_target: state.bed_target_temp ?? undefined,
      nozzle_temp_target: state.nozzle_target_temp ?? undefined,
    });
    this.bus.emit('job_update', { ...row });
  }

  async #saveProgress(open: OpenJob, more: Parameters<PrintJobsRepository['update']>[1] = {}): Promise<void> {
    const { row } = open;
    open.lastWrite = Date.now();
    open.unsaved = false;
    await this.repositories.jobs.update(row.id, {
      progress_percent: row.progress_percent,
      current_layer: row.current_layer,
      total_layers: row.total_layers,
      remaining_minutes: open.remainingMinutes,
      ...more,
    });
  }

  async #close(printerId: number, open: OpenJob, status: JobStatus, state: PrinterState, fallbackError?: string): Promise<void> {
    this.#open.delete(printerId);
    const ended = new Date();
    const row = open.row;
    const completed = status === 'completed';
    const update = {
      status,
      ended_at: ended.toISOString(),
      progress_percent: completed ? 100 : (state.progress ?? row.progress_percent),
      current_layer: completed
        ? (row.total_layers ?? state.current_layer ?? row.current_layer)
        : (state.current_layer ?? row.current_layer),
      remaining_minutes: completed ? 0 : minutes(state.remaining_seconds),
      filename: row.filename ?? state.file_name,
      error_code: status === 'failed' ? (state.error_code ?? null) : null,
      error_message: status === 'failed' ? (state.error_message ?? fallbackError ?? null) : null,
    };
    const hours = Math.max(0, ended.getTime() - Date.parse(row.started_at)) / 3_600_000;
    const { jobs, printers, nozzles } = this.repositories;
    await jobs.transaction(async (trx) => {
      await jobs.update(row.id, update, trx);
      // Care counters: every print wears the machine; only completed ones count as prints.
      const count = completed ? 1 : 0;
      await printers.addPrintWear(printerId, hours, count, trx);
      await nozzles.addPrintWear(printerId, hours, count, trx);
    });
    const event: PrintJobEvent = { ...row, ...update };
    this.bus.emit('job_completed', event);
  }
}

function toEvent(row: PrintJobRecord): PrintJobEvent {
  return {
    id: row.id,
    printer_id: row.printer_id,
    job_id: row.job_id,
    filename: row.filename,
    status: row.status as JobStatus,
    started_at: row.started_at,
    ended_at: row.ended_at,
    progress_percent: row.progress_percent,
    current_layer: row.current_layer,
    total_layers: row.total_layers,
    error_code: row.error_code,
    error_message: row.error_message,
  };
}

function minutes(seconds: number | null): number | null {
  return seconds === null ? null : Math.round((seconds / 60) * 10) / 10;
}

/** "benchy_0.2mm_PLA_2h.gcode" → "benchy_0.2mm_PLA_2h". */
function jobName(fileName: string): string {
  const base = fileName.split('/').pop() ?? fileName;
  return base.replace(/\.(gcode|bgcode|3mf|gco|g)$/i, '') || base;
}
