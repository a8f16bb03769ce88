import { differenceCiede2000 } from 'culori';
import { describe, expect, it } from 'vitest';

import { COLOUR_NAMES, colourDistance, colourName, DEFAULT_MAX_COLOUR_DISTANCE, nearestColour, parseColour } from './colour.js';

describe('parseColour', () => {
  it.each([
    ['#fff', '#FFFFFF'],
    ['fff', '#FFFFFF'],
    ['#f00f', '#FF0000'],
    ['#FF0000', '#FF0000'],
    ['FF0000', '#FF0000'],
    ['ff8800', '#FF8800'],
    ['0xff8800', '#FF8800'],
    ['  #00ff00  ', '#00FF00'],
    // Bambu AMS tags: RRGGBBAA; alpha does not take part in matching.
    ['FF0000FF', '#FF0000'],
    ['#FF0000FF', '#FF0000'],
    ['C12E1F80', '#C12E1F'],
    ['FFFFFF00', '#FFFFFF'],
    ['red', '#FF0000'],
    ['RED', '#FF0000'],
    ['Dark Green', '#006400'],
    ['dark-green', '#006400'],
    ['light_blue', '#ADD8E6'],
    ['grey', '#808080'],
    ['gray', '#808080'],
    ['rgb(255, 0, 0)', '#FF0000'],
    ['rgb(255 0 0 / 50%)', '#FF0000'],
    ['rgba(0, 0, 255, 0.3)', '#0000FF'],
    ['hsl(120 100% 25%)', '#007F00'],
    ['hsl(0, 100%, 50%)', '#FF0000'],
    ['oklch(0.7 0.4 150)', '#00C248'],
  ])('reads %j as %s', (input, hex) => {
    expect(parseColour(input)).toBe(hex);
  });

  it.each([
    [''],
    ['   '],
    ['garbage'],
    ['not a colour'],
    ['#12345'],
    ['#GGGGGG'],
    ['rgb(1, 2)'],
    ['#'.padEnd(500, 'f')],
    // Bambu's "no colour known" and its CSS twin.
    ['00000000'],
    ['#00000000'],
    ['transparent'],
  ])('answers null for %j', (input) => {
    expect(parseColour(input)).toBeNull();
  });

  it('keeps an opaque black, which is a real filament colour', () => {
    expect(parseColour('000000FF')).toBe('#000000');
    expect(parseColour('#000')).toBe('#000000');
  });
});

describe('colourDistance', () => {
  it('is 0 for the same colour in any spelling', () => {
    expect(colourDistance('#FF0000', 'red')).toBe(0);
    expect(colourDistance('FF0000FF', 'rgb(255 0 0)')).toBe(0);
  });

  it('is 100 between black and white, the full lightness range', () => {
    expect(colourDistance('#000000', '#FFFFFF')).toBeCloseTo(100, 3);
  });

  it('is symmetric', () => {
    expect(colourDistance('#C12E1F', '#0A2989')).toBeCloseTo(colourDistance('#0A2989', '#C12E1F'), 10);
  });

  it('is Infinity when a side is unreadable, so nothing matches it', () => {
    expect(colourDistance('#FF0000', 'nonsense')).toBe(Number.POSITIVE_INFINITY);
    expect(colourDistance('00000000', '#000000')).toBe(Number.POSITIVE_INFINITY);
  });

  // Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
  // supplementary test data, and mathematical observations", Table 1: pairs 1, 7, 17, 18 and 25.
  it.each([
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[50, 2.5, 0], [61, -5, 29], 22.8977],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
  ])('the ΔE00 culori computes matches Sharma et al. for Lab %j vs %j', (lab1, lab2, expected) => {
    const delta = differenceCiede2000();
    const [l1 = 0, a1 = 0, b1 = 0] = lab1;
    const [l2 = 0, a2 = 0, b2 = 0] = lab2;
    expect(delta({ mode: 'lab65', l: l1, a: a1, b: b1 }, { mode: 'lab65', l: l2, a: a2, b: b2 })).toBeCloseTo(expected, 4);
  });
});

