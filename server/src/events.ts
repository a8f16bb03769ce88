import type { EventBus } from './core/event-bus.js';
import type { JobStatus } from './modules/print-jobs/job-status.js';
import type { PrinterConfigEvent, PrintersReorderedEvent } from './modules/printers/config-events.js';
import type { PrinterState, PrinterStatePatch } from './printers/state.js';

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
  /**
   * Fields of one printer's live state that changed; `state` is the printer's live state object
   * (updated in place by later changes): read it in the listener, or copy it to keep it.
   */
  printer_state: { printerId: number; patch: PrinterStatePatch; state: PrinterState };
  /** A printer was added, edited or deleted through the API. */
  printer_config: PrinterConfigEvent;
  /** The printers' display order changed through the API. */
  printers_reordered: PrintersReorderedEvent;
  job_started: PrintJobEvent;
  job_update: PrintJobEvent;
  job_completed: PrintJobEvent;
  /** Filament was drawn from a spool (recorded by hand, by a job, or seen through an AMS RFID reading). */
  spool_used: SpoolUsedEvent;
}

export interface SpoolUsedEvent {
  spoolId: number;
  /** Set when the spool was imported from Spoolman: the use is reported back there. */
  spoolmanSpoolId: number | null;
  grams: number;
  remainingG: number;
  material: string | null;
  printerId: number | null;
  /** `use` (by hand or a job) or `rfid` (the AMS estimate stepped down: Spoolman is not told, it was not a measured use). */
  kind: 'use' | 'rfid';
}

/** The bus ODIN's services and listeners share. */
export type OdinBus = EventBus<OdinEvents>;
