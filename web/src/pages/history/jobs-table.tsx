import { Link } from 'react-router';

import type { ResponseOf } from '@/api/types';
import { StatusBadge } from '@/components/ui/status-badge';
import { useI18n } from '@/i18n';
import { formatDateTime, formatDuration } from '@/lib/format';
import { useLivePrinterIfAny } from '@/live/live-context';

export type PrintJob = ResponseOf<'/api/print-jobs', 'get'>[number];

/** A job still running is shown like a printing printer (same colour and word). */
const badgeStatus = (status: string) => (status === 'running' ? 'printing' : status);

function jobTitle(job: PrintJob, fallback: string): string {
  return job.job_name || job.filename || fallback;
}

const PRINTING: ReadonlySet<string> = new Set(['preparing', 'printing', 'paused']);

/**
 * A running print's progress: the printer's live value while it is still on this print (the server
 * writes progress to the record once a minute), else the record's.
 */
function Progress({ job }: { job: PrintJob }) {
  const { t } = useI18n();
  const printer = useLivePrinterIfAny(job.printer_id);
  if (job.status !== 'running') return null;
  const live = printer && PRINTING.has(printer.status) && (!job.filename || printer.file_name === job.filename) ? printer : null;
  const percent = live?.progress ?? job.progress_percent;
  const layer = live?.current_layer ?? job.current_layer;
  const total = live?.total_layers ?? job.total_layers;
  if (percent === null) return null;
  return (
    <span className="text-xs text-slate-500 tabular dark:text-slate-400">
      {t('history.table.progress', { percent: Math.round(percent) })}
      {layer !== null && total ? ` · ${t('history.table.layer', { layer, total })}` : ''}
    </span>
  );
}

/**
 * Prints as a table from md up, and as a list of compact rows on a phone (a seven-column table
 * does not fit 390 px; scrolling sideways hides the status).
 */
export function JobsTable({ jobs, showPrinter = true, caption }: { jobs: PrintJob[]; showPrinter?: boolean; caption: string }) {
  const { t, locale } = useI18n();
  const untitled = t('history.table.untitled');
  return (
    <>
      <div className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm md:block dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-3 py-2.5 lg:px-4">
                {t('history.table.file')}
              </th>
              {showPrinter ? (
                <th scope="col" className="px-3 py-2.5 lg:px-4">
                  {t('history.table.printer')}
                </th>
              ) : null}
              <th scope="col" className="px-3 py-2.5 lg:px-4">
                {t('history.table.status')}
              </th>
              <th scope="col" className="px-3 py-2.5 lg:px-4">
                {t('history.table.started')}
              </th>
              {/* Ended is started + duration: the first column to go when the table is narrow. */}
              <th scope="col" className="hidden px-3 py-2.5 lg:px-4 xl:table-cell">
                {t('history.table.ended')}
              </th>
              <th scope="col" className="px-3 py-2.5 lg:px-4 text-right">
                {t('history.table.duration')}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {jobs.map((job) => (
              <tr key={job.id} className="align-top hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <td className="max-w-80 px-3 py-2.5 lg:px-4">
                  <div className="truncate font-medium" title={job.filename ?? undefined}>
                    {jobTitle(job, untitled)}
                  </div>
                  {job.error_message ? (
                    <div className="mt-0.5 text-xs text-red-700 dark:text-red-400">{job.error_message}</div>
                  ) : (
                    <Progress job={job} />
                  )}
                </td>
                {showPrinter ? (
                  <td className="whitespace-nowrap px-3 py-2.5 lg:px-4">
                    <Link to={`/printers/${job.printer_id}`} className="hover:underline">
                      {job.printer_name ?? t('history.table.removedPrinter')}
                    </Link>
                  </td>
                ) : null}
                <td className="px-3 py-2.5 lg:px-4">
                  <StatusBadge status={badgeStatus(job.status)} />
                </td>
                <td className="whitespace-nowrap px-3 py-2.5 lg:px-4 tabular text-slate-600 dark:text-slate-300">
                  {formatDateTime(job.started_at, locale)}
                </td>
                <td className="hidden whitespace-nowrap px-3 py-2.5 lg:px-4 tabular text-slate-600 xl:table-cell dark:text-slate-300">
                  {job.ended_at ? formatDateTime(job.ended_at, locale) : '—'}
                </td>
                <td className="whitespace-nowrap px-3 py-2.5 lg:px-4 text-right tabular">{formatDuration(job.duration_seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="space-y-2 md:hidden" aria-label={caption}>
        {jobs.map((job) => (
          <li
            key={job.id}
            className="rounded-xl border border-slate-200 bg-white px-3 py-2.5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0 truncate font-medium" title={job.filename ?? undefined}>
                {jobTitle(job, untitled)}
              </div>
              <StatusBadge status={badgeStatus(job.status)} className="shrink-0" />
            </div>
            <div className="mt-1 flex items-center justify-between gap-2 text-xs text-slate-500 dark:text-slate-400">
              <span className="min-w-0 truncate">
                {showPrinter ? (
                  <>
                    <Link to={`/printers/${job.printer_id}`} className="font-medium text-slate-700 hover:underline dark:text-slate-300">
                      {job.printer_name ?? t('history.table.removedPrinter')}
                    </Link>
                    {' · '}
                  </>
                ) : null}
                <span className="tabular">{formatDateTime(job.started_at, locale)}</span>
              </span>
              <span className="shrink-0 tabular">{formatDuration(job.duration_seconds)}</span>
            </div>
            {job.error_message ? (
              <div className="mt-1 text-xs text-red-700 dark:text-red-400">{job.error_message}</div>
            ) : (
              <Progress job={job} />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