describe('nearestColour', () => {
  interface Spool {
    id: number;
    color: string | null;
  }

  it('picks the perceptually closer colour, not the closer string', () => {
    // #FF00FF shares four of six hex digits with #FF0000; #FE0101 shares none but looks the same.
    const candidates: Spool[] = [
      { id: 1, color: '#FF00FF' },
      { id: 2, color: '#FE0101' },
    ];
    const match = nearestColour('#FF0000', candidates, (spool) => spool.color);
    expect(match?.item.id).toBe(2);
    expect(match?.distance).toBeLessThan(1);
  });

  it('reads candidate colours in any form and skips those without one', () => {
    const candidates: Spool[] = [
      { id: 1, color: null },
      { id: 2, color: 'garbage' },
      { id: 3, color: '00000000' },
      { id: 4, color: 'C12E1FFF' },
    ];
    expect(nearestColour('rgb(211, 47, 47)', candidates, (spool) => spool.color)?.item.id).toBe(4);
  });

  it('answers null when nothing is within the threshold', () => {
    const candidates: Spool[] = [
      { id: 1, color: '#0000FF' },
      { id: 2, color: '#FF8000' },
    ];
    expect(nearestColour('#FF0000', candidates, (spool) => spool.color)).toBeNull();
    expect(nearestColour('#FF0000', candidates, (spool) => spool.color, 100)?.item.id).toBe(2);
  });

  it('matches one colour family across brands but not neighbouring families at the default threshold', () => {
    expect(colourDistance('#C12E1F', '#D32F2F')).toBeLessThan(DEFAULT_MAX_COLOUR_DISTANCE);
    expect(colourDistance('#FFFFFF', '#FFFFF0')).toBeLessThan(DEFAULT_MAX_COLOUR_DISTANCE);
    expect(colourDistance('#0A2989', '#000080')).toBeLessThan(DEFAULT_MAX_COLOUR_DISTANCE);
    expect(colourDistance('#000000', '#333333')).toBeGreaterThan(DEFAULT_MAX_COLOUR_DISTANCE);
    expect(colourDistance('#0A2989', '#5E43B7')).toBeGreaterThan(DEFAULT_MAX_COLOUR_DISTANCE);
    expect(colourDistance('#C12E1F', '#FF6A13')).toBeGreaterThan(DEFAULT_MAX_COLOUR_DISTANCE);
  });

  it('answers null for an unreadable target or no candidates', () => {
    expect(nearestColour('nope', ['#FF0000'], (c) => c)).toBeNull();
    expect(nearestColour('#FF0000', [], (c: string) => c)).toBeNull();
  });

  it('prefers the earlier candidate on a tie', () => {
    const match = nearestColour('#FF0000', ['red', '#ff0000', 'FF0000FF'], (c) => c);
    expect(match).toEqual({ item: 'red', distance: 0 });
  });
});

describe('colourName', () => {
  it.each([
    ['#000000', 'black'],
    ['#1A1A1A', 'black'],
    ['#FFFFFF', 'white'],
    ['#F8F8F8', 'white'],
    ['#808080', 'grey'],
    ['#C0C0C0', 'silver'],
    ['#FF0000', 'red'],
    ['#C12E1F', 'red'],
    ['#FF6A13', 'orange'],
    ['#FFFF00', 'yellow'],
    ['#D4AF37', 'gold'],
    ['#00AE42', 'green'],
    ['#006400', 'green'],
    ['#0000FF', 'blue'],
    ['#000080', 'blue'],
    ['#87CEEB', 'blue'],
    ['#800080', 'purple'],
    ['#FF69B4', 'pink'],
    ['#8B4513', 'brown'],
    ['#F5F5DC', 'beige'],
    ['Dark Green', 'green'],
    ['FF6A13FF', 'orange'],
  ])('names %s %s', (input, name) => {
    expect(colourName(input)).toBe(name);
  });

  it('calls a tinted colour with alpha 00 transparent, and knows nothing of no colour', () => {
    expect(colourName('FFFFFF00')).toBe('transparent');
    expect(colourName('00000000')).toBeNull();
    expect(colourName('')).toBeNull();
    expect(colourName('garbage')).toBeNull();
  });

  it('only answers names from the translated list', () => {
    for (let i = 0; i < 4096; i += 37) {
      const hex = `#${(i * 4099).toString(16).padStart(6, '0').slice(-6)}`;
      expect(COLOUR_NAMES).toContain(colourName(hex));
    }
  });
});
