import { describe, expect, it } from 'vitest';

import {
  dayEnd,
  dayStart,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  listQuery,
  NO_FILTERS,
  parseDay,
  statsQuery,
  withFilter,
} from './history-filters';

describe('print history filters', () => {
  it('reads the URL, ignoring what is not a valid filter', () => {
    expect(filtersFromSearch(new URLSearchParams('printer=3&status=failed&from=2026-03-01&to=2026-03-05&page=2'))).toEqual({
      printerId: 3,
      status: 'failed',
      from: '2026-03-01',
      to: '2026-03-05',
      page: 2,
    });
    expect(filtersFromSearch(new URLSearchParams('printer=abc&status=exploded&from=2026-02-30&to=yesterday&page=-4'))).toEqual(NO_FILTERS);
  });

  it('writes the URL back with only the filters that are set', () => {
    const filters = { ...NO_FILTERS, printerId: 5, status: 'completed' as const, page: 3 };
    expect(filtersToSearch(filters).toString()).toBe('printer=5&status=completed&page=3');
    expect(filtersFromSearch(filtersToSearch(filters))).toEqual(filters);
    expect(filtersToSearch(NO_FILTERS).toString()).toBe('');
  });

  it('a changed filter starts again at page 1', () => {
    expect(withFilter({ ...NO_FILTERS, page: 4 }, { status: 'failed' })).toEqual({ ...NO_FILTERS, status: 'failed', page: 1 });
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, from: '2026-01-01' })).toBe(true);
  });

  it('turns days into instants in the local time zone, whole days inclusive', () => {
    expect(dayStart('2026-03-01')).toBe(new Date(2026, 2, 1, 0, 0, 0, 0).toISOString());
    expect(dayEnd('2026-03-01')).toBe(new Date(2026, 2, 1, 23, 59, 59, 999).toISOString());
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2028-02-29')).not.toBeNull();
  });

  it('builds the API query: filters, and a page with one row extra to know whether more follow', () => {
    const filters = { printerId: 2, status: 'cancelled' as const, from: '2026-03-01', to: '2026-03-02', page: 3 };
    expect(listQuery(filters, 25)).toEqual({
      printer_id: 2,
      status: 'cancelled',
      since: new Date(2026, 2, 1).toISOString(),
      until: new Date(2026, 2, 2, 23, 59, 59, 999).toISOString(),
      limit: 26,
      offset: 50,
    });
    expect(listQuery(NO_FILTERS)).toEqual({ limit: 26, offset: 0 });
    expect(statsQuery(NO_FILTERS)).toEqual({});
  });

  it('a range typed backwards still covers the days between', () => {
    expect(statsQuery({ ...NO_FILTERS, from: '2026-03-09', to: '2026-03-02' })).toEqual({
      since: new Date(2026, 2, 2).toISOString(),
      until: new Date(2026, 2, 9, 23, 59, 59, 999).toISOString(),
    });
  });
});
