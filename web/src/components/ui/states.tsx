import { AlertTriangle, FileQuestion, Inbox, Loader2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { errorText } from '@/api/error-text';
import { useT } from '@/i18n';

import { Button } from './button';

export function Spinner({ label }: { label?: string }) {
  const t = useT();
  return (
    <div role="status" className="flex items-center justify-center gap-2 p-8 text-slate-500 dark:text-slate-400">
      <Loader2 className="size-5 animate-spin" aria-hidden />
      <span>{label ?? t('common.states.loading')}</span>
    </div>
  );
}

export function EmptyState({ title, hint, action, icon }: { title: string; hint?: string; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
      <div className="text-slate-400">{icon ?? <Inbox className="size-8" aria-hidden />}</div>
      <p className="font-medium">{title}</p>
      {hint ? <p className="max-w-md text-sm text-slate-500 dark:text-slate-400">{hint}</p> : null}
      {action}
    </div>
  );
}

/** A detail page whose thing does not exist (any more), with the way back to its list. */
export function NotFoundState({ title, backTo, backLabel }: { title: string; backTo: string; backLabel: string }) {
  return (
    <EmptyState
      icon={<FileQuestion className="size-8" aria-hidden />}
      title={title}
      action={
        <Link className="text-sm underline" to={backTo}>
          {backLabel}
        </Link>
      }
    />
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const detail = errorText(error, t);
  return (
    <div
      role="alert"
      className="flex flex-col items-center gap-3 rounded-xl border border-red-300 bg-red-50 p-8 text-center text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
    >
      <AlertTriangle className="size-7" aria-hidden />
      <p>{t('common.states.error', { detail })}</p>
      {onRetry ? <Button onClick={onRetry}>{t('common.actions.retry')}</Button> : null}
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <div className="mb-5 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
