import { inflateSync } from 'node:zlib';

import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

import { HttpError } from '../../core/errors.js';
import {
  DEFAULT_LABEL_SIZE,
  LABEL_SIZES,
  type LabelSpool,
  labelTexts,
  MAX_LABELS_PER_BATCH,
  renderLabelPng,
  renderLabelsPdf,
} from './labels.js';

// jsqr is CommonJS whose typings declare an ES default export; at run time it is on `.default` too.
const jsQR = jsQRModule.default;

const spool: LabelSpool = {
  qr_code: 'SPL-1A2B3C4D',
  material: 'PETG',
  brand: 'Bambu Lab',
  name: 'PETG HF Red',
  color_hex: 'C12E1FFF',
  remaining_weight_g: 812.4,
  initial_weight_g: 1000,
  lot_number: 'B2405-12',
};

const bare: LabelSpool = {
  qr_code: 'SPL-00000001',
  material: null,
  brand: null,
  name: null,
  color_hex: null,
  remaining_weight_g: null,
  initial_weight_g: null,
  lot_number: null,
};

const LONG_NAME = 'Silk Dual-Colour Gradient Rainbow Extra Glossy Limited Edition Filament '.repeat(4);
const NON_LATIN = '白色 Мрамор Ελληνικά ǅ 🔥 עברית عربي \u202Eevil\u202C';

async function rgba(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

async function decodeQr(png: Buffer): Promise<string | null> {
  const { pixels, width, height } = await rgba(png);
  return jsQR(pixels, width, height)?.data ?? null;
}

function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
}

function mediaBoxes(pdf: Buffer): [number, number][] {
  return Array.from(pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g), (m) => [Number(m[1]), Number(m[2])]);
}

/**
 * Every filled rectangle of a one-page PDF painted black at 8 px per point, so the vector QR code
 * (drawn as `re` rectangles, y pointing down after pdfkit's page transform) can be scanned.
 */
function rasteriseRectangles(pdf: Buffer, width: number, height: number) {
  const scale = 8;
  const pixelsWide = Math.ceil(width * scale);
  const pixelsHigh = Math.ceil(height * scale);
  const pixels = new Uint8ClampedArray(pixelsWide * pixelsHigh * 4).fill(255);
  let from = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', from);
    if (start < 0) break;
    const end = pdf.indexOf('\nendstream', start);
    if (end < 0) break;
    from = end + '\nendstream'.length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start + 'stream\n'.length, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const match of content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)) {
      const [x, y, w, h] = match.slice(1, 5).map((value) => Number(value) * scale) as [number, number, number, number];
      for (let row = Math.round(y); row < Math.round(y + h); row++) {
        for (let col = Math.round(x); col < Math.round(x + w); col++)
          pixels.fill(0, (row * pixelsWide + col) * 4, (row * pixelsWide + col) * 4 + 3);
      }
    }
  }
  return jsQR(pixels, pixelsWide, pixelsHigh)?.data ?? null;
}

function httpCode(run: () => unknown): Promise<string> {
  return Promise.resolve()
    .then(run)
    .then(
      () => 'no error',
      (error: unknown) => (error instanceof HttpError ? error.code : String(error)),
    );
}

describe('LABEL_SIZES', () => {
  it('lists each size once, landscape, with the default among them', () => {
    const ids = LABEL_SIZES.map((size) => size.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(DEFAULT_LABEL_SIZE);
    for (const size of LABEL_SIZES) {
      expect(size.width_mm).toBeGreaterThanOrEqual(size.height_mm);
      expect(size.description).not.toBe('');
    }
  });
});

describe('renderLabelPng', () => {
  it.each(LABEL_SIZES.map((size) => [size.id, size] as const))(
    'draws %s at the physical size, and its QR code scans',
    async (_id, size) => {
      const png = await renderLabelPng(spool, size.id, 300);
      const meta = await sharp(png).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBe(Math.round((size.width_mm / 25.4) * 300));
      expect(meta.height).toBe(Math.round((size.height_mm / 25.4) * 300));
      expect(meta.density).toBe(300);
      expect(await decodeQr(png)).toBe('SPL-1A2B3C4D');
    },
  );

  it('scans at a 203 dpi thermal printer resolution on the smallest label too', async () => {
    const png = await renderLabelPng({ ...spool, qr_code: 'SPL-ZZ99YY88' }, '2x1in', 203);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([406, 203]);
    expect(await decodeQr(png)).toBe('SPL-ZZ99YY88');
  });

  it('paints the spool colour in the swatch, and no swatch without a colour', async () => {
    const hasRed = async (png: Buffer) => {
      const { pixels } = await rgba(png);
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === 0xc1 && pixels[i + 1] === 0x2e && pixels[i + 2] === 0x1f) return true;
      return false;
    };
    expect(await hasRed(await renderLabelPng(spool))).toBe(true);
    expect(await hasRed(await renderLabelPng({ ...spool, color_hex: null }))).toBe(false);
  });

  it('keeps a long name inside the label', async () => {
    const png = await renderLabelPng({ ...spool, name: LONG_NAME, brand: LONG_NAME, material: LONG_NAME }, '50x30', 300);
    const { pixels, width, height } = await rgba(png);
    // The right margin (over 1 mm at 300 dpi) stays white: nothing ran off the edge.
    for (let y = 0; y < height; y++) {
      for (let x = width - 12; x < width; x++) {
        const i = (y * width + x) * 4;
        expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([255, 255, 255]);
      }
    }
    expect(await decodeQr(png)).toBe('SPL-1A2B3C4D');
  });

  it('draws non-Latin text and a spool with nothing but a code', async () => {
    expect(await decodeQr(await renderLabelPng({ ...spool, name: NON_LATIN, brand: NON_LATIN }))).toBe('SPL-1A2B3C4D');
    expect(await decodeQr(await renderLabelPng(bare, 'dk-11209'))).toBe('SPL-00000001');
  });

  it('refuses an unknown size, a missing code and an absurd dpi', async () => {
    expect(await httpCode(() => renderLabelPng(spool, 'a0-poster'))).toBe('label_size_unknown');
    expect(await httpCode(() => renderLabelPng({ ...spool, qr_code: '  ' }))).toBe('bad_request');
    await expect(renderLabelPng(spool, DEFAULT_LABEL_SIZE, 10_000)).rejects.toBeInstanceOf(RangeError);
    await expect(renderLabelPng(spool, DEFAULT_LABEL_SIZE, 150.5)).rejects.toBeInstanceOf(RangeError);
  });
});

