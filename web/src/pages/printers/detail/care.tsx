import type { Printer } from '@/api/types';
import { Card } from '@/components/ui/card';
import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';

import { SectionTitle } from './section';

function Counter({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/50">
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-lg font-semibold tabular">{value}</dd>
    </div>
  );
}

/** Lifetime and since-maintenance counters, the numbers a maintenance plan is based on. */
export function CareCounters({ printer }: { printer: Printer }) {
  const { t, locale } = useI18n();
  const hours = (value: number) => t('printers.care.hoursValue', { value: formatNumber(value, locale, 1) });
  return (
    <Card className="p-4 sm:p-5">
      <SectionTitle title={t('printers.care.title')} hint={t('printers.care.hint')} />
      <dl className="grid grid-cols-2 gap-2">
        <Counter label={t('printers.care.totalHours')} value={hours(printer.total_print_hours)} />
        <Counter label={t('printers.care.totalPrints')} value={formatNumber(printer.total_print_count, locale)} />
        <Counter label={t('printers.care.hoursSince')} value={hours(printer.hours_since_maintenance)} />
        <Counter label={t('printers.care.printsSince')} value={formatNumber(printer.prints_since_maintenance, locale)} />
      </dl>
    </Card>
  );
}
