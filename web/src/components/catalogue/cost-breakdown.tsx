import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';

import { formatGrams, formatMoney, formatUpTo } from './catalogue-format';
import type { CostBreakdown } from './catalogue-queries';

/**
 * Where the cost of one item comes from, line by line, then the total and the suggested price.
 * Lines that cost nothing are left out, except filament (which always makes sense to see).
 */
export function CostBreakdownTable({ cost, className }: { cost: CostBreakdown; className?: string }) {
  const { t, locale } = useI18n();
  const money = (value: number) => formatMoney(value, cost.currency, locale);
  const lines: Array<{ key: string; label: string; value: number }> = [
    {
      key: 'filament',
      label: t('catalogue.cost.filament', { grams: formatGrams(cost.filament_grams, locale, t) }),
      value: cost.filament_cost,
    },
    { key: 'energy', label: t('catalogue.cost.energy', { kwh: formatUpTo(cost.energy_kwh, locale, 3) }), value: cost.energy_cost },
    { key: 'machine', label: t('catalogue.cost.machine'), value: cost.machine_cost },
    { key: 'labor', label: t('catalogue.cost.labor'), value: cost.labor_cost },
    { key: 'packaging', label: t('catalogue.cost.packaging'), value: cost.packaging_cost },
    { key: 'failure', label: t('catalogue.cost.failure'), value: cost.failure_cost },
    { key: 'overhead', label: t('catalogue.cost.overhead'), value: cost.overhead_cost },
  ].filter((line) => line.key === 'filament' || line.value !== 0);
  return (
    <div className={cn('space-y-3', className)} data-testid="cost-breakdown">
      <table className="w-full text-sm">
        <caption className="sr-only">{t('catalogue.cost.caption')}</caption>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {lines.map((line) => (
            <tr key={line.key}>
              <th scope="row" className="py-1.5 pr-3 text-left font-normal text-slate-600 dark:text-slate-300">
                {line.label}
              </th>
              <td className="py-1.5 text-right tabular">{money(line.value)}</td>
            </tr>
          ))}
          <tr className="border-t-2 border-slate-200 dark:border-slate-700">
            <th scope="row" className="py-2 pr-3 text-left font-semibold">
              {t('catalogue.cost.total')}
            </th>
            <td className="py-2 text-right font-semibold tabular" data-testid="cost-total">
              {money(cost.total_cost)}
            </td>
          </tr>
          <tr>
            <th scope="row" className="py-1.5 pr-3 text-left font-normal text-slate-600 dark:text-slate-300">
              {t('catalogue.cost.markup', { percent: formatUpTo(cost.markup_percent, locale, 1) })}
            </th>
            <td className="py-1.5 text-right tabular text-slate-600 dark:text-slate-300">
              {money(cost.suggested_price - cost.total_cost)}
            </td>
          </tr>
        </tbody>
      </table>
      <div className="flex items-baseline justify-between gap-3 rounded-lg bg-brand/15 px-3 py-2.5">
        <div>
          <div className="text-sm font-medium">{t('catalogue.cost.price')}</div>
          <div className="text-xs text-slate-600 dark:text-slate-300">{t('catalogue.cost.perItem', { count: cost.units_per_bed })}</div>
        </div>
        <div className="text-2xl font-semibold tabular" data-testid="suggested-price">
          {money(cost.suggested_price)}
        </div>
      </div>
    </div>
  );
}
