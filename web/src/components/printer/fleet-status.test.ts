import { describe, expect, it } from 'vitest';

import { activeProblems, countFleet, fleetBucket, hasActivePrint, shownStatus } from './fleet-status';

const printer = (status: string, extra: Partial<Parameters<typeof fleetBucket>[0]> = {}) => ({
  status,
  online: true,
  hms_errors: [],
  error_message: null,
  ...extra,
});

describe('fleet groups', () => {
  it('puts every status in the group a farm owner expects', () => {
    expect(fleetBucket(printer('printing'))).toBe('printing');
    expect(fleetBucket(printer('preparing'))).toBe('printing');
    expect(fleetBucket(printer('paused'))).toBe('paused');
    expect(fleetBucket(printer('error'))).toBe('error');
    for (const status of ['idle', 'finished', 'cancelled']) expect(fleetBucket(printer(status))).toBe('idle');
    expect(fleetBucket(printer('offline'))).toBe('offline');
  });

  it('calls a printer we cannot reach offline, whatever it said last', () => {
    expect(fleetBucket(printer('printing', { online: false }))).toBe('offline');
    expect(shownStatus(printer('printing', { online: false }))).toBe('offline');
    expect(hasActivePrint(printer('printing', { online: false }))).toBe(false);
  });

  it('counts a serious health message as an error even while the printer says idle or paused', () => {
    const runout = { code: '0700_2000_0002_0001', severity: 'serious', message: 'AMS A slot 1 has run out of filament' };
    expect(fleetBucket(printer('idle', { hms_errors: [runout] }))).toBe('error');
    expect(fleetBucket(printer('paused', { hms_errors: [runout] }))).toBe('error');
    expect(fleetBucket(printer('idle', { hms_errors: [{ ...runout, severity: 'info' }] }))).toBe('idle');
  });

  it('counts each group and the total', () => {
    expect(
      countFleet([printer('printing'), printer('preparing'), printer('idle'), printer('error'), printer('paused', { online: false })]),
    ).toEqual({
      printing: 2,
      paused: 0,
      error: 1,
      idle: 1,
      offline: 1,
      total: 5,
    });
  });
});

describe('active problems', () => {
  it('lists health messages worst first and does not repeat the printer error that says the same', () => {
    const problems = activeProblems(
      printer('error', {
        error_message: 'Nozzle temperature malfunction',
        hms_errors: [
          { code: 'A', severity: 'info', message: 'Chamber light is off' },
          { code: 'B', severity: 'fatal', message: 'Nozzle temperature malfunction' },
          { code: 'C', severity: 'common', message: 'Build plate not detected' },
        ],
      }),
    );
    expect(problems.map((problem) => problem.message)).toEqual([
      'Nozzle temperature malfunction',
      'Build plate not detected',
      'Chamber light is off',
    ]);
  });

  it('shows the printer error text when there is no health message', () => {
    expect(activeProblems(printer('error', { error_message: 'Klipper shutdown: MCU lost' }))).toEqual([
      { key: 'error', message: 'Klipper shutdown: MCU lost', severity: 'error' },
    ]);
    expect(activeProblems(printer('idle'))).toEqual([]);
  });
});
