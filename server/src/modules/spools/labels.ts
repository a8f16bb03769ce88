import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

import { create as createFont, type Font, type FontCollection, type Glyph } from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import sharp from 'sharp';

import { badRequest, HttpError } from '../../core/errors.js';
import { colourName, parseColour } from './colour.js';

/** What a label shows of a spool; the spools module maps its rows onto this. */
export interface LabelSpool {
  qr_code: string;
  material: string | null;
  brand: string | null;
  name: string | null;
  color_hex: string | null;
  remaining_weight_g: number | null;
  initial_weight_g: number | null;
  lot_number: string | null;
}

export type LabelSizeId = '50x30' | 'dk-11209' | 'dk-11201' | 'dk-22205' | 'dymo-11354' | '2x1in';

/** A label stock, measured as the label is read (landscape: width ≥ height). */
export interface LabelSize {
  id: LabelSizeId;
  description: string;
  width_mm: number;
  height_mm: number;
}

export const LABEL_SIZES: readonly LabelSize[] = [
  { id: '50x30', description: '50 × 30 mm thermal label (Niimbot, Phomemo and most small thermal printers)', width_mm: 50, height_mm: 30 },
  { id: 'dk-11209', description: 'Brother DK-11209 small address label, 29 × 62 mm', width_mm: 62, height_mm: 29 },
  { id: 'dk-11201', description: 'Brother DK-11201 standard address label, 29 × 90 mm', width_mm: 90, height_mm: 29 },
  { id: 'dk-22205', description: 'Brother DK-22205 continuous 62 mm tape, cut at 40 mm', width_mm: 62, height_mm: 40 },
  { id: 'dymo-11354', description: 'Dymo 11354 / 30334 multi-purpose label, 57 × 32 mm', width_mm: 57, height_mm: 32 },
  {
    id: '2x1in',
    description: '2 × 1 in thermal label (Zebra and other desktop thermal printers), 50.8 × 25.4 mm',
    width_mm: 50.8,
    height_mm: 25.4,
  },
];

export const DEFAULT_LABEL_SIZE: LabelSizeId = '50x30';

/** More is refused (`too_many_labels`): 500 labels are 20–30 A4 sheets and about a second of work. */
export const MAX_LABELS_PER_BATCH = 500;

export type LabelLayoutKind = 'roll' | 'a4' | 'letter';

// A longer payload makes the modules too small to scan on a 25 mm label.
const MAX_QR_PAYLOAD = 64;
const MIN_DPI = 72;
const MAX_DPI = 1200;

/** The label size with this id; `label_size_unknown` for anything else. */
export function labelSize(id: string): LabelSize {
  const size = LABEL_SIZES.find((candidate) => candidate.id === id);
  if (size === undefined)
    throw badRequest(
      'label_size_unknown',
      `No label size ${JSON.stringify(id.slice(0, 40))}; known: ${LABEL_SIZES.map((s) => s.id).join(', ')}`,
    );
  return size;
}

// ---- Font ------------------------------------------------------------------------------------------
//
// Text is drawn from a font file shipped in an npm package, never a system font: the server may run
// in a container without fonts, and a PNG must look the same everywhere. DejaVu Sans covers Latin,
// Greek, Cyrillic, Hebrew and Arabic; fontkit turns it into glyph outlines for the PNG (rendered by
// sharp as SVG paths, so fontconfig is never asked) and pdfkit embeds a subset of it in the PDF.

interface LabelFont {
  data: Buffer;
  font: Font;
  paths: Map<number, string>;
}

type Weight = 'regular' | 'bold';

// Fontsource calls these files "latin", but they hold all of DejaVu Sans (6,253 glyphs).
const FONT_FILES: Record<Weight, string> = {
  regular: '@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff',
  bold: '@fontsource/dejavu-sans/files/dejavu-sans-latin-700-normal.woff',
};

const fonts = new Map<Weight, LabelFont>();

function isFont(font: Font | FontCollection): font is Font {
  return font.type === 'TTF' || font.type === 'WOFF' || font.type === 'WOFF2';
}

const WOFF_SIGNATURE = 0x774f4646;

/**
 * The WOFF 1.0 file as the plain TrueType font it wraps. fontkit inflates a WOFF table again on
 * every read (with a JavaScript inflate), which made one PDF take over a second; unpacked once
 * with zlib, the same font lays out and subsets in milliseconds.
 */
