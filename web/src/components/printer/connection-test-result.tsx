import { CheckCircle2, XCircle } from 'lucide-react';

import { cn } from '@/components/ui/cn';

/** What POST /api/printers/test-connection and /api/setup/test-printer answer. */
export interface ConnectionTestOutcome {
  success: boolean;
  message: string;
  info?: Record<string, string | number | boolean | null>;
}

/** A connection test's verdict in words, with what the printer said about itself. */
export function ConnectionTestResult({ outcome, title }: { outcome: ConnectionTestOutcome; title: string }) {
  const details = Object.entries(outcome.info ?? {}).filter(([, value]) => value !== null && value !== '');
  return (
    <div
      role="status"
      data-testid="test-result"
      data-success={outcome.success}
      className={cn(
        'flex gap-3 rounded-lg border p-3 text-sm',
        outcome.success
          ? 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200'
          : 'border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200',
      )}
    >
      {outcome.success ? (
        <CheckCircle2 className="mt-0.5 size-5 shrink-0" aria-hidden />
      ) : (
        <XCircle className="mt-0.5 size-5 shrink-0" aria-hidden />
      )}
      <div className="min-w-0">
        <p className="font-medium">{title}</p>
        <p className="mt-0.5 break-words">{outcome.message}</p>
        {details.length > 0 ? (
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
            {details.map(([key, value]) => (
              <div key={key} className="contents">
                <dt className="opacity-75">{key.replace(/_/g, ' ')}</dt>
                <dd className="break-all font-mono">{String(value)}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </div>
    </div>
  );
}
