import { describe, expect, it } from 'vitest';

import { applyOrder, moveId, sameOrder } from './reorder';

describe('reordering the fleet', () => {
  it('moves a printer to where it was dropped, up or down', () => {
    expect(moveId([1, 2, 3, 4], 4, 2)).toEqual([1, 4, 2, 3]);
    expect(moveId([1, 2, 3, 4], 1, 3)).toEqual([2, 3, 1, 4]);
    expect(moveId([1, 2, 3], 2, 2)).toEqual([1, 2, 3]);
    // A printer that vanished meanwhile (deleted in another tab) changes nothing.
    expect(moveId([1, 2, 3], 9, 2)).toEqual([1, 2, 3]);
  });

  it('renumbers display_order as the server will store it, unnamed printers after', () => {
    const printers = [
      { id: 1, display_order: 0, name: 'a' },
      { id: 2, display_order: 1, name: 'b' },
      { id: 3, display_order: 2, name: 'c' },
    ];
    const next = applyOrder(printers, [3, 1]);
    expect(next.map((p) => [p.id, p.display_order])).toEqual([
      [3, 0],
      [1, 1],
      [2, 2],
    ]);
    // Unchanged rows keep their identity (rows that did not move do not re-render).
    expect(applyOrder(printers, [1, 2, 3])[0]).toBe(printers[0]);
  });

  it('a drop where it started is no change', () => {
    expect(sameOrder([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(sameOrder([1, 2, 3], [1, 3, 2])).toBe(false);
  });
});
