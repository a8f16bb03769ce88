import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { LineChart as LineChartIcon } from 'lucide-react';
import { lazy, Suspense, useMemo, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { EmptyState, ErrorState, Spinner } from '@/components/ui/states';
import { type MessageKey, useT } from '@/i18n';

import { printerKeys } from '../printer-queries';
import { type RangeHours, RANGES, telemetryPoints } from './chart-data';
import { SectionTitle } from './section';

const TelemetryChart = lazy(() => import('./telemetry-chart'));

const RANGE_LABEL: Record<RangeHours, MessageKey> = {
  1: 'printers.telemetry.range1h',
  6: 'printers.telemetry.range6h',
  24: 'printers.telemetry.range24h',
  168: 'printers.telemetry.range7d',
};

/** Temperatures over the chosen range (the server records them once a minute while printing). */
export function TelemetryPanel({ printerId, now }: { printerId: number; now: number }) {
  const t = useT();
  const [hours, setHours] = useState<RangeHours>(6);
  const telemetry = useQuery({
    queryKey: printerKeys.telemetry(printerId, hours),
    queryFn: () =>
      unwrap(api.GET('/api/printers/{printer_id}/telemetry', { params: { path: { printer_id: printerId }, query: { hours } } })),
    // A new row arrives each minute while printing.
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
  const points = useMemo(() => telemetryPoints(telemetry.data ?? []), [telemetry.data]);

  let body;
  if (telemetry.isPending) body = <Spinner />;
  else if (telemetry.isError) body = <ErrorState error={telemetry.error} onRetry={() => void telemetry.refetch()} />;
  else if (points.length === 0)
    body = (
      <EmptyState
        icon={<LineChartIcon className="size-7" aria-hidden />}
        title={t('printers.telemetry.emptyTitle')}
        hint={t('printers.telemetry.emptyHint')}
      />
    );
  else {
    body = (
      <Suspense fallback={<Spinner />}>
        <TelemetryChart points={points} hours={hours} now={now} />
      </Suspense>
    );
  }

  return (
    <Card className="p-4 sm:p-5">
      <SectionTitle
        title={t('printers.telemetry.title')}
        hint={t('printers.telemetry.hint')}
        actions={
          <div
            role="radiogroup"
            aria-label={t('printers.telemetry.range')}
            className="inline-flex rounded-md border border-slate-300 p-0.5 dark:border-slate-700"
          >
            {RANGES.map((range) => (
              <button
                key={range}
                type="button"
                role="radio"
                aria-checked={hours === range}
                onClick={() => setHours(range)}
                className={cn(
                  'rounded px-2.5 py-1 text-xs font-medium transition',
                  hours === range
                    ? 'bg-brand text-slate-950'
                    : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
                )}
              >
                {t(RANGE_LABEL[range])}
              </button>
            ))}
          </div>
        }
      />
      {body}
    </Card>
  );
}
