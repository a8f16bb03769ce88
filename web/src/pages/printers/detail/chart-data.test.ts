import { describe, expect, it } from 'vitest';

import { amsUnitLetter, humidityPoints, telemetryPoints, type TelemetryRow, temperatureTicks, thin, timeTicks } from './chart-data';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const row = (minute: number, nozzle = 215): TelemetryRow => ({
  recorded_at: new Date(T0 + minute * MINUTE).toISOString(),
  nozzle_temp: nozzle,
  nozzle_target: 215,
  bed_temp: 60,
  bed_target: 60,
  fan_speed: 100,
});

describe('telemetry for the chart', () => {
  it('keeps a minute-by-minute print as it is, in time order', () => {
    const points = telemetryPoints([row(2), row(0), row(1)]);
    expect(points.map((p) => p.t)).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    expect(points[0]).toEqual({ t: T0, nozzle: 215, nozzleTarget: 215, bed: 60, bedTarget: 60 });
  });

  it('breaks the line between two prints instead of drawing across the idle hours', () => {
    const points = telemetryPoints([row(0), row(1), row(240), row(241)]);
    expect(points).toHaveLength(5);
    expect(points[2]).toMatchObject({ nozzle: null, bed: null });
    expect(points[2]!.t).toBeGreaterThan(T0 + MINUTE);
    expect(points[2]!.t).toBeLessThan(T0 + 240 * MINUTE);
  });

  it('thins a week of rows to what a chart can draw, keeping the latest', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(i));
    const points = telemetryPoints(rows, 500);
    expect(points.length).toBeLessThanOrEqual(501);
    expect(points.every((p) => p.nozzle !== null)).toBe(true);
    expect(points[points.length - 1]!.t).toBe(T0 + 9_999 * MINUTE);
    expect(thin([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });

  it('humidity: percent where reported, else the 1–5 index, one series per AMS unit', () => {
    const at = new Date(T0).toISOString();
    const x1 = humidityPoints([
      { ams_unit: 0, humidity: 21, humidity_index: 4, temperature: 26, recorded_at: at },
      { ams_unit: 1, humidity: 35, humidity_index: 4, temperature: 26, recorded_at: at },
    ]);
    expect(x1).toEqual({ points: [{ t: T0, unit0: 21, unit1: 35 }], units: [0, 1], measure: 'percent' });
    const a1 = humidityPoints([{ ams_unit: 0, humidity: null, humidity_index: 5, temperature: null, recorded_at: at }]);
    expect(a1.measure).toBe('index');
    expect(a1.points).toEqual([{ t: T0, unit0: 5 }]);
    expect(amsUnitLetter(0)).toBe('A');
    expect(amsUnitLetter(3)).toBe('D');
  });

  it('axis ticks on round times and round temperatures', () => {
    const start = new Date(2026, 2, 1, 9, 7).getTime();
    const ticks = timeTicks(start, start + 6 * 3_600_000);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(7);
    for (const tick of ticks) expect(new Date(tick).getMinutes()).toBe(0);
    expect(temperatureTicks(telemetryPoints([row(0, 250)]))).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(temperatureTicks([])).toEqual([0, 50, 100]);
  });
});