describe('labelTexts', () => {
  it('prints every field of a full spool', () => {
    expect(labelTexts(spool, 'dk-11201')).toEqual([
      'PETG',
      'Bambu Lab',
      'PETG HF Red',
      'red #C12E1F',
      '812 / 1000 g',
      'Lot B2405-12',
      'SPL-1A2B3C4D',
    ]);
  });

  it('prints nothing for missing fields, never "null"', () => {
    expect(labelTexts(bare)).toEqual(['SPL-00000001']);
    const partial = labelTexts({
      ...bare,
      material: 'PLA',
      brand: '   ',
      initial_weight_g: 1000,
      remaining_weight_g: Number.NaN,
      color_hex: 'nonsense',
    });
    expect(partial).toEqual(['PLA', '– / 1000 g', 'SPL-00000001']);
    expect(labelTexts({ ...bare, remaining_weight_g: 250 })).toEqual(['250 g', 'SPL-00000001']);
    for (const size of LABEL_SIZES) {
      for (const text of labelTexts({ ...bare, color_hex: '00000000' }, size.id)) expect(text).not.toMatch(/null|undefined|NaN/);
    }
  });

  it('shortens a long name with an ellipsis but never cuts the weight or the code', () => {
    for (const size of LABEL_SIZES) {
      const texts = labelTexts({ ...spool, name: LONG_NAME, remaining_weight_g: 99_999, initial_weight_g: 99_999 }, size.id);
      expect(texts.find((text) => text.startsWith('Silk'))).toMatch(/…$/);
      expect(texts).toContain('99999 / 99999 g');
      expect(texts.at(-1)).toBe('SPL-1A2B3C4D');
    }
  });

  it('replaces what the font cannot draw and drops invisible controls', () => {
    const [name] = labelTexts({ ...bare, name: '白色 Мрамор ǅ 🔥 PLA\u202E\u0000\nSilk' }, 'dk-11201');
    expect(name).toBe('? Мрамор ǅ ? PLA Silk');
  });
});

describe('renderLabelsPdf', () => {
  const batch = (count: number) => Array.from({ length: count }, (_, i) => ({ ...spool, qr_code: `SPL-${String(i).padStart(8, '0')}` }));

  it('puts one label per page of the label size on a roll', async () => {
    const pdf = await renderLabelsPdf(batch(3), 'dk-11209', 'roll');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPages(pdf)).toBe(3);
    for (const [width, height] of mediaBoxes(pdf)) {
      expect(width).toBeCloseTo((62 / 25.4) * 72, 2);
      expect(height).toBeCloseTo((29 / 25.4) * 72, 2);
    }
    const [width = 0, height = 0] = mediaBoxes(pdf)[0] ?? [];
    expect(rasteriseRectangles(await renderLabelsPdf([spool], 'dk-11209', 'roll'), width, height)).toBe('SPL-1A2B3C4D');
    // The text is real text in an embedded DejaVu subset, not Helvetica, which cannot draw Мрамор.
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
  });

  it.each([
    ['a4', 595.28, 841.89],
    ['letter', 612, 792],
  ] as const)('fills %s sheets with a grid of labels', async (layout, width, height) => {
    const pdf = await renderLabelsPdf(batch(30), '50x30', layout);
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThan(5);
    for (const box of mediaBoxes(pdf)) {
      expect(box[0]).toBeCloseTo(width, 1);
      expect(box[1]).toBeCloseTo(height, 1);
    }
  });

  it('prints long and non-Latin names without throwing', async () => {
    const odd = [{ ...spool, name: LONG_NAME, brand: LONG_NAME }, { ...spool, name: NON_LATIN, brand: 'עברית', material: 'بلا' }, bare];
    for (const layout of ['roll', 'a4', 'letter'] as const) {
      const pdf = await renderLabelsPdf(odd, '2x1in', layout);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPages(pdf)).toBe(layout === 'roll' ? 3 : 1);
    }
  });

  it(`takes ${MAX_LABELS_PER_BATCH} labels and refuses more, none, or an unknown size`, async () => {
    const full = await renderLabelsPdf(batch(MAX_LABELS_PER_BATCH), 'dk-11201', 'a4');
    expect(pdfPages(full)).toBe(Math.ceil(MAX_LABELS_PER_BATCH / 16));
    expect(await httpCode(() => renderLabelsPdf(batch(MAX_LABELS_PER_BATCH + 1), 'dk-11201', 'a4'))).toBe('too_many_labels');
    expect(await httpCode(() => renderLabelsPdf([], '50x30', 'roll'))).toBe('bad_request');
    expect(await httpCode(() => renderLabelsPdf([spool], 'huge', 'roll'))).toBe('label_size_unknown');
  });
});
