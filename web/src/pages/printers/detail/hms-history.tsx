import { useQuery } from '@tanstack/react-query';
import { ShieldCheck } from 'lucide-react';

import { api, unwrap } from '@/api/client';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useI18n } from '@/i18n';
import { formatDateTime, formatDuration } from '@/lib/format';

import { printerKeys } from '../printer-queries';
import { SectionTitle } from './section';

const SEVERITY_STYLE: Record<string, string> = {
  fatal: 'bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300',
  serious: 'bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300',
  common: 'bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300',
  info: 'bg-sky-100 text-sky-800 dark:bg-sky-500/15 dark:text-sky-300',
};

/** Health (HMS) messages the printer raised, newest first, and whether each has cleared. */
export function HmsHistory({ printerId, refreshKey }: { printerId: number; refreshKey: string }) {
  const { t, locale } = useI18n();
  const history = useQuery({
    // The live HMS list is part of the key: a new or cleared message refetches the history.
    queryKey: [...printerKeys.hms(printerId), refreshKey],
    queryFn: () =>
      unwrap(api.GET('/api/printers/{printer_id}/hms-history', { params: { path: { printer_id: printerId }, query: { limit: 50 } } })),
    placeholderData: (previous) => previous,
  });
  return (
    <Card className="p-4 sm:p-5">
      <SectionTitle title={t('printers.hms.title')} hint={t('printers.hms.hint')} />
      {history.isPending ? (
        <Spinner />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <p className="flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400">
          <ShieldCheck className="size-4 text-emerald-600 dark:text-emerald-400" aria-hidden />
          {t('printers.hms.empty')}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {history.data.map((entry) => {
            const severity = entry.severity ?? 'info';
            const cleared = entry.cleared_at;
            return (
              <li key={entry.id} className="py-2 first:pt-0 last:pb-0">
                <div className="flex flex-wrap items-center gap-2">
                  <span
                    className={cn('rounded px-1.5 py-0.5 text-[11px] font-semibold', SEVERITY_STYLE[severity] ?? SEVERITY_STYLE['info'])}
                  >
                    {t(
                      `printers.hms.severity.${severity in SEVERITY_STYLE ? (severity as 'fatal' | 'serious' | 'common' | 'info') : 'info'}`,
                    )}
                  </span>
                  <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{entry.code}</span>
                  {cleared ? null : (
                    <span className="text-xs font-semibold text-red-700 dark:text-red-400">{t('printers.hms.active')}</span>
                  )}
                </div>
                <p className="mt-0.5">{entry.message ?? t('printers.hms.unknownMessage')}</p>
                <p className="text-xs text-slate-500 tabular dark:text-slate-400">
                  {formatDateTime(entry.occurred_at, locale)}
                  {cleared
                    ? ` · ${t('printers.hms.clearedAfter', { duration: formatDuration((Date.parse(cleared) - Date.parse(entry.occurred_at)) / 1000) })}`
                    : ''}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
