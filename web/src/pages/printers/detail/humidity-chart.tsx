import { Legend, Line, Tooltip, YAxis } from 'recharts';

import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';
import { useTheme } from '@/lib/theme';

import { amsUnitLetter, type HumidityPoint, tooltipTimeFormatter } from './chart-data';
import { chartTheme } from './chart-theme';
import { TimeChart } from './time-chart';

/** Humidity per AMS unit over time (lazy-loaded with Recharts, like the temperature chart). */
export default function HumidityChart({
  points,
  units,
  measure,
  hours,
  now,
}: {
  points: HumidityPoint[];
  units: number[];
  measure: 'percent' | 'index';
  hours: number;
  now: number;
}) {
  const { t, locale } = useI18n();
  const colors = chartTheme(useTheme().theme);
  const tooltipTime = tooltipTimeFormatter(locale);
  const nameOf = (unit: number) => t('printers.ams.unit', { unit: amsUnitLetter(unit) });
  const show = (value: number) =>
    measure === 'percent' ? `${formatNumber(value, locale)} %` : t('printers.ams.humidityIndex', { index: value });
  return (
    <TimeChart className="h-48 w-full" label={t('printers.ams.historyLabel', { hours })} points={points} hours={hours} now={now}>
      <YAxis
        stroke={colors.axis}
        tick={{ fontSize: 11, fill: colors.axis }}
        width={48}
        domain={measure === 'percent' ? [0, 100] : [1, 5]}
        allowDecimals={false}
        tickFormatter={(value: number) => (measure === 'percent' ? `${value}%` : String(value))}
      />
      <Tooltip
        contentStyle={colors.tooltip}
        labelFormatter={(value) => tooltipTime(Number(value))}
        formatter={(value, name) => [show(Number(value)), String(name)]}
      />
      {units.length > 1 ? <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} /> : null}
      {units.map((unit, index) => (
        <Line
          key={unit}
          type="monotone"
          dataKey={`unit${unit}`}
          name={nameOf(unit)}
          stroke={colors.series[index % colors.series.length]}
          strokeWidth={2}
          dot={points.length < 3}
          isAnimationActive={false}
        />
      ))}
    </TimeChart>
  );
}
