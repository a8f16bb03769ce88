import { type JobStatus, toJobStatus } from './job-status.js';
import type { JobTracker } from './job-tracker.js';
import type { PrintJobFilter, PrintJobsRepository } from './repository.js';

export type { PrintJobFilter } from './repository.js';

export interface PrintJobDto {
  id: number;
  printer_id: number;
  printer_name: string | null;
  job_id: string | null;
  filename: string | null;
  job_name: string | null;
  started_at: string;
  ended_at: string | null;
  status: JobStatus;
  duration_seconds: number | null;
  progress_percent: number | null;
  remaining_minutes: number | null;
  total_layers: number | null;
  current_layer: number | null;
  bed_temp_target: number | null;
  nozzle_temp_target: number | null;
  error_code: string | null;
  error_message: string | null;
  scheduled_job_id: number | null;
}

export interface PrintJobStats {
  total: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Completed / (completed + failed + cancelled), percent; null before any print ended. */
  success_rate: number | null;
  total_print_hours: number;
  average_duration_minutes: number | null;
  by_printer: {
    printer_id: number;
    printer_name: string | null;
    total: number;
    completed: number;
    failed: number;
    cancelled: number;
    print_hours: number;
  }[];
}

/**
 * Prints the fleet observed (print_jobs), for history pages, dashboards and exports. A running
 * print's row is written about once a minute; its progress comes from the job tracker, which
 * holds the current value.
 */
export class PrintJobsService {
  constructor(
    private readonly jobs: PrintJobsRepository,
    private readonly running: Pick<JobTracker, 'live'>,
  ) {}

  async list(filter: PrintJobFilter, limit: number, offset: number): Promise<PrintJobDto[]> {
    const rows = await this.jobs.page(filter, limit, offset);
    const now = Date.now();
    return rows.map((stored) => {
      const live = stored.status === 'running' ? this.running.live(stored.printer_id) : null;
      const row = live?.id === stored.id ? { ...stored, ...live } : stored;
      return this.#dto(row, now);
    });
  }

  #dto(row: Awaited<ReturnType<PrintJobsRepository['page']>>[number], now: number): PrintJobDto {
    return {
      id: row.id,
      printer_id: row.printer_id,
      printer_name: row.printer_name,
      job_id: row.job_id,
      filename: row.filename,
      job_name: row.job_name,
      started_at: row.started_at,
      ended_at: row.ended_at,
      status: toJobStatus(row.status),
      duration_seconds: Math.round(((row.ended_at ? Date.parse(row.ended_at) : now) - Date.parse(row.started_at)) / 1000),
      progress_percent: row.progress_percent,
      remaining_minutes: row.remaining_minutes,
      total_layers: row.total_layers,
      current_layer: row.current_layer,
      bed_temp_target: row.bed_temp_target,
      nozzle_temp_target: row.nozzle_temp_target,
      error_code: row.error_code,
      error_message: row.error_message,
      scheduled_job_id: row.scheduled_job_id,
    };
  }

  async stats(filter: PrintJobFilter): Promise<PrintJobStats> {
    // Durations are summed in JavaScript: ISO text timestamps have no portable date arithmetic.
    const rows = await this.jobs.summaries(filter);
    const totals = { total: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
    let hours = 0;
    let endedSeconds = 0;
    let ended = 0;
    const byPrinter = new Map<number, PrintJobStats['by_printer'][number]>();
    for (const row of rows) {
      totals.total++;
      if (row.status === 'running' || row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled')
        totals[row.status]++;
      const seconds = row.ended_at ? Math.max(0, (Date.parse(row.ended_at) - Date.parse(row.started_at)) / 1000) : 0;
      hours += seconds / 3600;
      if (row.ended_at) {
        endedSeconds += seconds;
        ended++;
      }
      const entry = byPrinter.get(row.printer_id) ?? {
        printer_id: row.printer_id,
        printer_name: row.printer_name,
        total: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
        print_hours: 0,
      };
      entry.total++;
      if (row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled') entry[row.status]++;
      entry.print_hours += seconds / 3600;
      byPrinter.set(row.printer_id, entry);
    }
    const finished = totals.completed + totals.failed + totals.cancelled;
    return {
      ...totals,
      success_rate: finished > 0 ? Math.round((totals.completed / finished) * 1000) / 10 : null,
      total_print_hours: Math.round(hours * 100) / 100,
      average_duration_minutes: ended > 0 ? Math.round(endedSeconds / ended / 6) / 10 : null,
      by_printer: [...byPrinter.values()]
        .map((p) => ({ ...p, print_hours: Math.round(p.print_hours * 100) / 100 }))
        .sort((a, b) => b.total - a.total),
    };
  }

  /** Counts by status over all time (metrics). */
  countsByStatus(): Promise<Map<string, number>> {
    return this.jobs.countsByStatus();
  }
}
