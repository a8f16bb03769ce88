import { type Static, Type } from 'typebox';

import { validationFailed } from '../../core/errors.js';
import type { OdinApp } from '../../core/http/types.js';
import { JobStatusSchema } from './job-status.js';
import type { PrintJobFilter, PrintJobsService } from './service.js';

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number> | ReturnType<typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const PrintJobSchema = Type.Object({
  id: Type.Integer(),
  printer_id: Type.Integer(),
  printer_name: Nullable(Type.String()),
  job_id: Nullable(Type.String()),
  filename: Nullable(Type.String()),
  job_name: Nullable(Type.String()),
  started_at: Type.String(),
  ended_at: Nullable(Type.String()),
  status: JobStatusSchema,
  duration_seconds: Nullable(Type.Number()),
  progress_percent: Nullable(Type.Number()),
  remaining_minutes: Nullable(Type.Number()),
  total_layers: Nullable(Type.Integer()),
  current_layer: Nullable(Type.Integer()),
  bed_temp_target: Nullable(Type.Number()),
  nozzle_temp_target: Nullable(Type.Number()),
  error_code: Nullable(Type.String()),
  error_message: Nullable(Type.String()),
  scheduled_job_id: Nullable(Type.Integer()),
});

const FilterQuery = {
  printer_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  status: Type.Optional(JobStatusSchema),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
};
const ListQuery = Type.Object({
  ...FilterQuery,
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
});
const StatsQuery = Type.Object({ ...FilterQuery, days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) });

function toFilter(query: Static<typeof StatsQuery>): PrintJobFilter {
  const iso = (value: string | undefined, name: string) => {
    if (!value) return undefined;
    const time = new Date(value);
    if (Number.isNaN(time.getTime()))
      throw validationFailed([{ loc: ['querystring', name], msg: `is not a date-time this server can read: ${value}`, type: 'format' }]);
    return time.toISOString();
  };
  const since = iso(query.since, 'since') ?? (query.days ? new Date(Date.now() - query.days * 86_400_000).toISOString() : undefined);
  return { printerId: query.printer_id, status: query.status, since, until: iso(query.until, 'until') };
}

export function printJobsRoutes(app: OdinApp, deps: { printJobs: PrintJobsService }): void {
  const { printJobs } = deps;
  const tags = ['Print Jobs'];

  app.get(
    '/api/print-jobs',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Every print the printers ran, newest first — started by ODIN or on the printer',
        querystring: ListQuery,
        response: { 200: Type.Array(PrintJobSchema) },
      },
    },
    (request) => printJobs.list(toFilter(request.query), request.query.limit, request.query.offset),
  );

  app.get(
    '/api/print-jobs/stats',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Counts, success rate and print hours (optionally for the last N days)',
        querystring: StatsQuery,
        response: {
          200: Type.Object({
            total: Type.Integer(),
            running: Type.Integer(),
            completed: Type.Integer(),
            failed: Type.Integer(),
            cancelled: Type.Integer(),
            success_rate: Nullable(Type.Number()),
            total_print_hours: Type.Number(),
            average_duration_minutes: Nullable(Type.Number()),
            by_printer: Type.Array(
              Type.Object({
                printer_id: Type.Integer(),
                printer_name: Nullable(Type.String()),
                total: Type.Integer(),
                completed: Type.Integer(),
                failed: Type.Integer(),
                cancelled: Type.Integer(),
                print_hours: Type.Number(),
              }),
            ),
          }),
        },
      },
    },
    (request) => printJobs.stats(toFilter(request.query)),
  );

  app.get(
    '/api/print-jobs/unlinked',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Recent finished prints not linked to a scheduled job',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
        response: { 200: Type.Array(PrintJobSchema) },
      },
    },
    (request) => printJobs.list({ unlinkedOnly: true }, request.query.limit, 0),
  );
}
