import { describe, expect, it } from 'vitest';

import { type PrinterMetaById, toPrinterMeta } from '@/components/printer/use-printer-meta';

import {
  DEFAULT_FILTERS,
  filtersToParams,
  type FleetFilters,
  hasActiveFilters,
  parseFilters,
  printersToStop,
  protocolsInFleet,
  visiblePrinterIds,
} from './fleet-view';
import { liveRow, printerRecord, printing } from './test-fleet';

const meta: PrinterMetaById = Object.fromEntries(
  [
    printerRecord(1, { name: 'Voron 2.4', model: 'Voron 2.4 350', display_order: 2 }),
    printerRecord(2, { name: 'Prusa MK4', model: 'Original Prusa MK4', api_type: 'prusalink', display_order: 0 }),
    printerRecord(3, { name: 'X1 Carbon', model: 'Bambu Lab X1C', api_type: 'bambu', display_order: 1 }),
    printerRecord(4, { name: 'Printer 10', api_type: 'bambu', display_order: 3 }),
    printerRecord(5, { name: 'Printer 9', nickname: null, api_type: 'elegoo', display_order: 4 }),
  ].map((printer) => [String(printer.id), toPrinterMeta(printer)]),
);

const fleet = [
  printing(1, 40, 3 * 3600),
  liveRow(2),
  printing(3, 75.6, 20 * 60),
  liveRow(4, { status: 'paused', progress: 10, remaining_seconds: 600, file_name: 'bins.3mf' }),
  liveRow(5, { status: 'offline', online: false }),
];

const view = (filters: Partial<FleetFilters>) => visiblePrinterIds(fleet, meta, { ...DEFAULT_FILTERS, ...filters });

describe('dashboard filters in the URL', () => {
  it('reads status, protocol, search and sort, ignoring values it does not know', () => {
    expect(parseFilters(new URLSearchParams('status=printing&protocol=bambu&q=vor&sort=remaining'))).toEqual({
      status: 'printing',
      protocol: 'bambu',
      search: 'vor',
      sort: 'remaining',
    });
    expect(parseFilters(new URLSearchParams('status=exploded&sort=colour'))).toEqual(DEFAULT_FILTERS);
    expect(parseFilters(new URLSearchParams(''))).toEqual(DEFAULT_FILTERS);
  });

  it('writes only what differs from the defaults, so a reload restores exactly the same view', () => {
    expect(filtersToParams(DEFAULT_FILTERS).toString()).toBe('');
    const filters: FleetFilters = { status: 'error', protocol: 'moonraker', search: 'ender 3', sort: 'name' };
    expect(parseFilters(filtersToParams(filters))).toEqual(filters);
    expect(hasActiveFilters(filters)).toBe(true);
    expect(hasActiveFilters({ ...DEFAULT_FILTERS, sort: 'progress' })).toBe(false);
  });
});

describe('which cards the dashboard shows', () => {
  it('shows the fleet in the display order the owner set', () => {
    expect(view({})).toEqual([2, 3, 1, 4, 5]);
  });

  it('filters by fleet status group', () => {
    expect(view({ status: 'printing' })).toEqual([3, 1]);
    expect(view({ status: 'paused' })).toEqual([4]);
    expect(view({ status: 'offline' })).toEqual([5]);
    expect(view({ status: 'idle' })).toEqual([2]);
    expect(view({ status: 'error' })).toEqual([]);
  });

  it('filters by protocol, and lists only the protocols the fleet has', () => {
    expect(view({ protocol: 'bambu' })).toEqual([3, 4]);
    expect(protocolsInFleet(fleet, meta)).toEqual(['bambu', 'elegoo', 'moonraker', 'prusalink']);
  });

  it('searches names and models, ignoring case and surrounding spaces', () => {
    expect(view({ search: '  VORON ' })).toEqual([1]);
    expect(view({ search: 'x1c' })).toEqual([3]);
    expect(view({ search: 'prusa', status: 'idle' })).toEqual([2]);
    expect(view({ search: 'no such printer' })).toEqual([]);
  });

  it('sorts names as people read them (Printer 9 before Printer 10)', () => {
    const names = view({ sort: 'name' }).map((id) => meta[String(id)]?.name);
    expect(names).toEqual(['Printer 9', 'Printer 10', 'Prusa MK4', 'Voron 2.4', 'X1 Carbon']);
  });

  it('sorts by progress, furthest first, with printers that are not printing last', () => {
    expect(view({ sort: 'progress' })).toEqual([3, 1, 4, 2, 5]);
  });

  it('sorts by time left, soonest first, with printers that are not printing last', () => {
    expect(view({ sort: 'remaining' })).toEqual([4, 3, 1, 2, 5]);
  });

  it('keeps the order when only seconds or tenths of a percent change', () => {
    const close = [printing(1, 50.2, 601), printing(3, 50.9, 659)];
    expect(visiblePrinterIds(close, meta, { ...DEFAULT_FILTERS, sort: 'progress' })).toEqual([3, 1]);
    expect(visiblePrinterIds(close, meta, { ...DEFAULT_FILTERS, sort: 'remaining' })).toEqual([3, 1]);
  });

  it('still shows printers whose record has not loaded yet, after the known ones', () => {
    expect(visiblePrinterIds([liveRow(99, { name: 'Brand new' }), ...fleet], meta, DEFAULT_FILTERS).at(-1)).toBe(99);
    expect(visiblePrinterIds([liveRow(99, { name: 'Brand new' })], undefined, { ...DEFAULT_FILTERS, search: 'brand' })).toEqual([99]);
  });
});

describe('emergency stop targets', () => {
  it('are the printers with a print under way that we can reach', () => {
    const rows = [
      ...fleet,
      liveRow(6, { status: 'preparing' }),
      liveRow(7, { status: 'printing', online: false }),
      liveRow(8, { status: 'finished' }),
    ];
    expect(printersToStop(rows)).toEqual([1, 3, 4, 6]);
  });
});
