import { afterEach, describe, expect, it } from 'vitest';

import type { Spool } from '@/components/inventory/inventory-queries';

import { byLocation, filtersFromSearch, filtersToSearch, hasFilters, NO_FILTERS, savedView, saveView, spoolQuery } from './spool-filters';

afterEach(() => localStorage.clear());

describe('spool filters', () => {
  it('reads the URL, ignoring what is not a valid filter', () => {
    expect(filtersFromSearch(new URLSearchParams('status=empty&filament=4&material=petg&q=galaxy&location=printer'))).toEqual({
      status: 'empty',
      filamentId: 4,
      material: 'PETG',
      search: 'galaxy',
      location: 'printer',
    });
    expect(filtersFromSearch(new URLSearchParams('status=melted&filament=x&material=<b>&location=moon'))).toEqual(NO_FILTERS);
  });

  it('writes only the filters that are set, and keeps the open spool', () => {
    const filters = { ...NO_FILTERS, material: 'PLA', location: 'storage' as const };
    const params = filtersToSearch(filters, new URLSearchParams('spool=12&status=archived'));
    expect(params.toString()).toBe('spool=12&material=PLA&location=storage');
    expect(filtersFromSearch(params)).toEqual(filters);
    expect(filtersToSearch(NO_FILTERS).toString()).toBe('');
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, search: ' red ' })).toBe(true);
  });

  it('asks the server for what it filters and keeps the default "in stock" (archived hidden)', () => {
    expect(spoolQuery(NO_FILTERS)).toEqual({});
    expect(spoolQuery({ status: 'all', filamentId: 7, material: 'ASA', search: '  black ', location: 'storage' })).toEqual({
      status: 'all',
      filament_id: 7,
      material: 'ASA',
      search: 'black',
      in_storage: true,
    });
    expect(spoolQuery({ ...NO_FILTERS, location: 'printer' })).toEqual({});
  });

  it('filters spools in a printer and in storage', () => {
    const spools = [
      { id: 1, location_printer_id: 3 },
      { id: 2, location_printer_id: null },
    ] as Spool[];
    expect(byLocation(spools, 'printer').map((spool) => spool.id)).toEqual([1]);
    expect(byLocation(spools, 'storage').map((spool) => spool.id)).toEqual([2]);
    expect(byLocation(spools, 'any')).toHaveLength(2);
  });

  it('remembers the table or grid view', () => {
    expect(savedView()).toBe('table');
    saveView('grid');
    expect(savedView()).toBe('grid');
  });
});
