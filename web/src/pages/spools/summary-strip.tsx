import { AlertTriangle, Disc3, Weight } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { useActiveSpools, useThresholds } from '@/components/inventory/inventory-queries';
import { formatGrams } from '@/components/inventory/spool-bits';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { summarise } from './spool-math';

function Tile({
  label,
  value,
  detail,
  icon,
  warn = false,
}: {
  label: string;
  value: string;
  detail?: ReactNode;
  icon: ReactNode;
  warn?: boolean;
}) {
  return (
    <Card className={cn('p-4', warn && 'border-amber-300 dark:border-amber-800/80')}>
      <div className="flex items-center justify-between gap-2 text-sm text-slate-500 dark:text-slate-400">
        <span>{label}</span>
        <span className={warn ? 'text-amber-600 dark:text-amber-400' : 'text-slate-400 dark:text-slate-500'} aria-hidden>
          {icon}
        </span>
      </div>
      <div className="mt-1 truncate text-2xl font-semibold tabular">{value}</div>
      {detail ? <div className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{detail}</div> : null}
    </Card>
  );
}

/** Active spools, filament in stock, and the materials running low — for the whole stock, whatever the filters. */
export function SummaryStrip() {
  const { t, locale } = useI18n();
  const active = useActiveSpools();
  const thresholds = useThresholds();
  if (!active.data) return <div className="h-[104px]" aria-hidden />;
  const summary = summarise(active.data, thresholds.data ?? {});
  const grams = (value: number) => formatGrams(value, locale, t);
  return (
    <section aria-label={t('inventory.spools.summary.label')} className="grid grid-cols-2 gap-3 lg:grid-cols-3" data-testid="spool-summary">
      <Tile
        label={t('inventory.spools.summary.active')}
        value={formatNumber(summary.active, locale)}
        detail={t('inventory.spools.summary.inPrinters', { count: summary.inPrinters })}
        icon={<Disc3 className="size-4" />}
      />
      <Tile
        label={t('inventory.spools.summary.total')}
        value={t('inventory.units.kilograms', { value: formatNumber(summary.totalGrams / 1000, locale, 1) })}
        detail={t('inventory.spools.summary.totalDetail')}
        icon={<Weight className="size-4" />}
      />
      <div className="col-span-2 lg:col-span-1">
        <Tile
          warn={summary.low.length > 0}
          label={t('inventory.spools.summary.low')}
          value={summary.low.length > 0 ? summary.low.map((entry) => entry.material).join(', ') : t('inventory.spools.summary.lowNone')}
          detail={
            <span className="flex flex-wrap items-baseline justify-between gap-x-3">
              <span className="min-w-0">
                {summary.low.length > 0
                  ? summary.low
                      .map((entry) =>
                        t('inventory.spools.summary.lowEntry', {
                          material: entry.material,
                          stock: grams(entry.stock),
                          threshold: grams(entry.threshold),
                        }),
                      )
                      .join(' · ')
                  : t('inventory.spools.summary.lowNoneDetail')}
              </span>
              <Link
                to="/filaments#thresholds"
                className="font-medium text-slate-700 underline-offset-2 hover:underline dark:text-slate-300"
              >
                {t('inventory.spools.summary.thresholds')}
              </Link>
            </span>
          }
          icon={<AlertTriangle className="size-4" />}
        />
      </div>
    </section>
  );
}
