import { describe, expect, it } from 'vitest';

import type { Spool } from './inventory-queries';
import { spoolsBySlot } from './slot-spools';

describe('spools by printer slot', () => {
  it('groups the loaded spools by printer and slot, leaving out those in storage', () => {
    const spools = [
      { qr_code: 'SPL-A', location_printer_id: 1, location_slot: 2, remaining_weight_g: 312.4, remaining_percent: 31.2 },
      { qr_code: 'SPL-B', location_printer_id: 1, location_slot: 0, remaining_weight_g: 900, remaining_percent: 90 },
      { qr_code: 'SPL-C', location_printer_id: null, location_slot: null, remaining_weight_g: 1000, remaining_percent: 100 },
    ] as Spool[];
    expect(spoolsBySlot(spools)).toEqual({
      '1': { '2': { code: 'SPL-A', grams: 312, percent: 31 }, '0': { code: 'SPL-B', grams: 900, percent: 90 } },
    });
  });
});
