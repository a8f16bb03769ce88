import { Check } from 'lucide-react';

import { cn } from '@/components/ui/cn';
import { type MessageKey, useT } from '@/i18n';

export type SetupStep = 'admin' | 'printer' | 'done';
export const SETUP_STEPS: readonly SetupStep[] = ['admin', 'printer', 'done'];

const LABELS: Record<SetupStep, MessageKey> = {
  admin: 'setup.steps.admin',
  printer: 'setup.steps.printer',
  done: 'setup.steps.done',
};

/** Where the wizard is: numbered steps, done ones ticked, the current one marked for screen readers. */
export function SetupProgress({ step }: { step: SetupStep }) {
  const t = useT();
  const current = SETUP_STEPS.indexOf(step);
  return (
    <nav aria-label={t('setup.progress', { step: current + 1, total: SETUP_STEPS.length })}>
      <ol className="flex items-center gap-2">
        {SETUP_STEPS.map((name, index) => {
          const done = index < current;
          const active = index === current;
          return (
            <li
              key={name}
              className={cn('flex items-center gap-2', index < SETUP_STEPS.length - 1 && 'flex-1')}
              aria-current={active ? 'step' : undefined}
            >
              <span
                className={cn(
                  'grid size-7 shrink-0 place-items-center rounded-full text-xs font-semibold ring-1 ring-inset',
                  done && 'bg-emerald-600 text-white ring-emerald-600 dark:bg-emerald-500 dark:ring-emerald-500',
                  active && 'bg-brand text-slate-950 ring-brand',
                  !done && !active && 'bg-white text-slate-500 ring-slate-300 dark:bg-slate-900 dark:text-slate-400 dark:ring-slate-700',
                )}
              >
                {done ? <Check className="size-4" aria-hidden /> : index + 1}
              </span>
              <span
                className={cn(
                  'hidden whitespace-nowrap text-sm sm:inline',
                  active ? 'font-semibold' : 'text-slate-500 dark:text-slate-400',
                )}
              >
                {t(LABELS[name])}
                {done ? <span className="sr-only"> — {t('setup.stepDone')}</span> : null}
              </span>
              {index < SETUP_STEPS.length - 1 ? (
                <span aria-hidden className={cn('h-px flex-1', done ? 'bg-emerald-500' : 'bg-slate-300 dark:bg-slate-700')} />
              ) : null}
            </li>
          );
        })}
      </ol>
      {/* Phones have no room for every label: the current one goes on its own line. */}
      <p className="mt-2 text-xs font-medium text-slate-500 sm:hidden dark:text-slate-400" aria-hidden>
        {t('setup.progressShort', { step: current + 1, total: SETUP_STEPS.length, name: t(LABELS[step]) })}
      </p>
    </nav>
  );
}
