import { CheckCircle2, FileBox, PlugZap } from 'lucide-react';
import { memo, useId } from 'react';
import { Link } from 'react-router';

import type { SlotSpool } from '@/components/inventory/slot-spools';
import { FilamentChips } from '@/components/printer/filament-chips';
import { activeProblems, type FleetBucket, fleetBucket, hasActivePrint, shownStatus } from '@/components/printer/fleet-status';
import { idleLine } from '@/components/printer/idle-line';
import { PrintProgress } from '@/components/printer/print-progress';
import { PrinterControls } from '@/components/printer/printer-controls';
import { PrinterProblems } from '@/components/printer/printer-problems';
import { protocolLabel } from '@/components/printer/protocols';
import { PrinterTemperatures } from '@/components/printer/temperatures';
import { type PrinterMeta, printerName } from '@/components/printer/use-printer-meta';
import { cn } from '@/components/ui/cn';
import { StatusBadge } from '@/components/ui/status-badge';
import { useI18n } from '@/i18n';
import { formatRelative } from '@/lib/format';
import { useLivePrinter } from '@/live/live-context';
import type { LivePrinter } from '@/live/live-store';

/** The strip across the top of a card: the fleet group's colour, readable before any word is. */
const ACCENTS: Record<FleetBucket, string> = {
  printing: 'bg-emerald-500',
  paused: 'bg-amber-500',
  error: 'bg-red-500',
  idle: 'bg-sky-500/70',
  offline: 'bg-slate-300 dark:bg-slate-700',
};

function OfflineNotice({ live, meta }: { live: LivePrinter; meta: PrinterMeta | undefined }) {
  const { t, locale } = useI18n();
  const lastSeen = live.last_seen ?? meta?.lastSeen ?? null;
  return (
    <div className="flex items-start gap-2.5 rounded-lg bg-white px-3 py-2.5 text-sm ring-1 ring-inset ring-slate-200 dark:bg-slate-800/60 dark:ring-slate-800">
      <PlugZap className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden />
      <div className="min-w-0 space-y-0.5">
        <p className="font-medium text-slate-700 dark:text-slate-200">{t('dashboard.printer.unreachable')}</p>
        {live.stage ? <p className="break-words text-xs text-slate-600 dark:text-slate-300">{live.stage}</p> : null}
        <p className="text-xs text-slate-600 dark:text-slate-300">
          {lastSeen ? t('dashboard.printer.lastSeen', { time: formatRelative(lastSeen, locale) }) : t('dashboard.printer.neverSeen')}
        </p>
      </div>
    </div>
  );
}

function IdleNotice({ live }: { live: LivePrinter }) {
  const { t } = useI18n();
  return (
    <div className="flex min-h-[4.25rem] items-center gap-2.5 rounded-lg border border-dashed border-slate-200 px-3 py-2.5 text-sm text-slate-500 dark:border-slate-800 dark:text-slate-400">
      <CheckCircle2 className="size-4 shrink-0 text-slate-400" aria-hidden />
      <span className="min-w-0 truncate" title={live.file_name ?? undefined}>
        {idleLine(live.status, live.file_name, t)}
      </span>
    </div>
  );
}

/**
 * One printer on the dashboard. Memoised and subscribed to its own printer only: a delta for
 * another printer renders nothing here. The browser skips laying out cards far off screen
 * (content-visibility), which keeps a 200-printer farm smooth.
 */
export const PrinterCard = memo(function PrinterCard({
  id,
  meta,
  canControl,
  spools,
}: {
  id: number;
  meta: PrinterMeta | undefined;
  canControl: boolean;
  /** The spools in this printer's slots (one query for the whole dashboard; unchanged printers keep the same object). */
  spools?: Readonly<Record<string, SlotSpool>>;
}) {
  const live = useLivePrinter(id);
  const { t } = useI18n();
  const titleId = useId();
  if (!live) return null;
  const name = printerName(meta, live.name, id);
  const status = shownStatus(live);
  const bucket = fleetBucket(live);
  const online = status !== 'offline';
  const active = hasActivePrint(live);
  const problems = online ? activeProblems(live) : [];
  const stage = online && live.stage && live.stage.toLowerCase() !== live.status ? live.stage : null;
  const subtitle = [meta?.model, protocolLabel(meta?.apiType ?? live.api_type, t)].filter(Boolean).join(' · ');

  return (
    <article
      aria-labelledby={titleId}
      data-printer-id={id}
      data-status={status}
      className={cn(
        'relative flex flex-col overflow-hidden rounded-xl border shadow-sm transition-shadow [contain-intrinsic-size:auto_19rem] [content-visibility:auto] hover:shadow-md',
        // Offline cards sit back (no card-white, a dashed edge) without dimming their text.
        online ? 'bg-white dark:bg-slate-900' : 'border-dashed bg-slate-50 shadow-none dark:bg-slate-900/50',
        bucket === 'error' ? 'border-red-300 dark:border-red-900/80' : 'border-slate-200 dark:border-slate-800',
      )}
    >
      <div className={cn('h-1 w-full', ACCENTS[bucket])} aria-hidden />
      <div className="flex flex-1 flex-col gap-3.5 p-4">
        <header className="flex items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 id={titleId} className="truncate text-base font-semibold leading-tight">
              <Link to={`/printers/${id}`} className="hover:underline focus-visible:underline">
                {name}
              </Link>
            </h2>
            {subtitle ? <p className="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">{subtitle}</p> : null}
          </div>
          <StatusBadge status={status} className="shrink-0" />
        </header>

        {!online ? (
          <OfflineNotice live={live} meta={meta} />
        ) : active ? (
          <div className="space-y-2">
            <p className="flex min-w-0 items-center gap-1.5 text-sm text-slate-700 dark:text-slate-200" title={live.file_name ?? undefined}>
              <FileBox className="size-4 shrink-0 text-slate-400" aria-hidden />
              <span className="truncate">{live.file_name ?? t('dashboard.printer.unknownFile')}</span>
            </p>
            <PrintProgress readings={live} />
            {stage ? <p className="truncate text-xs text-slate-500 first-letter:uppercase dark:text-slate-400">{stage}</p> : null}
          </div>
        ) : (
          <IdleNotice live={live} />
        )}

        {online ? <PrinterTemperatures readings={live} /> : null}
        <FilamentChips
          ams={live.ams}
          externalTray={live.external_tray}
          slots={meta?.slots}
          spools={spools}
          className={cn(!online && 'grayscale')}
        />
        <PrinterProblems problems={problems} />

        {canControl && active ? (
          <footer className="mt-auto border-t border-slate-100 pt-3 dark:border-slate-800">
            <PrinterControls printerId={id} name={name} status={live.status} />
          </footer>
        ) : null}
      </div>
    </article>
  );
});
