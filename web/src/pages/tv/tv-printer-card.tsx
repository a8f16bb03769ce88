import { CheckCircle2, PlugZap } from 'lucide-react';
import { memo } from 'react';

import { FilamentChips } from '@/components/printer/filament-chips';
import { activeProblems, type FleetBucket, fleetBucket, hasActivePrint, shownStatus } from '@/components/printer/fleet-status';
import { idleLine } from '@/components/printer/idle-line';
import { PrintProgress } from '@/components/printer/print-progress';
import { PrinterProblems } from '@/components/printer/printer-problems';
import { protocolLabel } from '@/components/printer/protocols';
import { PrinterTemperatures } from '@/components/printer/temperatures';
import { type PrinterMeta, printerName } from '@/components/printer/use-printer-meta';
import { cn } from '@/components/ui/cn';
import { STATUS_STYLES } from '@/components/ui/status-badge';
import { type MessageKey, useI18n } from '@/i18n';
import { formatRelative } from '@/lib/format';
import { useLivePrinter } from '@/live/live-context';

const ACCENTS: Record<FleetBucket, string> = {
  printing: 'border-t-emerald-500',
  paused: 'border-t-amber-500',
  error: 'border-t-red-500',
  idle: 'border-t-sky-500/70',
  offline: 'border-t-slate-300 dark:border-t-slate-700',
};

function BigStatus({ status }: { status: string }) {
  const { t } = useI18n();
  const key = (status in STATUS_STYLES ? `common.status.${status}` : 'common.status.unknown') as MessageKey;
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center gap-2 rounded-full px-3 py-1 text-lg font-semibold ring-1 ring-inset',
        STATUS_STYLES[status] ?? STATUS_STYLES['offline'],
      )}
    >
      <span className={cn('size-2.5 rounded-full bg-current', status === 'printing' && 'animate-pulse')} aria-hidden />
      {t(key)}
    </span>
  );
}

/** A printer on the wall screen: the same facts as the dashboard card, bigger, and no buttons. */
export const TvPrinterCard = memo(function TvPrinterCard({ id, meta }: { id: number; meta: PrinterMeta | undefined }) {
  const live = useLivePrinter(id);
  const { t, locale } = useI18n();
  if (!live) return null;
  const status = shownStatus(live);
  const bucket = fleetBucket(live);
  const online = status !== 'offline';
  const active = hasActivePrint(live);
  const problems = online ? activeProblems(live) : [];
  const subtitle = [meta?.model, protocolLabel(meta?.apiType ?? live.api_type, t)].filter(Boolean).join(' · ');
  const lastSeen = live.last_seen ?? meta?.lastSeen ?? null;

  return (
    <article
      data-printer-id={id}
      data-status={status}
      className={cn(
        'flex min-h-0 flex-col gap-3 overflow-hidden rounded-2xl border border-t-[6px] bg-white p-5 shadow-sm dark:bg-slate-900',
        ACCENTS[bucket],
        bucket === 'error'
          ? 'border-x-red-300 border-b-red-300 dark:border-x-red-900 dark:border-b-red-900'
          : 'border-x-slate-200 border-b-slate-200 dark:border-x-slate-800 dark:border-b-slate-800',
      )}
    >
      <header className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="truncate text-2xl font-bold leading-tight xl:text-3xl">{printerName(meta, live.name, id)}</h2>
          {subtitle ? <p className="truncate text-base text-slate-500 dark:text-slate-400">{subtitle}</p> : null}
        </div>
        <BigStatus status={status} />
      </header>

      <div className="flex min-h-0 flex-1 flex-col justify-center gap-2.5">
        {!online ? (
          <div className="flex items-center gap-3 text-xl text-slate-500 dark:text-slate-400">
            <PlugZap className="size-8 shrink-0" aria-hidden />
            <div className="min-w-0">
              <p className="font-semibold text-slate-700 dark:text-slate-200">{t('dashboard.printer.unreachable')}</p>
              <p className="truncate text-base">
                {lastSeen ? t('dashboard.printer.lastSeen', { time: formatRelative(lastSeen, locale) }) : t('dashboard.printer.neverSeen')}
              </p>
            </div>
          </div>
        ) : active ? (
          <>
            <p className="truncate text-lg text-slate-700 dark:text-slate-200">{live.file_name ?? t('dashboard.printer.unknownFile')}</p>
            <PrintProgress readings={live} size="lg" />
          </>
        ) : (
          <p className="flex items-center gap-3 text-2xl text-slate-500 dark:text-slate-400">
            <CheckCircle2 className="size-8 shrink-0" aria-hidden />
            <span className="line-clamp-2 [overflow-wrap:anywhere]">{idleLine(live.status, live.file_name, t)}</span>
          </p>
        )}
        <PrinterProblems problems={problems} limit={1} size="lg" />
      </div>

      {online ? (
        <div className="flex flex-wrap items-end justify-between gap-x-4 gap-y-2">
          <PrinterTemperatures readings={live} layout="inline" showChamber={false} />
          <FilamentChips ams={live.ams} externalTray={live.external_tray} slots={meta?.slots} size="lg" />
        </div>
      ) : null}
    </article>
  );
});
