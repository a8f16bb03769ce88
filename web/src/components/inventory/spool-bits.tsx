import { cn } from '@/components/ui/cn';
import { type Translate, useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import type { Spool } from './inventory-queries';

/** Below this much filament (percent of the spool) a spool is shown as running low. */
export const LOW_PERCENT = 15;

/** "1,250 g", or "12.5 kg" from 10 kg up (stock totals). */
export function formatGrams(grams: number, locale: string, t: Translate): string {
  if (Math.abs(grams) >= 10_000) return t('inventory.units.kilograms', { value: formatNumber(grams / 1000, locale, 1) });
  return t('inventory.units.grams', { value: formatNumber(grams, locale) });
}

/** A thin bar: how full the spool is. */
export function RemainingBar({ percent, className }: { percent: number; className?: string }) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <span className={cn('block h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700', className)} aria-hidden>
      <span
        className={cn('block h-full rounded-full', clamped < LOW_PERCENT ? 'bg-red-500' : clamped < 35 ? 'bg-amber-500' : 'bg-emerald-500')}
        style={{ width: `${clamped}%` }}
      />
    </span>
  );
}

/** "562 g · 56 %" with the bar under it. */
export function Remaining({ spool, className }: { spool: Pick<Spool, 'remaining_weight_g' | 'remaining_percent'>; className?: string }) {
  const { t, locale } = useI18n();
  const low = spool.remaining_percent < LOW_PERCENT;
  return (
    <span className={cn('block min-w-0', className)}>
      <span className={cn('block text-sm tabular', low && 'font-medium text-red-700 dark:text-red-400')}>
        {t('inventory.spools.remaining', {
          grams: t('inventory.units.grams', { value: formatNumber(spool.remaining_weight_g, locale) }),
          percent: t('inventory.units.percent', { value: formatNumber(spool.remaining_percent, locale) }),
        })}
      </span>
      <RemainingBar percent={spool.remaining_percent} className="mt-1" />
    </span>
  );
}

const STATUS_CLASS: Record<string, string> = {
  active: 'bg-emerald-100 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-500/15 dark:text-emerald-300',
  empty: 'bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-500/15 dark:text-amber-300',
  archived: 'bg-slate-200 text-slate-600 ring-slate-500/30 dark:bg-slate-700/40 dark:text-slate-300',
};

export function SpoolStatusBadge({ status, className }: { status: Spool['status']; className?: string }) {
  const { t } = useI18n();
  return (
    <span
      className={cn(
        'inline-flex w-fit items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset',
        STATUS_CLASS[status],
        className,
      )}
      data-spool-status={status}
    >
      {t(`inventory.status.${status}`)}
    </span>
  );
}

/** The spool's code as printed on its label. */
export function SpoolCode({ code, className }: { code: string; className?: string }) {
  return <span className={cn('font-mono text-xs tracking-tight text-slate-500 dark:text-slate-400', className)}>{code}</span>;
}
