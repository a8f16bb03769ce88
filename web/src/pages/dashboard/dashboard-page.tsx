import { Monitor, Plus, PrinterIcon } from 'lucide-react';
import { useCallback, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';

import { errorText } from '@/api/error-text';
import { usePermissions } from '@/auth/permissions';
import { useActiveSpools } from '@/components/inventory/inventory-queries';
import { spoolsBySlot } from '@/components/inventory/slot-spools';
import { FleetCounters } from '@/components/printer/fleet-counters';
import { countFleet, type FleetBucket, sameCounts } from '@/components/printer/fleet-status';
import { Button } from '@/components/ui/button';
import { EmptyState, ErrorState, PageHeader } from '@/components/ui/states';
import { useT } from '@/i18n';
import { useLiveSelector, useLiveStatus } from '@/live/live-context';
import type { LivePrinter } from '@/live/live-store';

import { DashboardToolbar } from './dashboard-toolbar';
import { EmergencyStopAll } from './emergency-stop';
import { filtersToParams, type FleetFilters, parseFilters, protocolsInFleet, sameIds, visiblePrinterIds } from './fleet-view';
import { PrinterCard } from './printer-card';
import { knownRows, useKnownFleet } from './use-known-fleet';

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function CardSkeletons() {
  const t = useT();
  return (
    <div
      role="status"
      aria-label={t('dashboard.states.loadingFleet')}
      className="grid grid-cols-[repeat(auto-fill,minmax(min(100%,19rem),1fr))] gap-4"
    >
      {Array.from({ length: 6 }, (_, index) => (
        <div key={index} className="h-72 animate-pulse rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="space-y-3 p-4">
            <div className="h-4 w-1/2 rounded bg-slate-200 dark:bg-slate-800" />
            <div className="h-3 w-1/3 rounded bg-slate-100 dark:bg-slate-800/70" />
            <div className="mt-6 h-8 w-1/3 rounded bg-slate-200 dark:bg-slate-800" />
            <div className="h-2 rounded bg-slate-100 dark:bg-slate-800/70" />
          </div>
        </div>
      ))}
      <span className="sr-only">{t('dashboard.states.loadingFleet')}</span>
    </div>
  );
}

/** Spools change by hand (weighing, loading) and by prints; a minute is fresh enough for the chips. */
const SPOOLS_REFRESH_MS = 60_000;

export default function DashboardPage() {
  const t = useT();
  const can = usePermissions();
  const { hasSnapshot } = useLiveStatus();
  const metaQuery = useKnownFleet();
  const meta = metaQuery.data;
  // One query for every card's spools; a failure only leaves the chips without grams.
  const spools = useActiveSpools({ select: spoolsBySlot, refetchInterval: SPOOLS_REFRESH_MS }).data;
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);

  // Derived from the whole fleet, but each re-renders this page only when its result changes —
  // not on every temperature tick; each card follows its own printer.
  const ids = useLiveSelector(
    useCallback((rows: LivePrinter[]) => visiblePrinterIds(knownRows(rows, meta), meta, filters), [meta, filters]),
    sameIds,
  );
  const counts = useLiveSelector(
    useCallback((rows: LivePrinter[]) => countFleet(knownRows(rows, meta)), [meta]),
    sameCounts,
  );
  const protocols = useLiveSelector(
    useCallback((rows: LivePrinter[]) => protocolsInFleet(knownRows(rows, meta), meta), [meta]),
    sameStrings,
  );
  const { refetch } = metaQuery;

  const setFilters = useCallback(
    (next: FleetFilters) => {
      // Typing in the search box replaces the history entry instead of adding one per keystroke.
      setParams(filtersToParams(next), { replace: next.search !== filters.search });
    },
    [setParams, filters.search],
  );
  const selectBucket = useCallback((bucket: FleetBucket | null) => setFilters({ ...filters, status: bucket }), [filters, setFilters]);

  const canControl = can.action('printers.control');
  const canAdd = can.action('printers.add');
  const loading = !hasSnapshot || (metaQuery.isPending && !metaQuery.isError);

  const header = (
    <PageHeader
      title={t('dashboard.title')}
      description={hasSnapshot && counts.total > 0 ? t('dashboard.summary', { count: counts.total }) : undefined}
      actions={
        <>
          <Link
            to="/tv"
            className="inline-flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
          >
            <Monitor className="size-4" aria-hidden />
            {t('dashboard.openTv')}
          </Link>
          {canControl && hasSnapshot && counts.total > 0 ? <EmergencyStopAll meta={meta} /> : null}
        </>
      }
    />
  );

  if (metaQuery.isError && !hasSnapshot) {
    return (
      <div>
        {header}
        <ErrorState error={metaQuery.error} onRetry={() => void refetch()} />
      </div>
    );
  }

  if (loading) {
    return (
      <div>
        {header}
        <CardSkeletons />
      </div>
    );
  }

  if (counts.total === 0) {
    return (
      <div>
        {header}
        <EmptyState
          icon={<PrinterIcon className="size-10" aria-hidden />}
          title={t('dashboard.states.emptyTitle')}
          hint={canAdd ? t('dashboard.states.emptyHint') : t('dashboard.states.emptyHintViewer')}
          action={
            canAdd ? (
              <Link
                to="/printers"
                className="inline-flex h-9 items-center gap-2 rounded-md bg-brand px-3.5 text-sm font-medium text-slate-950 shadow-sm hover:brightness-110"
              >
                <Plus className="size-4" aria-hidden />
                {t('dashboard.states.addPrinter')}
              </Link>
            ) : undefined
          }
        />
      </div>
    );
  }

  return (
    <div className="space-y-5">
      {header}
      {metaQuery.isError ? (
        <p
          role="alert"
          className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {t('dashboard.states.metaFailed', { detail: errorText(metaQuery.error, t) })}{' '}
          <button type="button" className="font-medium underline" onClick={() => void refetch()}>
            {t('common.actions.retry')}
          </button>
        </p>
      ) : null}
      <FleetCounters counts={counts} active={filters.status} onSelect={selectBucket} />
      <DashboardToolbar filters={filters} protocols={protocols} onChange={setFilters} />
      {ids.length === 0 ? (
        <EmptyState
          title={t('dashboard.states.noMatchTitle')}
          hint={t('dashboard.states.noMatchHint')}
          action={
            <Button onClick={() => setFilters({ ...filters, status: null, protocol: null, search: '' })}>
              {t('dashboard.filters.clear')}
            </Button>
          }
        />
      ) : (
        <section aria-label={t('dashboard.filters.showing', { shown: ids.length, total: counts.total })}>
          {ids.length !== counts.total ? (
            <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">
              {t('dashboard.filters.showing', { shown: ids.length, total: counts.total })}
            </p>
          ) : null}
          <div className="grid grid-cols-[repeat(auto-fill,minmax(min(100%,19rem),1fr))] gap-4">
            {ids.map((id) => (
              <PrinterCard key={id} id={id} meta={meta?.[String(id)]} canControl={canControl} spools={spools?.[String(id)]} />
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
