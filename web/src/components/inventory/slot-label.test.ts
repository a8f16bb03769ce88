import { describe, expect, it } from 'vitest';

import { translate } from '@/i18n';

import { slotLabel, slotOfAmsTray } from './slot-label';

const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);
const de = (key: string, params?: Record<string, string | number>) => translate('de', key, params);

describe('slot labels', () => {
  it('names Bambu slots by AMS unit and tray, the AMS HT and the external spool', () => {
    expect(slotLabel(0, 'bambu', en)).toBe('External');
    expect(slotLabel(1, 'bambu', en)).toBe('AMS 1 · 1');
    expect(slotLabel(4, 'bambu', en)).toBe('AMS 1 · 4');
    expect(slotLabel(6, 'bambu', en)).toBe('AMS 2 · 2');
    expect(slotLabel(16, 'bambu', en)).toBe('AMS 4 · 4');
    expect(slotLabel(17, 'bambu', en)).toBe('AMS HT 1');
    expect(slotLabel(24, 'bambu', en)).toBe('AMS HT 8');
  });

  it('numbers the slots of printers without an AMS plainly, in both languages', () => {
    expect(slotLabel(1, 'moonraker', en)).toBe('Slot 1');
    expect(slotLabel(3, null, en)).toBe('Slot 3');
    expect(slotLabel(2, 'prusalink', de)).toBe('Slot 2');
    expect(slotLabel(0, 'bambu', de)).toBe('Extern');
  });

  it('maps AMS trays to the slot numbers the server keeps', () => {
    expect(slotOfAmsTray(0, 0)).toBe(1);
    expect(slotOfAmsTray(1, 1)).toBe(6);
    expect(slotOfAmsTray(3, 3)).toBe(16);
    expect(slotOfAmsTray(128, 0)).toBe(17);
    expect(slotOfAmsTray(135, 0)).toBe(24);
    expect(slotOfAmsTray(4, 0)).toBeNull();
  });
});
