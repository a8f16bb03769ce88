import { ArrowRight } from 'lucide-react';
import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useT } from '@/i18n';

import { filtersToSearch, listQuery, NO_FILTERS } from '../../history/history-filters';
import { usePrintJobs } from '../../history/history-queries';
import { JobsTable } from '../../history/jobs-table';
import { SectionTitle } from './section';

const RECENT = 8;

/** This printer's latest prints, with a link to its full history. */
export function RecentJobs({ printerId }: { printerId: number }) {
  const t = useT();
  const filters = { ...NO_FILTERS, printerId };
  const jobs = usePrintJobs(listQuery(filters, RECENT));
  const rows = jobs.data?.slice(0, RECENT) ?? [];
  return (
    <Card className="p-4 sm:p-5">
      <SectionTitle
        title={t('printers.jobs.title')}
        actions={
          rows.length > 0 ? (
            <Link
              to={`/history?${filtersToSearch(filters).toString()}`}
              className="inline-flex items-center gap-1 text-sm font-medium text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white"
            >
              {t('printers.jobs.all')}
              <ArrowRight className="size-4" aria-hidden />
            </Link>
          ) : null
        }
      />
      {jobs.isPending ? (
        <Spinner />
      ) : jobs.isError ? (
        <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{t('printers.jobs.empty')}</p>
      ) : (
        <JobsTable jobs={rows} showPrinter={false} caption={t('printers.jobs.title')} />
      )}
    </Card>
  );
}
