import type { ParsedThumbnail } from './types.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const QOI_MAGIC = Buffer.from('qoif', 'latin1');

/**
 * Reads the kind and size of an image from its own header. Slicers label thumbnails (`thumbnail_JPG`,
 * a `.png` name, a bgcode format field), but the label is only a claim; what is shown and served is
 * what the bytes are. Null for anything that is not a whole-enough PNG, JPEG or QOI.
 */
export function describeImage(data: Buffer): ParsedThumbnail | null {
  if (data.length >= 24 && data.subarray(0, 8).equals(PNG_SIGNATURE) && data.toString('latin1', 12, 16) === 'IHDR') {
    return sized('image/png', data.readUInt32BE(16), data.readUInt32BE(20), data);
  }
  if (data.length >= 14 && data.subarray(0, 4).equals(QOI_MAGIC)) {
    return sized('image/qoi', data.readUInt32BE(4), data.readUInt32BE(8), data);
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    const size = jpegSize(data);
    return size ? sized('image/jpeg', size.width, size.height, data) : null;
  }
  return null;
}

function sized(mime: ParsedThumbnail['mime'], width: number, height: number, data: Buffer): ParsedThumbnail | null {
  return width > 0 && height > 0 ? { mime, width, height, data } : null;
}

/** Start-of-frame markers carry the size; every other segment is skipped by its length. */
function jpegSize(data: Buffer): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return null;
    const marker = data[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan data before any frame
    const length = data.readUInt16BE(offset + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      if (offset + 9 > data.length) return null;
      return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

/**
 * The thumbnail worth showing: the largest PNG or JPEG (browsers show both); QOI only when nothing
 * else exists, since browsers cannot show it without help. Ties keep the earlier candidate, so
 * callers list their preferred images first.
 */
export function pickLargestThumbnail(candidates: Iterable<ParsedThumbnail | null>): ParsedThumbnail | null {
  let best: ParsedThumbnail | null = null;
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (!best || outranks(candidate, best)) best = candidate;
  }
  return best;
}

function outranks(candidate: ParsedThumbnail, current: ParsedThumbnail): boolean {
  const candidateIsQoi = candidate.mime === 'image/qoi';
  const currentIsQoi = current.mime === 'image/qoi';
  if (candidateIsQoi !== currentIsQoi) return currentIsQoi;
  return candidate.width * candidate.height > current.width * current.height;
}
