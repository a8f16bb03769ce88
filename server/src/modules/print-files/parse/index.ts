import fs from 'node:fs/promises';

import { parseBgcodeFile } from './bgcode.js';
import { unsupported } from './errors.js';
import { parseGcodeFile } from './gcode-text.js';
import { SNIFF_BYTES, sniffPrintFileType } from './sniff.js';
import { parseThreeMfFile } from './threemf.js';
import { DEFAULT_PARSE_LIMITS, type ParsedPrintFile, type ParseLimits } from './types.js';

export { PrintFileError, type PrintFileErrorCode } from './errors.js';
export { sniffPrintFileType } from './sniff.js';
export type {
  MeshBounds,
  ParsedFilament,
  ParsedMesh,
  ParsedPlate,
  ParsedPrintFile,
  ParsedThumbnail,
  ParseLimits,
  PrintFileKind,
} from './types.js';
export { DEFAULT_PARSE_LIMITS } from './types.js';

/**
 * Reads what an uploaded print file (3MF project or `.gcode.3mf`, text G-code, Prusa binary G-code)
 * says about the print: slicer, time, material per filament, thumbnail, plates and a preview mesh.
 * The kind is judged by content, never by the file name. Nothing is written to disk.
 *
 * Throws `PrintFileError` with `print_file_type_unsupported` (not a print file), `print_file_corrupt`
 * (damaged, truncated, failed checksums, malformed numbers) or `print_file_unsafe` (an archive that
 * inflates past `limits`, or names paths outside itself). File-system errors (a missing file) pass
 * through unchanged.
 */
export async function parsePrintFile(filePath: string, limits: Partial<ParseLimits> = {}): Promise<ParsedPrintFile> {
  const effectiveLimits: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...definedOnly(limits) };
  const kind = sniffPrintFileType(await readHead(filePath));
  switch (kind) {
    case 'threemf':
      return parseThreeMfFile(filePath, effectiveLimits);
    case 'gcode':
      return parseGcodeFile(filePath);
    case 'bgcode':
      return parseBgcodeFile(filePath);
    case null:
      throw unsupported('The file is not a 3MF, G-code or binary G-code file');
  }
}

async function readHead(filePath: string): Promise<Buffer> {
  const handle = await fs.open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** `{ maxMeshTriangles: undefined }` means "the default", not "no limit". */
function definedOnly(limits: Partial<ParseLimits>): Partial<ParseLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}
