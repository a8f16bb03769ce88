import { describe, expect, it } from 'vitest';

import { checkThresholds, rowsOf, sameThresholds } from './thresholds';

describe('low-stock thresholds', () => {
  it('lists the saved thresholds by material', () => {
    expect(rowsOf({ PETG: 500, ABS: 750 }).map((row) => [row.material, row.grams])).toEqual([
      ['ABS', '750'],
      ['PETG', '500'],
    ]);
  });

  it('saves materials in upper case, skips blank rows, reads decimal commas', () => {
    expect(
      checkThresholds([
        { key: 1, material: ' pla ', grams: '1000' },
        { key: 2, material: '', grams: '' },
        { key: 3, material: 'TPU', grams: '250,5' },
      ]),
    ).toEqual({ ok: true, thresholds: { PLA: 1000, TPU: 250.5 } });
  });

  it('refuses half-filled rows, non-numbers and a material listed twice', () => {
    expect(checkThresholds([{ key: 1, material: 'PLA', grams: '' }])).toEqual({ ok: false, problem: 'invalid' });
    expect(checkThresholds([{ key: 1, material: '', grams: '300' }])).toEqual({ ok: false, problem: 'invalid' });
    expect(checkThresholds([{ key: 1, material: 'PLA', grams: 'lots' }])).toEqual({ ok: false, problem: 'invalid' });
    expect(
      checkThresholds([
        { key: 1, material: 'PLA', grams: '1' },
        { key: 2, material: 'pla', grams: '2' },
      ]),
    ).toEqual({ ok: false, problem: 'duplicate', material: 'PLA' });
  });

  it('knows when nothing changed, so there is nothing to save', () => {
    expect(sameThresholds({ PLA: 1000, ABS: 500 }, { abs: 500, PLA: 1000 })).toBe(true);
    expect(sameThresholds({ PLA: 1000 }, { PLA: 900 })).toBe(false);
    expect(sameThresholds({}, {})).toBe(true);
  });
});
