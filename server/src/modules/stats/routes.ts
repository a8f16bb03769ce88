import { Type } from 'typebox';

import type { OdinApp } from '../../core/http/types.js';
import { VERSION } from '../../core/version.js';
import type { LiveStates } from '../../printers/live-states.js';
import { PRINTER_STATUSES, type PrinterStatus } from '../../printers/state.js';
import { JOB_STATUSES } from '../print-jobs/job-status.js';
import type { PrintJobsService } from '../print-jobs/service.js';
import type { PrintersService } from '../printers/service.js';
import { MetricsText } from './prometheus.js';

const Count = Type.Integer();

export function statsRoutes(app: OdinApp, deps: { printers: PrintersService; printJobs: PrintJobsService; live: LiveStates }): void {
  const { printers, printJobs, live } = deps;

  /** Status of every configured printer: live when known, else offline. */
  const fleet = async () => {
    const names = await printers.names();
    const byStatus = Object.fromEntries(PRINTER_STATUSES.map((s) => [s, 0])) as Record<PrinterStatus, number>;
    let online = 0;
    for (const id of names.keys()) {
      const state = live.get(id);
      byStatus[state.status]++;
      if (state.online) online++;
    }
    return { names, byStatus, online };
  };

  app.get(
    '/api/stats',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Stats'],
        summary: 'Dashboard counters: printers by status, prints today',
        response: {
          200: Type.Object({
            total_printers: Count,
            online_printers: Count,
            printing_printers: Count,
            idle_printers: Count,
            paused_printers: Count,
            error_printers: Count,
            offline_printers: Count,
            printers_by_status: Type.Record(Type.String(), Count),
            jobs_running: Count,
            jobs_completed_today: Count,
            jobs_failed_today: Count,
            jobs_cancelled_today: Count,
            print_hours_today: Type.Number(),
            success_rate_today: Type.Union([Type.Number(), Type.Null()]),
          }),
        },
      },
    },
    async () => {
      const midnight = new Date();
      midnight.setUTCHours(0, 0, 0, 0);
      const [{ names, byStatus, online }, today] = await Promise.all([fleet(), printJobs.stats({ since: midnight.toISOString() })]);
      const running = await printJobs.stats({ status: 'running' });
      return {
        total_printers: names.size,
        online_printers: online,
        printing_printers: byStatus.printing + byStatus.preparing,
        idle_printers: byStatus.idle + byStatus.finished + byStatus.cancelled,
        paused_printers: byStatus.paused,
        error_printers: byStatus.error,
        offline_printers: byStatus.offline,
        printers_by_status: byStatus,
        jobs_running: running.total,
        jobs_completed_today: today.completed,
        jobs_failed_today: today.failed,
        jobs_cancelled_today: today.cancelled,
        print_hours_today: today.total_print_hours,
        success_rate_today: today.success_rate,
      };
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { tags: ['Monitoring'], summary: 'Prometheus metrics: fleet counts and per-printer gauges', produces: ['text/plain'] },
    },
    async (_request, reply) => {
      const [{ names, byStatus, online }, jobCounts] = await Promise.all([fleet(), printJobs.countsByStatus()]);
      const text = new MetricsText();
      text.family('odin_info', 'ODIN version').sample('odin_info', { version: VERSION }, 1);
      text.family('odin_printers_total', 'Printers configured').sample('odin_printers_total', {}, names.size);
      text.family('odin_printers_online', 'Printers with a live connection').sample('odin_printers_online', {}, online);
      text.family('odin_printers', 'Printers by status');
      for (const status of PRINTER_STATUSES) text.sample('odin_printers', { status }, byStatus[status]);
      text.family('odin_print_jobs_total', 'Prints recorded, by outcome', 'counter');
      for (const status of JOB_STATUSES) text.sample('odin_print_jobs_total', { status }, jobCounts.get(status) ?? 0);

      const gauges = [
        ['odin_printer_online', 'Printer has a live connection (1) or not (0)', (s: ReturnType<LiveStates['get']>) => s.online],
        ['odin_printer_nozzle_temp_celsius', 'Nozzle temperature', (s: ReturnType<LiveStates['get']>) => s.nozzle_temp],
        ['odin_printer_nozzle_target_celsius', 'Nozzle target temperature', (s: ReturnType<LiveStates['get']>) => s.nozzle_target_temp],
        ['odin_printer_bed_temp_celsius', 'Bed temperature', (s: ReturnType<LiveStates['get']>) => s.bed_temp],
        ['odin_printer_bed_target_celsius', 'Bed target temperature', (s: ReturnType<LiveStates['get']>) => s.bed_target_temp],
        ['odin_printer_progress_percent', 'Progress of the current print', (s: ReturnType<LiveStates['get']>) => s.progress],
        [
          'odin_printer_remaining_seconds',
          'Estimated time left on the current print',
          (s: ReturnType<LiveStates['get']>) => s.remaining_seconds,
        ],
      ] as const;
      for (const [name, help, read] of gauges) {
        text.family(name, help);
        for (const [id, printer] of names) text.sample(name, { printer_id: id, printer }, read(live.get(id)));
      }
      text.family('odin_printer_status', 'Current status of each printer (1 for the status it is in)');
      for (const [id, printer] of names) text.sample('odin_printer_status', { printer_id: id, printer, status: live.get(id).status }, 1);
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text.toString());
    },
  );
}
