import { EventEmitter } from 'node:events';

import type { JobStatus } from '../modules/print-jobs/job-status.js';
import type { PrinterConfigEvent, PrintersReorderedEvent } from '../modules/printers/config-events.js';
import type { PrinterState, PrinterStatePatch } from '../printers/state.js';

/** A print as the job tracker records it (a row of print_jobs). */
export interface PrintJobEvent {
  id: number;
  printer_id: number;
  job_id: string | null;
  filename: string | null;
  status: JobStatus;
  started_at: string;
  ended_at: string | null;
  progress_percent: number | null;
  current_layer: number | null;
  total_layers: number | null;
  error_code: string | null;
  error_message: string | null;
}

/** Everything that happens in the farm, for the WebSocket hub, alerts and other listeners. */
export interface OdinEvents {
  /** Fields of one printer's live state that changed; `state` is the whole state after the change. */
  printer_state: { printerId: number; patch: PrinterStatePatch; state: PrinterState };
  /** A printer was added, edited or deleted through the API. */
  printer_config: PrinterConfigEvent;
  /** The printers' display order changed through the API. */
  printers_reordered: PrintersReorderedEvent;
  job_started: PrintJobEvent;
  job_update: PrintJobEvent;
  job_completed: PrintJobEvent;
}

/**
 * In-process typed event bus. Listeners run synchronously in the emitter's turn, so they must be
 * quick and must not throw (an exception is caught and logged, never propagated to the emitter).
 * A scaled-out deployment swaps in a Redis/NATS-backed bus with the same interface.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor(private readonly onListenerError: (event: string, error: unknown) => void = () => {}) {
    this.#emitter.setMaxListeners(0);
  }

  on<K extends keyof OdinEvents>(event: K, listener: (payload: OdinEvents[K]) => void): () => void {
    const safe = (payload: OdinEvents[K]) => {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    };
    this.#emitter.on(event, safe);
    return () => this.#emitter.off(event, safe);
  }

  emit<K extends keyof OdinEvents>(event: K, payload: OdinEvents[K]): void {
    this.#emitter.emit(event, payload);
  }
}
