import { Flame, Heater, Thermometer } from 'lucide-react';

import { cn } from '@/components/ui/cn';
import { useT } from '@/i18n';
import { formatTemp } from '@/lib/format';

/** A heater still this far from its target is shown as heating (or cooling) rather than at temperature. */
const SETTLED_WITHIN_DEGREES = 3;

export interface TemperatureReadings {
  nozzle_temp: number | null;
  nozzle_target_temp: number | null;
  bed_temp: number | null;
  bed_target_temp: number | null;
  chamber_temp?: number | null;
}

function isHeating(current: number | null, target: number | null): boolean {
  return current !== null && target !== null && target > 0 && target - current > SETTLED_WITHIN_DEGREES;
}

type Layout = 'stacked' | 'inline';

function Reading({
  label,
  icon: Icon,
  current,
  target,
  layout,
}: {
  label: string;
  icon: typeof Flame;
  current: number | null;
  target: number | null;
  layout: Layout;
}) {
  const t = useT();
  const heating = isHeating(current, target);
  const title = heating && target !== null ? t('dashboard.printer.heatingTo', { target: Math.round(target) }) : undefined;
  const icon = (
    <Icon
      className={cn(
        layout === 'inline' ? 'size-6' : 'size-3.5',
        heating ? 'text-orange-500 dark:text-orange-400' : layout === 'inline' && 'text-slate-400',
      )}
      aria-hidden
    />
  );
  const value = (
    <>
      {formatTemp(current)}
      {target ? (
        <span className={cn('font-normal text-slate-500 dark:text-slate-400', layout === 'inline' && 'text-lg')}>
          {' '}
          / {formatTemp(target)}
        </span>
      ) : null}
    </>
  );
  if (layout === 'inline') {
    // Wall screens: the icon stands for the word (kept for screen readers), the number is what is read across the room.
    return (
      <div className="flex min-w-0 items-center gap-1.5" title={title ?? label}>
        <dt className="shrink-0">
          {icon}
          <span className="sr-only">{label}</span>
        </dt>
        <dd className={cn('tabular truncate text-2xl font-semibold', heating && 'text-orange-700 dark:text-orange-300')}>{value}</dd>
      </div>
    );
  }
  return (
    <div className="min-w-0" title={title}>
      <dt className="flex items-center gap-1 text-xs text-slate-500 dark:text-slate-400">
        {icon}
        {label}
      </dt>
      <dd className={cn('tabular truncate text-sm font-semibold', heating && 'text-orange-700 dark:text-orange-300')}>{value}</dd>
    </div>
  );
}

/**
 * Nozzle and bed (and chamber, where the printer has one) with their targets; heaters on their way
 * up stand out. `inline` is the one-line form for wall screens.
 */
export function PrinterTemperatures({
  readings,
  layout = 'stacked',
  showChamber = true,
  className,
}: {
  readings: TemperatureReadings;
  layout?: Layout;
  showChamber?: boolean;
  className?: string;
}) {
  const t = useT();
  const chamber = showChamber ? (readings.chamber_temp ?? null) : null;
  return (
    <dl
      className={cn(
        layout === 'inline'
          ? 'flex flex-wrap items-center gap-x-6 gap-y-1'
          : cn('grid gap-3', chamber !== null ? 'grid-cols-3' : 'grid-cols-2'),
        className,
      )}
    >
      <Reading
        label={t('dashboard.printer.nozzle')}
        icon={Flame}
        current={readings.nozzle_temp}
        target={readings.nozzle_target_temp}
        layout={layout}
      />
      <Reading
        label={t('dashboard.printer.bed')}
        icon={Heater}
        current={readings.bed_temp}
        target={readings.bed_target_temp}
        layout={layout}
      />
      {chamber !== null ? (
        <Reading label={t('dashboard.printer.chamber')} icon={Thermometer} current={chamber} target={null} layout={layout} />
      ) : null}
    </dl>
  );
}
