import { cn } from '@/components/ui/cn';
import { useT } from '@/i18n';

import { FLEET_BUCKETS, type FleetBucket, type FleetCounts } from './fleet-status';

const DOTS: Record<FleetBucket, string> = {
  printing: 'bg-emerald-500',
  paused: 'bg-amber-500',
  error: 'bg-red-500',
  idle: 'bg-sky-500',
  offline: 'bg-slate-400 dark:bg-slate-500',
};

/** Numbers that are worth a look get their colour; zero stays quiet. */
const NUMBER_TONES: Partial<Record<FleetBucket, string>> = {
  error: 'text-red-600 dark:text-red-400',
  paused: 'text-amber-600 dark:text-amber-400',
};

/**
 * Printing / paused / error / idle / offline, each with how many printers are in it. With
 * `onSelect` every counter is a toggle button that filters the fleet to its group.
 */
export function FleetCounters({
  counts,
  active = null,
  onSelect,
  size = 'md',
  className,
}: {
  counts: FleetCounts;
  active?: FleetBucket | null;
  onSelect?: (bucket: FleetBucket | null) => void;
  size?: 'md' | 'lg';
  className?: string;
}) {
  const t = useT();
  const large = size === 'lg';
  return (
    <ul className={cn('grid grid-cols-5 gap-1 sm:gap-3', className)} aria-label={t('dashboard.counters.title')}>
      {FLEET_BUCKETS.map((bucket) => {
        const count = counts[bucket];
        const pressed = active === bucket;
        const body = (
          <>
            <span
              className={cn(
                'flex min-w-0 max-w-full items-center gap-1 text-slate-600 sm:gap-1.5 dark:text-slate-300',
                large ? 'text-[0.7rem] sm:text-base xl:text-lg' : 'text-[0.7rem] sm:text-sm',
              )}
            >
              {/* On phones the dot moves beside the number, leaving the narrow label its full width. */}
              <span className={cn('hidden shrink-0 rounded-full sm:block', large ? 'size-3' : 'size-2', DOTS[bucket])} aria-hidden />
              <span className="truncate">{t(`common.status.${bucket}`)}</span>
              {/* Keeps the accessible name "Printing: 5" rather than "Printing5". */}
              <span className="sr-only">: </span>
            </span>
            <span
              className={cn(
                'tabular flex items-center gap-1.5 font-bold leading-none tracking-tight',
                large ? 'text-2xl sm:text-3xl xl:text-4xl' : 'text-xl sm:text-3xl',
                count === 0 ? 'text-slate-400 dark:text-slate-600' : (NUMBER_TONES[bucket] ?? 'text-slate-900 dark:text-slate-50'),
              )}
            >
              <span className={cn('size-2 shrink-0 rounded-full sm:hidden', DOTS[bucket])} aria-hidden />
              {count}
            </span>
          </>
        );
        const box = cn(
          'flex w-full flex-col items-start gap-1.5 rounded-xl border text-left sm:gap-2',
          large ? 'px-1.5 py-2 sm:px-4 xl:py-2.5' : 'px-1.5 py-2 sm:px-4 sm:py-3',
          pressed
            ? 'border-brand bg-brand/10 ring-2 ring-brand/40 dark:bg-brand/15'
            : 'border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900',
        );
        return (
          <li key={bucket} className="min-w-0">
            {onSelect ? (
              <button
                type="button"
                className={cn(box, 'transition hover:border-slate-300 hover:shadow-sm dark:hover:border-slate-700')}
                aria-pressed={pressed}
                title={t('dashboard.counters.filter', { status: t(`common.status.${bucket}`), count })}
                onClick={() => onSelect(pressed ? null : bucket)}
                data-bucket={bucket}
              >
                {body}
              </button>
            ) : (
              <div className={box} data-bucket={bucket}>
                {body}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
