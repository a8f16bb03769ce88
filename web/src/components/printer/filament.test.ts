import { describe, expect, it } from 'vitest';

import { filamentChips, unitLetter } from './filament';

const tray = (slot: number, color: string | null, remain: number | null, extra: { empty?: boolean; type?: string | null } = {}) => ({
  slot,
  color,
  remain,
  empty: extra.empty ?? false,
  type: extra.type === undefined ? 'PLA' : extra.type,
});

describe('filament chips', () => {
  it('names AMS trays as the printer does (A1 … B4) and keeps Bambu colours with their alpha', () => {
    const chips = filamentChips(
      [
        { id: 0, trays: [tray(0, '000000FF', 83), tray(1, 'C12E1FFF', 64)] },
        { id: 1, trays: [tray(0, 'F4EE2AFF', 91)] },
      ],
      null,
    );
    expect(chips.map((chip) => [chip.position, chip.color, chip.remain])).toEqual([
      ['A1', '#000000FF', 83],
      ['A2', '#C12E1FFF', 64],
      ['B1', '#F4EE2AFF', 91],
    ]);
    expect(unitLetter(3)).toBe('D');
  });

  it('shows an empty tray as empty and an untagged spool as "unknown amount", not as empty', () => {
    const [empty, untagged] = filamentChips(
      [{ id: 0, trays: [tray(0, null, null, { empty: true, type: null }), tray(1, '#00AE42', -1)] }],
      null,
    );
    expect(empty).toMatchObject({ empty: true, color: null, remain: null });
    expect(untagged).toMatchObject({ empty: false, color: '#00AE42', remain: null });
  });

  it('adds the external spool only when something is loaded there', () => {
    expect(filamentChips(null, tray(0, null, null, { empty: true }))).toEqual([]);
    expect(filamentChips(null, tray(0, 'FF6A13FF', 40)).map((chip) => chip.group)).toEqual(['ext']);
  });

  it('falls back to the slots set on the printer record for printers without an AMS', () => {
    const chips = filamentChips(null, null, [
      { slot: 1, type: 'PETG', color: '#112233' },
      { slot: 2, type: 'PLA', color: 'not a colour' },
    ]);
    expect(chips.map((chip) => [chip.position, chip.type, chip.color])).toEqual([
      ['1', 'PETG', '#112233'],
      ['2', 'PLA', null],
    ]);
  });
});
