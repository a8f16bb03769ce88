import type { CSSProperties } from 'react';

/** Chart colours that read on both themes (Recharts takes colours as props, not classes). */
export interface ChartTheme {
  grid: string;
  axis: string;
  tooltip: CSSProperties;
  nozzle: string;
  bed: string;
  series: string[];
}

export function chartTheme(theme: 'light' | 'dark'): ChartTheme {
  const dark = theme === 'dark';
  return {
    grid: dark ? '#1e293b' : '#e2e8f0',
    axis: dark ? '#94a3b8' : '#475569',
    tooltip: {
      background: dark ? '#0f172a' : '#ffffff',
      border: `1px solid ${dark ? '#334155' : '#cbd5e1'}`,
      borderRadius: 8,
      color: dark ? '#e2e8f0' : '#0f172a',
      fontSize: 12,
    },
    nozzle: dark ? '#fb923c' : '#ea580c',
    bed: dark ? '#38bdf8' : '#0284c7',
    series: dark ? ['#38bdf8', '#a78bfa', '#34d399', '#fbbf24'] : ['#0284c7', '#7c3aed', '#059669', '#d97706'],
  };
}
