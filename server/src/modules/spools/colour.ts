import { converter, differenceCiede2000, formatHex, type Lab65, parse, toGamut } from 'culori';

/**
 * Spool colours arrive from people (`fff`, `Dark Green`, `rgb(…)`), from Bambu AMS RFID tags
 * (`RRGGBBAA`) and from Spoolman; everything is stored and compared as upper-case `#RRGGBB`.
 */

/**
 * The largest CIEDE2000 difference (ΔE00) at which two spools still count as "the same colour".
 *
 * ΔE00 ≈ 1 is about a just-noticeable difference side by side (the often-quoted 2.3 is the JND of
 * the older CIE76 ΔE*ab; Sharma & Trussell 1997), and printing trades accept 2–5. Filament is
 * looser than that: the same "Red" differs between batches and brands, and the hex a vendor or an
 * RFID tag reports is a nominal value, not a measurement. Measured on such pairs: Bambu Red #C12E1F
 * vs #D32F2F ≈ 5, white vs ivory ≈ 7, royal vs navy blue ≈ 9, while colours people name
 * differently sit further apart: black vs #333333 ≈ 13, blue vs purple ≈ 13, white vs silver ≈ 14,
 * red vs orange ≈ 22. 10 keeps one family together and keeps neighbouring families apart.
 */
export const DEFAULT_MAX_COLOUR_DISTANCE = 10;

// Longer than any colour anyone types; stops pathological strings before the parser sees them.
const MAX_INPUT_LENGTH = 100;
const HEX_DIGITS = /^(?:#|0x)?([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const WORDS = /^[a-z][a-z\s_-]*$/i;

// Wide-gamut inputs (oklch(), color(display-p3 …)) are brought into sRGB by reducing chroma, as
// CSS Color 4 does, instead of clipping each channel, which shifts the hue.
const intoSrgb = toGamut('rgb', 'oklch');
const toLab = converter('lab65');
const ciede2000 = differenceCiede2000();

interface ReadColour {
  hex: string;
  alpha: number;
}

function readColour(input: string): ReadColour | null {
  const text = input.trim();
  if (text === '' || text.length > MAX_INPUT_LENGTH) return null;
  const digits = HEX_DIGITS.exec(text)?.[1];
  let source: string;
  if (digits !== undefined) source = `#${digits}`;
  // CSS names have no spaces, but people write "Dark Green" or "light-blue".
  else if (WORDS.test(text)) source = text.toLowerCase().replace(/[\s_-]+/g, '');
  else source = text;
  const colour = parse(source);
  if (colour === undefined) return null;
  const hex = formatHex(intoSrgb(colour)).toUpperCase();
  const alpha = colour.alpha ?? 1;
  // Bambu writes 00000000 (and CSS `transparent` is the same value) when the tag knows no colour.
  if (alpha === 0 && hex === '#000000') return null;
  return { hex, alpha };
}

/**
 * The colour as `#RRGGBB`, or null for empty, unreadable or "unknown" (`00000000`) input. Alpha
 * is dropped: a translucent red is matched and shown as red.
 */
export function parseColour(input: string): string | null {
  return readColour(input)?.hex ?? null;
}

function labOf(input: string): Lab65 | null {
  const hex = parseColour(input);
  return hex === null ? null : (toLab(hex) ?? null);
}

/** CIEDE2000 ΔE between two colours (any form parseColour reads); Infinity when one is unreadable. */
export function colourDistance(a: string, b: string): number {
  const labA = labOf(a);
  const labB = labOf(b);
  if (labA === null || labB === null) return Number.POSITIVE_INFINITY;
  return ciede2000(labA, labB);
}

/**
 * The candidate whose colour looks closest to `target` (ΔE00, not string similarity), if it is
 * within `maxDistance`. Candidates without a readable colour are skipped; on a tie the earlier
 * candidate wins, so callers can order by preference.
 */
export function nearestColour<T>(
  target: string,
  candidates: readonly T[],
  colourOf: (candidate: T) => string | null,
  maxDistance: number = DEFAULT_MAX_COLOUR_DISTANCE,
): { item: T; distance: number } | null {
  const targetLab = labOf(target);
  if (targetLab === null) return null;
  let best: { item: T; distance: number } | null = null;
  for (const item of candidates) {
    const colour = colourOf(item);
    const lab = colour === null ? null : labOf(colour);
    if (lab === null) continue;
    const distance = ciede2000(targetLab, lab);
    if (distance <= maxDistance && (best === null || distance < best.distance)) best = { item, distance };
  }
  return best;
}

/** The names colourName answers; English keys that the web app translates. */
export const COLOUR_NAMES = [
  'black',
  'white',
  'grey',
  'silver',
  'red',
  'orange',
  'yellow',
  'gold',
  'green',
  'blue',
  'purple',
  'pink',
  'brown',
  'beige',
  'transparent',
] as const;
export type ColourName = (typeof COLOUR_NAMES)[number];

// Several anchors per name because one point per name misjudges the dark and light ends of a hue
// (navy is blue, not black; sky blue is blue, not white). Anchors are common filament colours
// and CSS colours people agree on.
const ANCHOR_HEXES: Record<Exclude<ColourName, 'transparent'>, readonly string[]> = {
  black: ['#000000', '#1C1C1C'],
  white: ['#FFFFFF'],
  grey: ['#404040', '#808080', '#8E9089'],
  silver: ['#C0C0C0', '#A6A9AA'],
  red: ['#FF0000', '#C12E1F', '#B00000', '#8B0000', '#DC143C'],
  orange: ['#FF8000', '#FF6A13', '#FFA500'],
  yellow: ['#FFFF00', '#F4EE2A', '#FFD700', '#FFFF99', '#FFFFE0'],
  gold: ['#D4AF37', '#B8860B', '#E4BD68'],
  green: ['#00FF00', '#00AE42', '#008000', '#006400', '#90EE90', '#808000', '#20B2AA'],
  blue: ['#0000FF', '#000080', '#0A2989', '#4169E1', '#0086D6', '#00FFFF', '#87CEEB'],
  purple: ['#800080', '#5E43B7', '#8A2BE2', '#4B0082', '#B19CD9', '#BA55D3'],
  pink: ['#FFC0CB', '#FF69B4', '#EC008C', '#FF00FF'],
  brown: ['#8B4513', '#5C4033', '#A0522D', '#9D432C'],
  beige: ['#F5F5DC', '#E8D8B0', '#D2B48C'],
};
const ANCHORS = Object.entries(ANCHOR_HEXES).flatMap(([name, hexes]) =>
  hexes.flatMap((hex) => {
    const lab = toLab(hex);
    return lab === undefined ? [] : [{ name: name as ColourName, lab }];
  }),
);

/**
 * A short English name for a colour, for labels and alerts, or null when the input is no colour.
 * An 8-digit hex with alpha 00 but a colour (a clear filament's tint) is `transparent`.
 */
export function colourName(input: string): ColourName | null {
  const colour = readColour(input);
  if (colour === null) return null;
  if (colour.alpha === 0) return 'transparent';
  const lab = toLab(colour.hex);
  if (lab === undefined) return null;
  let best = { name: 'black' as ColourName, distance: Number.POSITIVE_INFINITY };
  for (const anchor of ANCHORS) {
    const distance = ciede2000(lab, anchor.lab);
    if (distance < best.distance) best = { name: anchor.name, distance };
  }
  return best.name;
}
