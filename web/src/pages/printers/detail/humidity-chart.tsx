import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';
import { useTheme } from '@/lib/theme';

import { amsUnitLetter, type HumidityPoint, timeTickFormatter, timeTicks, tooltipTimeFormatter } from './chart-data';
import { chartTheme } from './chart-theme';

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
  const tick = timeTickFormatter(locale, hours);
  const tooltipTime = tooltipTimeFormatter(locale);
  const start = now - hours * 3_600_000;
  const nameOf = (unit: number) => t('printers.ams.unit', { unit: amsUnitLetter(unit) });
  const show = (value: number) =>
    measure === 'percent' ? `${formatNumber(value, locale)} %` : t('printers.ams.humidityIndex', { index: value });
  return (
    <div className="h-48 w-full" role="img" aria-label={t('printers.ams.historyLabel', { hours })}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[start, now]}
            ticks={timeTicks(start, now)}
            tickFormatter={tick}
            stroke={colors.axis}
            tick={{ fontSize: 11, fill: colors.axis }}
            minTickGap={28}
          />
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
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
