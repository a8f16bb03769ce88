import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';

import { Repository } from '../../core/database/repository.js';
import type { DB, PrintJobsTable } from '../../core/database/schema.js';
import type { JobStatus } from './job-status.js';

export interface PrintJobFilter {
  printerId?: number | undefined;
  status?: JobStatus | undefined;
  since?: string | undefined;
  until?: string | undefined;
  unlinkedOnly?: boolean;
}

export type PrintJobRecord = Selectable<PrintJobsTable>;

/** The print_jobs table: every print the fleet observed. */
export class PrintJobsRepository extends Repository {
  /** Prints still running (picked up again after a restart). */
  running(): Promise<PrintJobRecord[]> {
    return this.db.selectFrom('print_jobs').selectAll().where('status', '=', 'running').execute();
  }

  insert(values: Insertable<PrintJobsTable>): Promise<PrintJobRecord> {
    return this.db.insertInto('print_jobs').values(values).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, changes: Updateable<PrintJobsTable>, db: Kysely<DB> = this.db): Promise<void> {
    await db.updateTable('print_jobs').set(changes).where('id', '=', id).execute();
  }

  /** Newest first, with the printer's name (null once the printer is deleted). */
  page(filter: PrintJobFilter, limit: number, offset: number): Promise<(PrintJobRecord & { printer_name: string | null })[]> {
    return this.filtered(filter)
      .leftJoin('printers', 'printers.id', 'print_jobs.printer_id')
      .selectAll('print_jobs')
      .select('printers.name as printer_name')
      .orderBy('print_jobs.started_at', 'desc')
      .orderBy('print_jobs.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  /** What the statistics need of every matching print. */
  summaries(
    filter: PrintJobFilter,
  ): Promise<{ printer_id: number; printer_name: string | null; status: string; started_at: string; ended_at: string | null }[]> {
    return this.filtered(filter)
      .leftJoin('printers', 'printers.id', 'print_jobs.printer_id')
      .select([
        'print_jobs.printer_id',
        'printers.name as printer_name',
        'print_jobs.status',
        'print_jobs.started_at',
        'print_jobs.ended_at',
      ])
      .execute();
  }

  /** Counts by status over all time. */
  async countsByStatus(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('print_jobs')
      .select(['status', sql<number>`count(*)`.as('n')])
      .groupBy('status')
      .execute();
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }

  private filtered(filter: PrintJobFilter) {
    let query = this.db.selectFrom('print_jobs');
    if (filter.printerId !== undefined) query = query.where('print_jobs.printer_id', '=', filter.printerId);
    if (filter.status) query = query.where('print_jobs.status', '=', filter.status);
    if (filter.since) query = query.where('print_jobs.started_at', '>=', filter.since);
    if (filter.until) query = query.where('print_jobs.started_at', '<=', filter.until);
    if (filter.unlinkedOnly) query = query.where('print_jobs.scheduled_job_id', 'is', null).where('print_jobs.status', '!=', 'running');
    return query;
  }
}
