/** Colour helpers for the branding editor: validation and a readability check for brand buttons. */
const HEX = /^#[0-9a-fA-F]{6}$/;

export function isHexColor(value: string): boolean {
  return HEX.test(value);
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of #RRGGBB. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Primary buttons put near-black text (slate-950) on the primary colour; below 4.5:1 it is hard to read. */
export const BUTTON_TEXT = '#020617';
export function readableOnPrimary(primary: string): boolean {
  return !isHexColor(primary) || contrastRatio(primary, BUTTON_TEXT) >= 4.5;
}
