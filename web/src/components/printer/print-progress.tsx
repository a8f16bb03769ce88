import { useMemo } from 'react';

import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';
import { useClock } from '@/lib/clock';
import { formatDuration, formatEta, formatNumber } from '@/lib/format';

export interface ProgressReadings {
  status: string;
  progress: number | null;
  remaining_seconds: number | null;
  current_layer: number | null;
  total_layers: number | null;
}

const BAR_COLOURS: Record<string, string> = {
  printing: 'bg-emerald-500',
  preparing: 'bg-sky-500',
  paused: 'bg-amber-500',
  error: 'bg-red-500',
};

/** The ETA is shown to the minute; a clock this fine keeps it right without re-rendering every card each second. */
const ETA_CLOCK_MS = 15_000;

function clamp(value: number): number {
  return Math.min(100, Math.max(0, value));
}

/**
 * Progress bar with the percentage, time left, the clock time it ends (ETA) and the layer.
 * The bar is a real progressbar for screen readers; its colour follows the print's state.
 */
export function PrintProgress({ readings, size = 'md' }: { readings: ProgressReadings; size?: 'md' | 'lg' }) {
  const { t, locale } = useI18n();
  const now = useClock(ETA_CLOCK_MS);
  const percent = readings.progress === null ? null : clamp(readings.progress);
  // A card re-renders with every temperature tick; building Intl formatters each time was the
  // dashboard's biggest script cost with 200 printers. The end time and the whole percent change
  // far less often than the readings, so the texts are kept until they do.
  const remaining = readings.remaining_seconds;
  const endMinute = readings.status === 'paused' || remaining === null || remaining <= 0 ? null : Math.round(now / 60_000 + remaining / 60);
  const eta = useMemo(() => (endMinute === null ? null : formatEta(endMinute * 60 - now / 1000, locale, now)), [endMinute, locale, now]);
  const wholePercent = percent === null ? null : Math.floor(percent);
  const percentText = useMemo(() => (wholePercent === null ? '—' : `${formatNumber(wholePercent, locale, 0)} %`), [wholePercent, locale]);
  const hasLayers = readings.current_layer !== null && readings.total_layers !== null && readings.total_layers > 0;
  const large = size === 'lg';
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between gap-3">
        <span className={cn('tabular font-bold tracking-tight', large ? 'text-4xl xl:text-5xl' : 'text-2xl')}>{percentText}</span>
        {readings.remaining_seconds !== null && readings.remaining_seconds > 0 ? (
          <span className={cn('tabular text-right text-slate-600 dark:text-slate-300', large ? 'text-xl xl:text-2xl' : 'text-sm')}>
            {t('common.time.remaining', { duration: formatDuration(readings.remaining_seconds) })}
          </span>
        ) : null}
      </div>
      <div
        role="progressbar"
        aria-label={t('dashboard.printer.progress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        className={cn('overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800', large ? 'h-3' : 'h-2')}
      >
        <div
          className={cn('h-full rounded-full transition-[width] duration-700 ease-out', BAR_COLOURS[readings.status] ?? 'bg-slate-400')}
          style={{ width: `${percent ?? 0}%` }}
        />
      </div>
      <div
        className={cn(
          'tabular flex flex-wrap justify-between gap-x-3 text-slate-500 dark:text-slate-400',
          large ? 'text-base xl:text-lg' : 'text-xs',
        )}
      >
        <span>
          {hasLayers ? t('dashboard.printer.layer', { current: readings.current_layer ?? 0, total: readings.total_layers ?? 0 }) : '\u00a0'}
        </span>
        {eta ? <span>{t('common.time.eta', { time: eta })}</span> : null}
      </div>
    </div>
  );
}
