import { describe, expect, it } from 'vitest';

import { pageSlice, tvCardSize, tvGrid } from './tv-layout';

describe('TV layout', () => {
  it('fits as many readable cards as the screen holds', () => {
    // A 1080p TV (minus the header): four columns, two rows.
    expect(tvGrid(1872, 900, 12, tvCardSize(1872))).toEqual({ cols: 4, rows: 2, perPage: 8, pages: 2 });
    // A laptop screen.
    expect(tvGrid(1392, 700, 12, tvCardSize(1392))).toEqual({ cols: 3, rows: 2, perPage: 6, pages: 2 });
    // A phone held up as a status screen: one column of smaller cards.
    expect(tvGrid(358, 560, 12, tvCardSize(358))).toMatchObject({ cols: 1, rows: 2, perPage: 2, pages: 6 });
  });

  it('always shows at least one card and one page, even before the screen was measured', () => {
    expect(tvGrid(0, 0, 0)).toEqual({ cols: 1, rows: 1, perPage: 1, pages: 1 });
    expect(tvGrid(0, 0, 3).pages).toBe(3);
  });

  it('slices the fleet into pages, showing the last page when the fleet shrank under it', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7];
    expect(pageSlice(ids, 0, 3)).toEqual([1, 2, 3]);
    expect(pageSlice(ids, 2, 3)).toEqual([7]);
    expect(pageSlice(ids, 9, 3)).toEqual([7]);
  });
});
