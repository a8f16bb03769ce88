import { AlertOctagon, AlertTriangle, Info } from 'lucide-react';

import { cn } from '@/components/ui/cn';
import { useT } from '@/i18n';

import type { PrinterProblem } from './fleet-status';

const TONES: Record<PrinterProblem['severity'], { icon: typeof Info; className: string }> = {
  fatal: {
    icon: AlertOctagon,
    className: 'border-red-300 bg-red-50 text-red-900 dark:border-red-900/70 dark:bg-red-950/50 dark:text-red-200',
  },
  error: {
    icon: AlertOctagon,
    className: 'border-red-300 bg-red-50 text-red-900 dark:border-red-900/70 dark:bg-red-950/50 dark:text-red-200',
  },
  serious: {
    icon: AlertTriangle,
    className: 'border-red-300 bg-red-50 text-red-900 dark:border-red-900/70 dark:bg-red-950/50 dark:text-red-200',
  },
  common: {
    icon: AlertTriangle,
    className: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800/70 dark:bg-amber-950/40 dark:text-amber-200',
  },
  info: { icon: Info, className: 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-900/70 dark:bg-sky-950/40 dark:text-sky-200' },
};

/** The printer's active health messages and errors in words, worst first (at most `limit`, then "+N more"). */
export function PrinterProblems({ problems, limit = 2, size = 'md' }: { problems: PrinterProblem[]; limit?: number; size?: 'md' | 'lg' }) {
  const t = useT();
  if (problems.length === 0) return null;
  const shown = problems.slice(0, limit);
  const hidden = problems.length - shown.length;
  return (
    <ul className="space-y-1" aria-label={t('dashboard.printer.problems')}>
      {shown.map((problem) => {
        const tone = TONES[problem.severity];
        return (
          <li
            key={problem.key}
            className={cn(
              'flex items-start gap-2 rounded-md border',
              size === 'lg' ? 'px-3 py-1.5 text-lg' : 'px-2 py-1.5 text-xs',
              tone.className,
            )}
          >
            <tone.icon className={cn('mt-0.5 shrink-0', size === 'lg' ? 'size-5' : 'size-3.5')} aria-hidden />
            <span className="min-w-0 break-words">{problem.message}</span>
          </li>
        );
      })}
      {hidden > 0 ? (
        <li className={cn('text-slate-500 dark:text-slate-400', size === 'lg' ? 'text-lg' : 'text-xs')}>
          {t('dashboard.printer.moreProblems', { count: hidden })}
        </li>
      ) : null}
    </ul>
  );
}
