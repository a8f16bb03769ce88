import { Legend, Line, Tooltip, YAxis } from 'recharts';

import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';
import { useTheme } from '@/lib/theme';

import { type TelemetryPoint, temperatureTicks, tooltipTimeFormatter } from './chart-data';
import { chartTheme } from './chart-theme';
import { TimeChart } from './time-chart';

/**
 * Nozzle and bed temperature with their targets (dashed). Loaded on its own (React.lazy) so Recharts
 * is fetched only when a printer page shows a chart, never by the dashboard.
 */
export default function TelemetryChart({ points, hours, now }: { points: TelemetryPoint[]; hours: number; now: number }) {
  const { t, locale } = useI18n();
  const colors = chartTheme(useTheme().theme);
  const tooltipTime = tooltipTimeFormatter(locale);
  const yTicks = temperatureTicks(points);
  const names: Record<string, string> = {
    nozzle: t('printers.telemetry.nozzle'),
    nozzleTarget: t('printers.telemetry.nozzleTarget'),
    bed: t('printers.telemetry.bed'),
    bedTarget: t('printers.telemetry.bedTarget'),
  };
  return (
    <TimeChart
      className="h-64 w-full sm:h-72"
      label={t('printers.telemetry.chartLabel', { hours })}
      points={points}
      hours={hours}
      now={now}
    >
      <YAxis
        stroke={colors.axis}
        tick={{ fontSize: 11, fill: colors.axis }}
        tickFormatter={(value: number) => `${formatNumber(value, locale)}°`}
        width={48}
        domain={[0, yTicks[yTicks.length - 1] ?? 100]}
        ticks={yTicks}
      />
      <Tooltip
        contentStyle={colors.tooltip}
        labelFormatter={(value) => tooltipTime(Number(value))}
        formatter={(value, name) => [
          value === null || value === undefined ? '—' : `${formatNumber(Number(value), locale, 1)} °C`,
          names[String(name)] ?? String(name),
        ]}
      />
      <Legend formatter={(value: string) => names[value] ?? value} itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
      {/* Each heater: its reading, then its target as a dashed step line in the same colour. */}
      {(['nozzle', 'bed'] as const).flatMap((heater) => [
        <Line
          key={heater}
          type="monotone"
          dataKey={heater}
          name={heater}
          stroke={colors[heater]}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />,
        <Line
          key={`${heater}Target`}
          type="stepAfter"
          dataKey={`${heater}Target`}
          name={`${heater}Target`}
          stroke={colors[heater]}
          strokeDasharray="5 4"
          strokeOpacity={0.7}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />,
      ])}
    </TimeChart>
  );
}
