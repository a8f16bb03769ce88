import fs from 'node:fs/promises';

import { type GcodeComments, readGcodeComments, summarizeGcode } from './gcode-comments.js';
import type { ParsedPrintFile } from './types.js';

/** Slicers put thumbnails and Bambu/Orca header blocks at the top… */
export const GCODE_HEAD_BYTES = 512 * 1024;
/** …and PrusaSlicer, SuperSlicer and OrcaSlicer their statistics and config block at the end. */
export const GCODE_TAIL_BYTES = 1024 * 1024;
/** A head is read further only to finish a thumbnail it cut off, and never past this. */
const MAX_HEAD_BYTES = 16 * 1024 * 1024;

/**
 * Reads a text G-code's metadata from its first and last bytes only: the middle of a 200 MB file is
 * moves, and reading it would cost seconds for nothing. A G-code without any metadata comments is
 * still a G-code; it parses to nulls.
 */
export async function parseGcodeFile(filePath: string): Promise<ParsedPrintFile> {
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    let headBytes = GCODE_HEAD_BYTES;
    for (;;) {
      const whole = size <= headBytes + GCODE_TAIL_BYTES;
      const head = await readAt(handle, 0, whole ? size : headBytes);
      const headText = head.toString('utf8');
      const tailText = whole ? null : tailLines(await readAt(handle, size - GCODE_TAIL_BYTES, GCODE_TAIL_BYTES));
      const comments = readGcodeComments(...(tailText == null ? [headText] : [headText, tailText]));
      if (comments.thumbnailCutOff && !whole && headBytes < MAX_HEAD_BYTES) {
        headBytes = Math.min(headBytes * 4, MAX_HEAD_BYTES);
        continue;
      }
      return gcodeResult(comments);
    }
  } finally {
    await handle.close();
  }
}

export function gcodeResult(comments: GcodeComments): ParsedPrintFile {
  return { kind: 'gcode', project_name: null, ...summarizeGcode(comments), plates: [], mesh: null };
}

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The tail starts mid-line (and maybe mid-character); only whole lines after the first break count. */
function tailLines(tail: Buffer): string {
  const firstBreak = tail.indexOf(0x0a);
  return tail.subarray(firstBreak + 1).toString('utf8');
}
