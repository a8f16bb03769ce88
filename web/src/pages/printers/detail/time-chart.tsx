import type { ReactNode } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer, XAxis } from 'recharts';

import { useI18n } from '@/i18n';
import { useTheme } from '@/lib/theme';

import { timeTickFormatter, timeTicks } from './chart-data';
import { chartTheme } from './chart-theme';

/**
 * What the printer page's charts share: a labelled, responsive line chart over the `hours` up to
 * `now`, its grid and its time axis. Each chart adds its value axis, tooltip and lines as children.
 */
export function TimeChart({
  label,
  className,
  points,
  hours,
  now,
  children,
}: {
  label: string;
  className: string;
  points: object[];
  hours: number;
  now: number;
  children: ReactNode;
}) {
  const { locale } = useI18n();
  const colors = chartTheme(useTheme().theme);
  const start = now - hours * 3_600_000;
  return (
    <div className={className} role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[start, now]}
            ticks={timeTicks(start, now)}
            tickFormatter={timeTickFormatter(locale, hours)}
            stroke={colors.axis}
            tick={{ fontSize: 11, fill: colors.axis }}
            minTickGap={28}
          />
          {children}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