function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== WOFF_SIGNATURE) return woff;
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, index) => {
    const entry = 44 + index * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const stored = woff.subarray(offset, offset + woff.readUInt32BE(entry + 8));
    const length = woff.readUInt32BE(entry + 12);
    const data = stored.length < length ? inflateSync(stored) : stored;
    if (data.length !== length) throw new Error('Damaged WOFF table');
    return { tag: woff.readUInt32BE(entry), checksum: woff.readUInt32BE(entry + 16), data };
  });
  const padded = (length: number) => Math.ceil(length / 4) * 4;
  const headerLength = 12 + 16 * count;
  const sfnt = Buffer.alloc(headerLength + tables.reduce((sum, table) => sum + padded(table.data.length), 0));
  const selector = Math.floor(Math.log2(count));
  sfnt.writeUInt32BE(woff.readUInt32BE(4), 0);
  sfnt.writeUInt16BE(count, 4);
  sfnt.writeUInt16BE(2 ** selector * 16, 6);
  sfnt.writeUInt16BE(selector, 8);
  sfnt.writeUInt16BE(count * 16 - 2 ** selector * 16, 10);
  // WOFF keeps the tables sorted by tag, as the sfnt directory must be.
  let offset = headerLength;
  tables.forEach((table, index) => {
    const record = 12 + 16 * index;
    sfnt.writeUInt32BE(table.tag, record);
    sfnt.writeUInt32BE(table.checksum, record + 4);
    sfnt.writeUInt32BE(offset, record + 8);
    sfnt.writeUInt32BE(table.data.length, record + 12);
    table.data.copy(sfnt, offset);
    offset += padded(table.data.length);
  });
  return sfnt;
}

function loadFont(weight: Weight): LabelFont {
  const cached = fonts.get(weight);
  if (cached !== undefined) return cached;
  const data = woffToSfnt(readFileSync(createRequire(import.meta.url).resolve(FONT_FILES[weight])));
  const font = createFont(data);
  if (!isFont(font)) throw new Error(`${FONT_FILES[weight]} is a font collection, not a font`);
  const loaded = { data, font, paths: new Map<number, string>() };
  fonts.set(weight, loaded);
  return loaded;
}

const REPLACEMENT = '?';
const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The text as the font can draw it: line breaks and invisible controls (including bidi overrides)
 * become spaces or vanish, a letter the font lacks falls back to its unaccented form (ǅ → Dž is kept,
 * Ṩ → S if only S exists), and a run of letters it cannot draw at all (CJK, emoji) becomes one "?"
 * so "白色 PLA" prints as "? PLA" rather than a row of boxes.
 */
