import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { useI18n } from '@/i18n';
import { formatNumber } from '@/lib/format';
import { useTheme } from '@/lib/theme';

import { type TelemetryPoint, temperatureTicks, timeTickFormatter, timeTicks, tooltipTimeFormatter } from './chart-data';
import { chartTheme } from './chart-theme';

/**
 * Nozzle and bed temperature with their targets (dashed). Loaded on its own (React.lazy) so Recharts
 * is fetched only when a printer page shows a chart, never by the dashboard.
 */
export default function TelemetryChart({ points, hours, now }: { points: TelemetryPoint[]; hours: number; now: number }) {
  const { t, locale } = useI18n();
  const colors = chartTheme(useTheme().theme);
  const tick = timeTickFormatter(locale, hours);
  const tooltipTime = tooltipTimeFormatter(locale);
  const start = now - hours * 3_600_000;
  const yTicks = temperatureTicks(points);
  const names: Record<string, string> = {
    nozzle: t('printers.telemetry.nozzle'),
    nozzleTarget: t('printers.telemetry.nozzleTarget'),
    bed: t('printers.telemetry.bed'),
    bedTarget: t('printers.telemetry.bedTarget'),
  };
  return (
    <div className="h-64 w-full sm:h-72" role="img" aria-label={t('printers.telemetry.chartLabel', { hours })}>
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
          <Line
            type="monotone"
            dataKey="nozzle"
            name="nozzle"
            stroke={colors.nozzle}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
          <Line
            type="stepAfter"
            dataKey="nozzleTarget"
            name="nozzleTarget"
            stroke={colors.nozzle}
            strokeDasharray="5 4"
            strokeOpacity={0.7}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
          <Line
            type="monotone"
            dataKey="bed"
            name="bed"
            stroke={colors.bed}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
          <Line
            type="stepAfter"
            dataKey="bedTarget"
            name="bedTarget"
            stroke={colors.bed}
            strokeDasharray="5 4"
            strokeOpacity={0.7}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
