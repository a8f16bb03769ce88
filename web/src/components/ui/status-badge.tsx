import { type MessageKey, useT } from '@/i18n';

import { cn } from './cn';

/** Colours per printer or job status; shared by cards, tables and the printer page. */
export const STATUS_STYLES: Record<string, string> = {
  printing: 'bg-emerald-100 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-500/15 dark:text-emerald-300',
  preparing: 'bg-sky-100 text-sky-800 ring-sky-600/30 dark:bg-sky-500/15 dark:text-sky-300',
  paused: 'bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-500/15 dark:text-amber-300',
  idle: 'bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-500/15 dark:text-slate-300',
  finished: 'bg-teal-100 text-teal-800 ring-teal-600/30 dark:bg-teal-500/15 dark:text-teal-300',
  completed: 'bg-teal-100 text-teal-800 ring-teal-600/30 dark:bg-teal-500/15 dark:text-teal-300',
  cancelled: 'bg-zinc-200 text-zinc-700 ring-zinc-500/30 dark:bg-zinc-500/20 dark:text-zinc-300',
  error: 'bg-red-100 text-red-800 ring-red-600/30 dark:bg-red-500/15 dark:text-red-300',
  failed: 'bg-red-100 text-red-800 ring-red-600/30 dark:bg-red-500/15 dark:text-red-300',
  offline: 'bg-slate-200 text-slate-600 ring-slate-500/30 dark:bg-slate-700/40 dark:text-slate-400',
};

const KNOWN = new Set(Object.keys(STATUS_STYLES));

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const t = useT();
  const key = (KNOWN.has(status) ? `common.status.${status}` : 'common.status.unknown') as MessageKey;
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset',
        STATUS_STYLES[status] ?? STATUS_STYLES['offline'],
        className,
      )}
      data-status={status}
    >
      <span className={cn('size-1.5 rounded-full bg-current', status === 'printing' && 'animate-pulse')} aria-hidden />
      {status === 'running' ? t('common.status.printing') : t(key)}
    </span>
  );
}
