import type { ResponseOf } from '@/api/types';

/**
 * Telemetry as the charts draw it. The server records one row a minute, and only while printing,
 * so a week is up to 10 000 rows with long holes between prints: rows are thinned to what a chart
 * can show, and a hole becomes a break in the line rather than a straight line across it.
 */
export type TelemetryRow = ResponseOf<'/api/printers/{printer_id}/telemetry', 'get'>[number];
export type AmsEnvironmentRow = ResponseOf<'/api/printers/{printer_id}/ams/environment', 'get'>[number];

export interface TelemetryPoint {
  t: number;
  nozzle: number | null;
  nozzleTarget: number | null;
  bed: number | null;
  bedTarget: number | null;
}

export const RANGES = [1, 6, 24, 168] as const;
export type RangeHours = (typeof RANGES)[number];

const MINUTE = 60_000;

/** Every n-th row so that at most `max` remain (the last row always stays: it is "now"). */
export function thin<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max) return [...rows];
  const step = Math.ceil(rows.length / max);
  const kept = rows.filter((_, index) => index % step === 0);
  const last = rows[rows.length - 1];
  if (last !== undefined && kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

/** Inserts a null point inside every hole longer than `gapMs`, so the line breaks there. */
export function breakGaps<T extends { t: number }>(points: readonly T[], gapMs: number, empty: (t: number) => T): T[] {
  const out: T[] = [];
  points.forEach((point, index) => {
    const previous = points[index - 1];
    if (previous && point.t - previous.t > gapMs) out.push(empty(previous.t + 1));
    out.push(point);
  });
  return out;
}

export function telemetryPoints(rows: readonly TelemetryRow[], max = 600): TelemetryPoint[] {
  const sorted = rows
    .map((row) => ({
      t: Date.parse(row.recorded_at),
      nozzle: row.nozzle_temp,
      nozzleTarget: row.nozzle_target,
      bed: row.bed_temp,
      bedTarget: row.bed_target,
    }))
    .filter((point) => Number.isFinite(point.t))
    .sort((a, b) => a.t - b.t);
  const step = Math.max(1, Math.ceil(sorted.length / max));
  // Rows come a minute apart; a hole is anything longer than a few thinned steps.
  const gap = Math.max(5 * MINUTE, 3 * step * MINUTE);
  return breakGaps(thin(sorted, max), gap, (t) => ({ t, nozzle: null, nozzleTarget: null, bed: null, bedTarget: null }));
}

export interface HumidityPoint {
  t: number;
  [unit: `unit${number}`]: number | null;
}

/**
 * AMS readings → one point per time with a value per unit (`unit0`, `unit1`…): relative humidity
 * where the printer reports it (X1/H2), the 1–5 humidity index otherwise.
 */
export function humidityPoints(
  rows: readonly AmsEnvironmentRow[],
  max = 400,
): { points: HumidityPoint[]; units: number[]; measure: 'percent' | 'index' } {
  const measure = rows.some((row) => row.humidity !== null) ? 'percent' : 'index';
  const byTime = new Map<number, HumidityPoint>();
  const units = new Set<number>();
  for (const row of rows) {
    const t = Date.parse(row.recorded_at);
    const value = measure === 'percent' ? row.humidity : row.humidity_index;
    if (!Number.isFinite(t) || value === null) continue;
    units.add(row.ams_unit);
    const point = byTime.get(t) ?? { t };
    point[`unit${row.ams_unit}`] = value;
    byTime.set(t, point);
  }
  const sorted = [...byTime.values()].sort((a, b) => a.t - b.t);
  return { points: thin(sorted, max), units: [...units].sort((a, b) => a - b), measure };
}

/** Axis labels: clock time within a day, weekday and time beyond (in the user's locale and time zone). */
export function timeTickFormatter(locale: string, rangeHours: number): (t: number) => string {
  const format = new Intl.DateTimeFormat(
    locale,
    rangeHours > 24 ? { weekday: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' },
  );
  return (t) => format.format(new Date(t));
}

export function tooltipTimeFormatter(locale: string): (t: number) => string {
  const format = new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return (t) => format.format(new Date(t));
}

/** AMS units are lettered on the printer and in its messages ("AMS A slot 1"): unit 0 is A. */
export function amsUnitLetter(id: number): string {
  return id >= 0 && id < 26 ? String.fromCharCode(65 + id) : String(id);
}

const TICK_STEPS = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880].map((minutes) => minutes * MINUTE);
const LONGEST_TICK_STEP = Math.max(...TICK_STEPS);

/**
 * Time-axis ticks on round local times (every 30 minutes, every 3 hours, at midnight…), at most
 * about `target` of them. Recharts' own ticks on a time scale land on odd minutes, or only one.
 */
export function timeTicks(start: number, end: number, target = 6): number[] {
  if (!(end > start)) return [];
  const step = TICK_STEPS.find((candidate) => (end - start) / candidate <= target) ?? LONGEST_TICK_STEP;
  const origin = new Date(start);
  origin.setHours(0, 0, 0, 0);
  const ticks: number[] = [];
  for (let tick = origin.getTime() + Math.ceil((start - origin.getTime()) / step) * step; tick <= end; tick += step) ticks.push(tick);
  return ticks;
}

/** A temperature axis from 0 to a round number above the hottest value, in steps of 50 ° (100 ° above 300 °). */
export function temperatureTicks(points: readonly TelemetryPoint[]): number[] {
  let max = 0;
  for (const point of points)
    for (const value of [point.nozzle, point.nozzleTarget, point.bed, point.bedTarget]) if (value !== null && value > max) max = value;
  const step = max > 300 ? 100 : 50;
  const top = Math.max(100, Math.ceil((max + 10) / step) * step);
  return Array.from({ length: top / step + 1 }, (_, index) => index * step);
}
