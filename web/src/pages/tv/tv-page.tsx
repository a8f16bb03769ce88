import { X } from 'lucide-react';
import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router';

import { FleetCounters } from '@/components/printer/fleet-counters';
import { countFleet, sameCounts } from '@/components/printer/fleet-status';
import { cn } from '@/components/ui/cn';
import { Spinner } from '@/components/ui/states';
import { useT } from '@/i18n';
import { useBranding } from '@/lib/branding';
import { useLiveSelector, useLiveStatus } from '@/live/live-context';
import type { LivePrinter } from '@/live/live-store';
import { DEFAULT_FILTERS, sameIds, visiblePrinterIds } from '@/pages/dashboard/fleet-view';
import { knownRows, useKnownFleet } from '@/pages/dashboard/use-known-fleet';

import { TvClock } from './tv-clock';
import { pageSlice, tvCardSize, tvGrid } from './tv-layout';
import { TvPrinterCard } from './tv-printer-card';
import { useAutoPager } from './use-auto-pager';
import { useScreenWakeLock } from './use-wake-lock';

/** How long each page of printers stays on the wall before the next one. */
const PAGE_SECONDS = 15;
/**
 * A wall screen runs for days without anyone touching it. Renames and reorders arrive over /ws at
 * once; this refetch only catches what the socket missed (a stretch of polling after an outage).
 */
const META_REFRESH_MS = 5 * 60_000;

/** The size of the element, kept up to date as the window (or the TV's zoom) changes. */
function useElementSize<T extends HTMLElement>(): [RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

function PageDots({ page, pages, onSelect }: { page: number; pages: number; onSelect: (page: number) => void }) {
  const t = useT();
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('dashboard.tv.page', { page: page + 1, pages })} className="flex items-center justify-center gap-2.5 py-3">
      {Array.from({ length: pages }, (_, index) => (
        <button
          key={index}
          type="button"
          onClick={() => onSelect(index)}
          aria-label={t('dashboard.tv.goToPage', { page: index + 1 })}
          aria-current={index === page ? 'page' : undefined}
          className={cn(
            'h-2.5 rounded-full transition-all',
            index === page ? 'w-8 bg-brand' : 'w-2.5 bg-slate-300 hover:bg-slate-400 dark:bg-slate-700 dark:hover:bg-slate-600',
          )}
        />
      ))}
    </nav>
  );
}

/**
 * The wall screen (/tv): no app chrome, fleet counters and a clock on top, as many large cards as
 * the screen holds, paging through the fleet every few seconds. Nothing to click but "exit".
 */
export default function TvPage() {
  const t = useT();
  const branding = useBranding().data;
  useScreenWakeLock();
  const { status, hasSnapshot } = useLiveStatus();
  const meta = useKnownFleet({ refetchIntervalMs: META_REFRESH_MS }).data;
  const ids = useLiveSelector(
    useCallback((rows: LivePrinter[]) => visiblePrinterIds(knownRows(rows, meta), meta, DEFAULT_FILTERS), [meta]),
    sameIds,
  );
  const counts = useLiveSelector(
    useCallback((rows: LivePrinter[]) => countFleet(knownRows(rows, meta)), [meta]),
    sameCounts,
  );
  const [gridRef, size] = useElementSize<HTMLDivElement>();
  const grid = tvGrid(size.width, size.height, ids.length, tvCardSize(size.width));
  const { page, goTo } = useAutoPager(grid.pages, PAGE_SECONDS * 1000);
  const shown = pageSlice(ids, page, grid.perPage);
  // Rows share the height evenly; a last page with fewer printers keeps the same card size.
  const card = tvCardSize(size.width);
  const rowHeight = size.height > 0 ? (size.height - card.gap * (grid.rows - 1)) / grid.rows : card.minHeight;

  return (
    <div className="flex h-dvh flex-col overflow-hidden bg-slate-100 px-4 pt-4 text-slate-900 sm:px-6 sm:pt-5 dark:bg-slate-950 dark:text-slate-50">
      <header className="flex flex-wrap items-center gap-x-6 gap-y-3">
        <div className="flex min-w-0 items-center gap-3">
          <img src={branding?.logo_url ?? '/icon.svg'} alt="" className="size-8 rounded-lg object-contain sm:size-10" />
          <div className="min-w-0">
            <h1 className="truncate text-xl font-bold leading-tight sm:text-2xl xl:text-3xl">{branding?.app_name ?? 'ODIN'}</h1>
            <p className="truncate text-sm text-slate-600 xl:text-base dark:text-slate-400">{t('dashboard.tv.title')}</p>
          </div>
        </div>
        <FleetCounters counts={counts} size="lg" className="order-last w-full xl:order-none xl:w-auto xl:flex-1" />
        <div className="ml-auto flex items-center gap-4">
          <TvClock />
          <Link
            to="/"
            className="inline-flex size-9 items-center justify-center rounded-full text-slate-400 hover:bg-slate-200 hover:text-slate-700 dark:text-slate-500 dark:hover:bg-slate-800 dark:hover:text-slate-200"
            aria-label={t('dashboard.tv.exit')}
            title={t('dashboard.tv.exit')}
          >
            <X className="size-5" aria-hidden />
          </Link>
        </div>
      </header>

      {status === 'polling' ? (
        <p
          role="status"
          className="mt-3 rounded-lg bg-amber-100 px-3 py-1.5 text-center text-base text-amber-900 dark:bg-amber-950/60 dark:text-amber-200"
        >
          {t('dashboard.tv.liveInterrupted')}
        </p>
      ) : null}

      <main ref={gridRef} className="mt-4 min-h-0 flex-1 sm:mt-5">
        {!hasSnapshot ? (
          <Spinner label={t('dashboard.states.loadingFleet')} />
        ) : ids.length === 0 ? (
          <p className="grid h-full place-items-center text-2xl text-slate-500 dark:text-slate-400">{t('dashboard.tv.empty')}</p>
        ) : (
          <div
            className="grid h-full content-start"
            style={{
              gap: card.gap,
              gridTemplateColumns: `repeat(${grid.cols}, minmax(0, 1fr))`,
              gridAutoRows: `${Math.max(0, rowHeight)}px`,
            }}
          >
            {shown.map((id) => (
              <TvPrinterCard key={id} id={id} meta={meta?.[String(id)]} />
            ))}
          </div>
        )}
      </main>
      <footer className="flex min-h-5 items-center justify-center">
        <PageDots page={Math.min(page, grid.pages - 1)} pages={grid.pages} onSelect={goTo} />
      </footer>
    </div>
  );
}
