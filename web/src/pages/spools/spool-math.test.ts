import { describe, expect, it } from 'vitest';

import type { Spool } from '@/components/inventory/inventory-queries';

import { afterUse, parseAmount, summarise, weighResult } from './spool-math';

const spool = { spool_weight_g: 250, initial_weight_g: 1000, remaining_weight_g: 640 };

describe('weighing a spool', () => {
  it('takes the empty spool off the scale reading and says what changed', () => {
    expect(weighResult(spool, 812)).toEqual({ remaining: 562, percent: 56, change: -78, problem: null });
    expect(weighResult(spool, 1250)).toMatchObject({ remaining: 1000, percent: 100, problem: null });
  });

  it('reads a little under the empty spool as empty, far under or far over as a wrong reading', () => {
    expect(weighResult(spool, 240)).toMatchObject({ remaining: 0, percent: 0, problem: null });
    expect(weighResult(spool, 200)).toMatchObject({ remaining: 0, problem: 'belowSpool' });
    expect(weighResult(spool, 1500)).toMatchObject({ problem: 'aboveInitial' });
  });

  it('never goes below nothing when filament is drawn by hand', () => {
    expect(afterUse(spool, 40)).toEqual({ remaining: 600, percent: 60 });
    expect(afterUse(spool, 900)).toEqual({ remaining: 0, percent: 0 });
  });

  it('reads numbers typed with a comma or a point', () => {
    expect(parseAmount('812')).toBe(812);
    expect(parseAmount('12,5')).toBe(12.5);
    expect(parseAmount(' 1 250 ')).toBe(1250);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('abc')).toBeNull();
  });
});

describe('the inventory summary', () => {
  const active = [
    { material: 'PLA', remaining_weight_g: 700, location_printer_id: 1 },
    { material: 'pla', remaining_weight_g: 150, location_printer_id: null },
    { material: 'PETG', remaining_weight_g: 900, location_printer_id: null },
  ] as Spool[];

  it('counts spools and grams, and lists the materials under their threshold', () => {
    expect(summarise(active, { PLA: 1000, PETG: 500, TPU: 300, ASA: 0 })).toEqual({
      active: 3,
      totalGrams: 1750,
      inPrinters: 1,
      low: [
        { material: 'PLA', stock: 850, threshold: 1000 },
        { material: 'TPU', stock: 0, threshold: 300 },
      ],
    });
    expect(summarise([], {}).low).toEqual([]);
  });
});