function drawable(font: Font, raw: string): string {
  const text = raw.normalize('NFC').replace(/[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ');
  let out = '';
  let replacing = false;
  const has = (char: string) => font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0);
  for (const char of text) {
    if (char === ' ' || has(char)) {
      out += char;
      replacing = false;
      continue;
    }
    if (/\p{M}/u.test(char)) continue;
    const folded = char.normalize('NFKD').replace(/\p{M}/gu, '');
    if (folded !== '' && [...folded].every(has)) {
      out += folded;
      replacing = false;
      continue;
    }
    if (!replacing) out += REPLACEMENT;
    replacing = true;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

function textWidth(font: Font, text: string, size: number): number {
  return (font.layout(text).advanceWidth / font.unitsPerEm) * size;
}

/**
 * The largest size (down to `minSize`) at which the text fits `maxWidth`; below that it is cut at
 * a grapheme boundary and ends in an ellipsis.
 */
function fitText(font: Font, text: string, size: number, minSize: number, maxWidth: number): { text: string; size: number } {
  const width = textWidth(font, text, size);
  if (width <= maxWidth) return { text, size };
  const shrunk = (size * maxWidth) / width;
  if (shrunk >= minSize) return { text, size: shrunk };
  const parts = Array.from(graphemes.segment(text), (part) => part.segment);
  const cut = (count: number) => parts.slice(0, count).join('').trimEnd() + ELLIPSIS;
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (textWidth(font, cut(middle), minSize) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return { text: low === 0 ? '' : cut(low), size: minSize };
}

// ---- Layout ----------------------------------------------------------------------------------------
//
// One layout, in millimetres from the label's top left corner, drawn by two back ends (SVG for the
// PNG, pdfkit for the PDF), so the preview and the print agree.

interface TextRun {
  text: string;
  weight: Weight;
  x: number;
  baseline: number;
  size: number;
}

interface Swatch {
  x: number;
  y: number;
  side: number;
  hex: string;
}

interface QrPlacement {
  x: number;
  y: number;
  module: number;
  /** Dark runs per row, as [row, firstColumn, length], so each run is one rectangle. */
  runs: [number, number, number][];
}

interface Layout {
  width: number;
  height: number;
  qr: QrPlacement;
  swatch: Swatch | null;
  texts: TextRun[];
}

// The standard asks for 4 modules of quiet zone; the label's own margin adds to these 2, and
// phone cameras read version 1–2 symbols with less.
const QR_QUIET_MODULES = 2;
const LINE_HEIGHT = 1.2;
// Below ~4.8 pt thermal printers at 203 dpi smear the letters.
const MIN_FONT_MM = 1.7;
// A cut weight or code ("812 / 10…") misleads, so those shrink further before they are cut.
const NUMBER_MIN_FONT_MM = 1.2;
const SWATCH_STROKE_MM = 0.15;

const CODE_SCALE = 1;
const MAX_LINES_AT_FULL_SIZE = 6.5;

interface LinePlan {
  key: 'material' | 'brand' | 'name' | 'colour' | 'weight' | 'lot';
  text: string;
  weight: Weight;
  scale: number;
}

// What a small label leaves out first: the lot and the brand matter least once the spool is in
// ODIN (the QR code leads to them); material and weight are what people look for on the shelf.
const DROP_ORDER: readonly LinePlan['key'][] = ['lot', 'brand', 'colour', 'name', 'weight', 'material'];

function qrPlacement(payload: string, x: number, y: number, side: number): QrPlacement {
  const modules = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules;
  const count = modules.size;
  const module = side / (count + 2 * QR_QUIET_MODULES);
  const runs: [number, number, number][] = [];
  for (let row = 0; row < count; row++) {
    let start = -1;
    for (let col = 0; col <= count; col++) {
      const dark = col < count && modules.get(row, col) !== 0;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push([row, start, col - start]);
        start = -1;
      }
    }
  }
  return { x: x + QR_QUIET_MODULES * module, y: y + QR_QUIET_MODULES * module, module, runs };
}

function present(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function grams(value: number | null): string | null {
  return value !== null && Number.isFinite(value) && value >= 0 ? String(Math.round(value)) : null;
}

function weightText(spool: LabelSpool): string | null {
  const remaining = grams(spool.remaining_weight_g);
  const initial = grams(spool.initial_weight_g);
  if (remaining !== null && initial !== null) return `${remaining} / ${initial} g`;
  if (remaining !== null) return `${remaining} g`;
  if (initial !== null) return `– / ${initial} g`;
  return null;
}

function layoutLabel(spool: LabelSpool, size: LabelSize): Layout {
  const { width_mm: width, height_mm: height } = size;
  const margin = Math.min(3, Math.max(1.2, height * 0.06));
  const qrSide = Math.min(height - 2 * margin, width * 0.45);
  const qr = qrPlacement(spool.qr_code, margin, (height - qrSide) / 2, qrSide);

  const columnX = margin + qrSide + 0.5;
  const columnWidth = width - margin - columnX;
  const columnTop = margin;
  const columnBottom = height - margin;
  const columnHeight = columnBottom - columnTop;

  const hex = spool.color_hex === null ? null : parseColour(spool.color_hex);
  const name = spool.color_hex === null ? null : colourName(spool.color_hex);
  const lotNumber = present(spool.lot_number);
  const regular = loadFont('regular').font;
  const bold = loadFont('bold').font;
  const fontOf = (weight: Weight) => (weight === 'bold' ? bold : regular);

  const candidates: (LinePlan | null)[] = [
    lineOf('material', spool.material, 'bold', 1.35),
    lineOf('brand', spool.brand, 'regular', 1),
    lineOf('name', spool.name, 'regular', 1),
    hex === null ? null : { key: 'colour', text: name === null ? hex : `${name} ${hex}`, weight: 'regular', scale: 0.9 },
    lineOf('weight', weightText(spool), 'bold', 1.1),
    lotNumber === null ? null : { key: 'lot', text: `Lot ${lotNumber}`, weight: 'regular', scale: 0.8 },
  ];
  const lines = candidates
    .filter((line): line is LinePlan => line !== null)
    .map((line) => ({ ...line, text: drawable(fontOf(line.weight), line.text) }))
    .filter((line) => line.text !== '');
  const code = drawable(bold, spool.qr_code);

  // One em for every line, as large as the column allows but capped, so a label with two lines
  // does not print them in headline size. While even that em would be unreadable, the least
  // needed line goes.
  const emFor = () =>
    Math.min(
      columnHeight / MAX_LINES_AT_FULL_SIZE,
      columnHeight / (LINE_HEIGHT * (CODE_SCALE + lines.reduce((sum, l) => sum + l.scale, 0))),
    );
  while (emFor() < MIN_FONT_MM && lines.length > 0) {
    const dropped = DROP_ORDER.find((key) => lines.some((line) => line.key === key));
    lines.splice(
      lines.findIndex((line) => line.key === dropped),
      1,
    );
  }
  const em = emFor();

  const ascent = regular.ascent / regular.unitsPerEm;
  const descent = -regular.descent / regular.unitsPerEm;
  const leading = (LINE_HEIGHT - ascent - descent) / 2;
  const texts: TextRun[] = [];
  let swatch: Swatch | null = null;
  let top = columnTop;
  for (const line of lines) {
    const fontSize = em * line.scale;
    const baseline = top + (leading + ascent) * fontSize;
    let x = columnX;
    if (line.key === 'colour' && hex !== null) {
      const side = fontSize * 0.8;
      swatch = { x: columnX + SWATCH_STROKE_MM / 2, y: baseline - side * 0.95, side, hex };
      x = columnX + side + fontSize * 0.4;
    }
    const minSize = line.key === 'weight' ? NUMBER_MIN_FONT_MM : Math.max(MIN_FONT_MM, fontSize * 0.75);
    const fitted = fitText(fontOf(line.weight), line.text, fontSize, minSize, columnX + columnWidth - x);
    if (fitted.text !== '') texts.push({ text: fitted.text, weight: line.weight, x, baseline, size: fitted.size });
    top += fontSize * LINE_HEIGHT;
  }
  // The code sits at the bottom of the column, under everything else, whatever is missing above.
  const codeSize = em * CODE_SCALE;
  const fittedCode = fitText(bold, code, codeSize, NUMBER_MIN_FONT_MM, columnWidth);
  if (fittedCode.text !== '') {
    texts.push({
      text: fittedCode.text,
      weight: 'bold',
      x: columnX,
      baseline: columnBottom - descent * fittedCode.size,
      size: fittedCode.size,
    });
  }
  return { width, height, qr, swatch, texts };
}

/** The lines of text a label prints, top to bottom, after fitting; for previews, screen readers and tests. */
export function labelTexts(spool: LabelSpool, sizeId: string = DEFAULT_LABEL_SIZE): string[] {
  return layoutLabel(spool, labelSize(sizeId)).texts.map((run) => run.text);
}

function lineOf(key: LinePlan['key'], value: string | null, weight: Weight, scale: number): LinePlan | null {
  const text = present(value);
  return text === null ? null : { key, text, weight, scale };
}

function checkBatch(spools: readonly LabelSpool[]): void {
  if (spools.length === 0) throw badRequest('bad_request', 'No spools to print labels for');
  if (spools.length > MAX_LABELS_PER_BATCH) {
    throw new HttpError(400, 'too_many_labels', `${spools.length} labels asked for; at most ${MAX_LABELS_PER_BATCH} per batch`);
  }
  for (const spool of spools) {
    const length = spool.qr_code.trim().length;
    if (length === 0 || length > MAX_QR_PAYLOAD)
      throw badRequest('bad_request', 'A spool has no QR code to print, or one too long for a label');
  }
}

// ---- PNG (via SVG) ---------------------------------------------------------------------------------

const num = (value: number) => String(Math.round(value * 10_000) / 10_000);

const escapeXml = (value: string) => value.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);

interface Outline {
  d: string;
  dx: number;
  dy: number;
}

/** The run's glyph outlines in font units from its origin, y up, as fontkit shaped them. */
function outlines(run: TextRun): { outlines: Outline[]; unitsPerEm: number } {
  const font = loadFont(run.weight);
  const glyphRun = font.font.layout(run.text);
  const result: Outline[] = [];
  let pen = 0;
  glyphRun.glyphs.forEach((glyph: Glyph, index) => {
    const position = glyphRun.positions[index];
    let d = font.paths.get(glyph.id);
    if (d === undefined) {
      d = glyph.path.toSVG();
      font.paths.set(glyph.id, d);
    }
    if (d !== '') result.push({ d, dx: pen + (position?.xOffset ?? 0), dy: position?.yOffset ?? 0 });
    pen += position?.xAdvance ?? glyph.advanceWidth;
  });
  return { outlines: result, unitsPerEm: font.font.unitsPerEm };
}

function svgText(run: TextRun): string {
  const { outlines: glyphs, unitsPerEm } = outlines(run);
  const scale = run.size / unitsPerEm;
  const paths = glyphs.map((glyph) => `<path transform="translate(${num(glyph.dx)} ${num(glyph.dy)})" d="${glyph.d}"/>`).join('');
  // Font units point up; the label's millimetres point down.
  return `<g transform="translate(${num(run.x)} ${num(run.baseline)}) scale(${num(scale)} ${num(-scale)})"><title>${escapeXml(run.text)}</title>${paths}</g>`;
}

function layoutSvg(layout: Layout, widthPx: number, heightPx: number): string {
  const { qr, swatch } = layout;
  const qrPath = qr.runs
    .map(
      ([row, col, length]) =>
        `M${num(qr.x + col * qr.module)} ${num(qr.y + row * qr.module)}h${num(length * qr.module)}v${num(qr.module)}h${num(-length * qr.module)}z`,
    )
    .join('');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${num(layout.width)} ${num(layout.height)}" preserveAspectRatio="none">`,
    `<rect width="${num(layout.width)}" height="${num(layout.height)}" fill="#FFFFFF"/>`,
    `<path fill="#000000" shape-rendering="crispEdges" d="${qrPath}"/>`,
  ];
  if (swatch !== null) {
    parts.push(
      `<rect x="${num(swatch.x)}" y="${num(swatch.y)}" width="${num(swatch.side)}" height="${num(swatch.side)}" fill="${swatch.hex}" stroke="#000000" stroke-width="${SWATCH_STROKE_MM}"/>`,
    );
  }
  parts.push(`<g fill="#000000">${layout.texts.map(svgText).join('')}</g>`, '</svg>');
  return parts.join('');
}

/** One label as a PNG of the label's physical size at `dpi`, for previews and printers that take images. */
export async function renderLabelPng(spool: LabelSpool, sizeId: string = DEFAULT_LABEL_SIZE, dpi = 300): Promise<Buffer> {
  if (!Number.isInteger(dpi) || dpi < MIN_DPI || dpi > MAX_DPI)
    throw new RangeError(`dpi must be an integer from ${MIN_DPI} to ${MAX_DPI}`);
  const size = labelSize(sizeId);
  checkBatch([spool]);
  const widthPx = Math.round((size.width_mm / 25.4) * dpi);
  const heightPx = Math.round((size.height_mm / 25.4) * dpi);
  const svg = layoutSvg(layoutLabel(spool, size), widthPx, heightPx);
  return sharp(Buffer.from(svg)).flatten({ background: '#FFFFFF' }).withDensity(dpi).png({ compressionLevel: 9 }).toBuffer();
}

// ---- PDF -------------------------------------------------------------------------------------------

const POINTS_PER_MM = 72 / 25.4;

const SHEETS: Record<Exclude<LabelLayoutKind, 'roll'>, { width: number; height: number }> = {
  a4: { width: 210, height: 297 },
  letter: { width: 215.9, height: 279.4 },
};
// Office printers leave 4–6 mm unprinted at the edges; the gap lets each label be cut out alone.
const SHEET_MARGIN_MM = 10;
const SHEET_GAP_MM = 4;

function drawLayout(doc: PDFKit.PDFDocument, layout: Layout, originX: number, originY: number): void {
  const at = (x: number, y: number) => [(originX + x) * POINTS_PER_MM, (originY + y) * POINTS_PER_MM] as const;
  const { qr, swatch } = layout;
  for (const [row, col, length] of qr.runs) {
    const [x, y] = at(qr.x + col * qr.module, qr.y + row * qr.module);
    doc.rect(x, y, length * qr.module * POINTS_PER_MM, qr.module * POINTS_PER_MM);
  }
  doc.fill('#000000');
  if (swatch !== null) {
    const [x, y] = at(swatch.x, swatch.y);
    const side = swatch.side * POINTS_PER_MM;
    doc
      .rect(x, y, side, side)
      .lineWidth(SWATCH_STROKE_MM * POINTS_PER_MM)
      .fillAndStroke(swatch.hex, '#000000');
  }
  doc.fillColor('#000000');
  for (const run of layout.texts) {
    const [x, y] = at(run.x, run.baseline);
    if (RIGHT_TO_LEFT.test(run.text)) {
      drawOutlines(doc, run, x, y);
      continue;
    }
    doc
      .font(run.weight)
      .fontSize(run.size * POINTS_PER_MM)
      .text(run.text, x, y, { lineBreak: false, baseline: 'alphabetic' });
  }
}

// pdfkit lays right-to-left words out left to right ("אדום פלסטיק" comes out in the wrong word
// order), so such lines are drawn as the same outlines as in the PNG. Everything else stays real
// text: a subset font is smaller than outlines and lets people search the PDF for a code.
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

function drawOutlines(doc: PDFKit.PDFDocument, run: TextRun, x: number, y: number): void {
  const { outlines: glyphs, unitsPerEm } = outlines(run);
  const scale = (run.size * POINTS_PER_MM) / unitsPerEm;
  // A path cannot span a change of transform, so each glyph is filled on its own.
  for (const glyph of glyphs) {
    doc
      .save()
      .transform(scale, 0, 0, -scale, x + glyph.dx * scale, y - glyph.dy * scale)
      .path(glyph.d)
      .fill('#000000')
      .restore();
  }
}

function drawCutGuide(doc: PDFKit.PDFDocument, x: number, y: number, size: LabelSize): void {
  doc
    .save()
    .lineWidth(0.3)
    .dash(2, { space: 2 })
    .strokeColor('#B0B0B0')
    .rect(x * POINTS_PER_MM, y * POINTS_PER_MM, size.width_mm * POINTS_PER_MM, size.height_mm * POINTS_PER_MM)
    .stroke()
    .undash()
    .restore();
}

/**
 * Labels as a PDF with vector QR codes: `roll` puts each label on a page of its own size (label
 * printers), `a4` and `letter` put as many as fit on each sheet, with dashed cut lines.
 */
export async function renderLabelsPdf(
  spools: readonly LabelSpool[],
  sizeId: string = DEFAULT_LABEL_SIZE,
  layout: LabelLayoutKind = 'roll',
): Promise<Buffer> {
  const size = labelSize(sizeId);
  checkBatch(spools);
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: 'Spool labels', Creator: 'ODIN' } });
  doc.registerFont('regular', loadFont('regular').data);
  doc.registerFont('bold', loadFont('bold').data);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  if (layout === 'roll') {
    for (const spool of spools) {
      doc.addPage({ size: [size.width_mm * POINTS_PER_MM, size.height_mm * POINTS_PER_MM], margin: 0 });
      drawLayout(doc, layoutLabel(spool, size), 0, 0);
    }
  } else {
    const sheet = SHEETS[layout];
    const fits = (space: number, length: number) =>
      Math.max(1, Math.floor((space - 2 * SHEET_MARGIN_MM + SHEET_GAP_MM) / (length + SHEET_GAP_MM)));
    const columns = fits(sheet.width, size.width_mm);
    const rows = fits(sheet.height, size.height_mm);
    // Centred, so the unprinted strip an office printer leaves is the same on both sides.
    const left = (sheet.width - (columns * size.width_mm + (columns - 1) * SHEET_GAP_MM)) / 2;
    const top = (sheet.height - (rows * size.height_mm + (rows - 1) * SHEET_GAP_MM)) / 2;
    spools.forEach((spool, index) => {
      const slot = index % (columns * rows);
      if (slot === 0) doc.addPage({ size: [sheet.width * POINTS_PER_MM, sheet.height * POINTS_PER_MM], margin: 0 });
      const x = left + (slot % columns) * (size.width_mm + SHEET_GAP_MM);
      const y = top + Math.floor(slot / columns) * (size.height_mm + SHEET_GAP_MM);
      drawCutGuide(doc, x, y, size);
      drawLayout(doc, layoutLabel(spool, size), x, y);
    });
  }
  doc.end();
  return done;
}
