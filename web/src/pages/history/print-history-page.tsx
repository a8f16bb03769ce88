import { ChevronLeft, ChevronRight, History, X } from 'lucide-react';
import { useSearchParams } from 'react-router';

import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { EmptyState, ErrorState, PageHeader, Spinner } from '@/components/ui/states';
import { type MessageKey, useI18n } from '@/i18n';

import { usePrinters } from '../printers/printer-queries';
import {
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  type HistoryFilters,
  JOB_STATUSES,
  type JobStatus,
  listQuery,
  PAGE_SIZE,
  statsQuery,
  withFilter,
} from './history-filters';
import { usePrintJobs, usePrintJobStats } from './history-queries';
import { JobsTable } from './jobs-table';
import { StatTiles } from './stat-tiles';

const STATUS_LABEL: Record<JobStatus, MessageKey> = {
  running: 'history.status.running',
  completed: 'history.status.completed',
  failed: 'history.status.failed',
  cancelled: 'history.status.cancelled',
};

function FilterBar({ filters, onChange }: { filters: HistoryFilters; onChange: (next: HistoryFilters) => void }) {
  const { t } = useI18n();
  const printers = usePrinters();
  return (
    <form
      role="search"
      aria-label={t('history.filters.label')}
      className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="min-w-0 sm:w-48">
        <Field label={t('history.filters.printer')}>
          {(id) => (
            <Select
              id={id}
              className="h-10"
              value={filters.printerId ?? ''}
              onChange={(event) => onChange(withFilter(filters, { printerId: event.target.value ? Number(event.target.value) : null }))}
            >
              <option value="">{t('history.filters.allPrinters')}</option>
              {(printers.data ?? []).map((printer) => (
                <option key={printer.id} value={printer.id}>
                  {printer.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <div className="min-w-0 sm:w-40">
        <Field label={t('history.filters.status')}>
          {(id) => (
            <Select
              id={id}
              className="h-10"
              value={filters.status ?? ''}
              onChange={(event) => onChange(withFilter(filters, { status: (event.target.value || null) as JobStatus | null }))}
            >
              <option value="">{t('history.filters.allStatuses')}</option>
              {JOB_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(STATUS_LABEL[status])}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <div className="min-w-0 sm:w-36">
        <Field label={t('history.filters.from')}>
          {(id) => (
            <Input
              id={id}
              className="h-10"
              type="date"
              value={filters.from ?? ''}
              max={filters.to ?? undefined}
              onChange={(event) => onChange(withFilter(filters, { from: event.target.value || null }))}
            />
          )}
        </Field>
      </div>
      <div className="min-w-0 sm:w-36">
        <Field label={t('history.filters.to')}>
          {(id) => (
            <Input
              id={id}
              className="h-10"
              type="date"
              value={filters.to ?? ''}
              min={filters.from ?? undefined}
              onChange={(event) => onChange(withFilter(filters, { to: event.target.value || null }))}
            />
          )}
        </Field>
      </div>
      {hasFilters(filters) ? (
        <Button
          variant="ghost"
          className="col-span-2 justify-self-start sm:col-span-1"
          onClick={() => onChange({ printerId: null, status: null, from: null, to: null, page: 1 })}
        >
          <X className="size-4" aria-hidden />
          {t('history.filters.clear')}
        </Button>
      ) : null}
    </form>
  );
}

export default function PrintHistoryPage() {
  const { t, locale } = useI18n();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const jobs = usePrintJobs(listQuery(filters));
  const stats = usePrintJobStats(statsQuery(filters));
  const update = (next: HistoryFilters) => setSearch(filtersToSearch(next), { replace: true });

  const rows = jobs.data?.slice(0, PAGE_SIZE) ?? [];
  const hasNext = (jobs.data?.length ?? 0) > PAGE_SIZE;
  const first = (filters.page - 1) * PAGE_SIZE + 1;
  const total = stats.data?.total;

  let body;
  if (jobs.isPending) body = <Spinner label={t('history.loading')} />;
  else if (jobs.isError) body = <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />;
  else if (rows.length === 0) {
    body = hasFilters(filters) ? (
      <EmptyState
        icon={<History className="size-8" aria-hidden />}
        title={t('history.emptyFilteredTitle')}
        hint={t('history.emptyFilteredHint')}
        action={
          <Button onClick={() => update({ printerId: null, status: null, from: null, to: null, page: 1 })}>
            {t('history.filters.clear')}
          </Button>
        }
      />
    ) : filters.page > 1 ? (
      <EmptyState
        title={t('history.emptyPageTitle')}
        action={<Button onClick={() => update({ ...filters, page: 1 })}>{t('history.firstPage')}</Button>}
      />
    ) : (
      <EmptyState icon={<History className="size-8" aria-hidden />} title={t('history.emptyTitle')} hint={t('history.emptyHint')} />
    );
  } else {
    body = (
      <>
        <div
          className={jobs.isPlaceholderData ? 'opacity-60 transition-opacity' : undefined}
          aria-busy={jobs.isPlaceholderData || undefined}
        >
          <JobsTable jobs={rows} caption={t('history.table.caption')} />
        </div>
        <nav aria-label={t('history.paging.label')} className="mt-3 flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm text-slate-500 tabular dark:text-slate-400">
            {total !== undefined
              ? t('history.paging.showingOf', {
                  from: first.toLocaleString(locale),
                  to: (first + rows.length - 1).toLocaleString(locale),
                  total: total.toLocaleString(locale),
                })
              : t('history.paging.showing', { from: first, to: first + rows.length - 1 })}
          </p>
          <div className="flex items-center gap-2">
            <Button size="sm" disabled={filters.page <= 1} onClick={() => update({ ...filters, page: filters.page - 1 })}>
              <ChevronLeft className="size-4" aria-hidden />
              {t('common.pagination.previous')}
            </Button>
            <span className="text-sm tabular" aria-current="page">
              {t('common.pagination.page', { page: filters.page })}
            </span>
            <Button size="sm" disabled={!hasNext} onClick={() => update({ ...filters, page: filters.page + 1 })}>
              {t('common.pagination.next')}
              <ChevronRight className="size-4" aria-hidden />
            </Button>
          </div>
        </nav>
      </>
    );
  }

  return (
    <div className="space-y-5">
      <PageHeader title={t('history.title')} description={t('history.description')} />
      {stats.data ? <StatTiles stats={stats.data} /> : stats.isError ? null : <div className="h-[104px]" aria-hidden />}
      <FilterBar filters={filters} onChange={update} />
      {body}
    </div>
  );
}
