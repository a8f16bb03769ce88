import { clampPercent, type PrinterState, type PrinterStatus, roundTemp } from '../../state.js';
import type { PrusaLinkJob, PrusaLinkStatus } from './messages.js';

/** What /api/v1/job told us about the current job (fetched only when the job id changes). */
export interface PrusaLinkJobDetails {
  id: number | null;
  /** display_name (the long name), else the (8.3 on Buddy) name. */
  fileName: string | null;
}

export function jobDetails(job: PrusaLinkJob | null): PrusaLinkJobDetails | null {
  if (!job) return null;
  const name = job.file?.display_name || job.file?.name || null;
  return { id: job.id ?? null, fileName: name };
}

const STATUS: Record<string, PrinterStatus> = {
  IDLE: 'idle',
  READY: 'idle',
  BUSY: 'preparing',
  PRINTING: 'printing',
  PAUSED: 'paused',
  FINISHED: 'finished',
  STOPPED: 'cancelled',
  ERROR: 'error',
  ATTENTION: 'error',
};

/** Sub-states worth showing in words beside the normalised status. */
const STAGE: Record<string, string> = { READY: 'ready', BUSY: 'busy', ATTENTION: 'attention' };

const seconds = (value: number | undefined): number | null => (value === undefined ? null : Math.max(0, Math.round(value)));

/**
 * One /api/v1/status (plus the job details) as the full normalised state (protocols.md §5). PrusaLink
 * reports neither layers nor a fan percentage (fans are RPM), so those stay null.
 */
export function normaliseStatus(status: PrusaLinkStatus, details: PrusaLinkJobDetails | null): PrinterState {
  const { printer, job } = status;
  const state = printer.state.toUpperCase();
  const known = STATUS[state];
  let errorMessage: string | null = null;
  if (state === 'ATTENTION') errorMessage = printer.status_printer?.message || 'Printer needs attention';
  else if (state === 'ERROR') errorMessage = printer.status_printer?.message || 'Printer reported an error';
  const jobId = job?.id ?? (job ? details?.id : null) ?? null;
  return {
    status: known ?? 'idle',
    online: true,
    stage: known ? (STAGE[state] ?? null) : `unknown state ${printer.state}`,
    nozzle_temp: roundTemp(printer.temp_nozzle),
    nozzle_target_temp: roundTemp(printer.target_nozzle),
    bed_temp: roundTemp(printer.temp_bed),
    bed_target_temp: roundTemp(printer.target_bed),
    chamber_temp: null,
    progress: job ? clampPercent(job.progress) : null,
    elapsed_seconds: job ? seconds(job.time_printing) : null,
    remaining_seconds: job ? seconds(job.time_remaining) : null,
    current_layer: null,
    total_layers: null,
    file_name: job ? (details?.fileName ?? null) : null,
    job_id: jobId === null ? null : String(jobId),
    fan_speed: null,
    speed_factor: typeof printer.speed === 'number' ? printer.speed : null,
    lights_on: null,
    error_code: null,
    error_message: errorMessage,
    ams: null,
    external_tray: null,
    hms_errors: [],
    speed_level: null,
    nozzle_type: null,
    nozzle_diameter: null,
  };
}
