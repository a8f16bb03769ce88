export type ImageKind = 'png' | 'jpg' | 'webp' | 'svg' | 'ico';

export const CONTENT_TYPES: Record<ImageKind, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

/** What the bytes really are (the client's declared type is not trusted), or null. */
export function detectImage(bytes: Buffer): ImageKind | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0) return 'ico';
  const head = bytes
    .toString('utf8', 0, Math.min(bytes.length, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'svg';
  return null;
}

/**
 * SVG logos are shown inside the app, so one that carries script, event handlers, external
 * references or embedded HTML is refused rather than cleaned.
 */
export function svgProblem(bytes: Buffer): string | null {
  const text = bytes.toString('utf8');
  if (/<script[\s>]/i.test(text)) return 'SVG must not contain scripts';
  if (/\son[a-z]+\s*=/i.test(text)) return 'SVG must not contain event handlers';
  if (/javascript:/i.test(text)) return 'SVG must not contain javascript: links';
  if (/<foreignObject[\s>]/i.test(text)) return 'SVG must not embed HTML';
  if (/<!ENTITY/i.test(text)) return 'SVG must not declare entities';
  if (/(?:xlink:)?href\s*=\s*["']\s*(?!#|data:image\/)/i.test(text)) return 'SVG must not reference external resources';
  return null;
}
