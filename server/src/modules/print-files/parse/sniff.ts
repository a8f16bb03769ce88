import type { PrintFileKind } from './types.js';

/** How much of the file `parsePrintFile` hands to `sniffPrintFileType`. */
export const SNIFF_BYTES = 64 * 1024;

const ZIP_LOCAL_HEADER = Buffer.from('PK\x03\x04', 'latin1');
const ZIP_EMPTY_ARCHIVE = Buffer.from('PK\x05\x06', 'latin1');
const BGCODE_MAGIC = Buffer.from('GCDE', 'latin1');

/** A G-code command (`G1 X…`, `M104 S200`, `T0`, `N10 G28`), possibly with a trailing comment. */
const COMMAND_LINE = /^(?:N\d+\s*)?[GMT]\d+(?:\.\d+)?(?=$|[\s;*A-Z])/i;
/** A firmware macro as Klipper and RepRapFirmware start G-code use them: `PRINT_START BED=60`. */
const MACRO_LINE = /^[A-Z][A-Z0-9_]*(?:\s+[A-Z0-9_]+=\S*)*\s*(?:;.*)?$/;
/** Comment headers by which the slicers ODIN knows sign their files. */
const SLICER_SIGNATURE = /^;\s*(?:generated (?:by|with)\b|HEADER_BLOCK_START|FLAVOR:|Generated with Cura|BambuStudio\b|OrcaSlicer\b)/i;

/**
 * Which kind of print file `head` (the first bytes of the file, ideally `SNIFF_BYTES`) starts, judged
 * by its content alone. A ZIP is answered as a 3MF; whether it really is one is decided when its
 * members are read. Text counts as G-code when it reads as commands and comments.
 */
export function sniffPrintFileType(head: Buffer): PrintFileKind | null {
  if (startsWith(head, ZIP_LOCAL_HEADER) || startsWith(head, ZIP_EMPTY_ARCHIVE)) return 'threemf';
  if (startsWith(head, BGCODE_MAGIC) || looksLikeDamagedBgcode(head)) return 'bgcode';
  return looksLikeGcode(head) ? 'gcode' : null;
}

/**
 * A binary G-code whose magic was damaged still has its structure: version 1, a known checksum type,
 * and a first block that is file or printer metadata. Recognising it lets the parser call it corrupt,
 * which tells the user more than "not a print file". Random bytes practically never match all of it.
 */
function looksLikeDamagedBgcode(head: Buffer): boolean {
  if (head.length < 24) return false;
  const version = head.readUInt32LE(4);
  const checksumType = head.readUInt16LE(8);
  const firstBlockType = head.readUInt16LE(10);
  const compression = head.readUInt16LE(12);
  const encoding = compression === 0 ? head.readUInt16LE(18) : head.readUInt16LE(22);
  return version === 1 && checksumType <= 1 && (firstBlockType === 0 || firstBlockType === 3) && compression <= 3 && encoding === 0;
}

function startsWith(head: Buffer, magic: Buffer): boolean {
  return head.length >= magic.length && head.subarray(0, magic.length).equals(magic);
}

function looksLikeGcode(head: Buffer): boolean {
  if (head.length === 0 || !isPlainText(head)) return false;
  const lines = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  // The head usually ends mid-line; a cut-off last line proves nothing either way.
  if (lines.length > 1) lines.pop();

  let commands = 0;
  let strangers = 0;
  let signed = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line === '%') continue;
    if (line.startsWith(';')) {
      signed ||= SLICER_SIGNATURE.test(line);
      continue;
    }
    if (COMMAND_LINE.test(line)) commands++;
    else if (!MACRO_LINE.test(line)) strangers++;
  }
  // A stray line of prose among thousands of moves is a hand edit; prose with a few moves is prose.
  const readsAsCommands = commands > 0 && strangers <= commands / 20;
  const onlySignedComments = commands === 0 && strangers === 0 && signed;
  return readsAsCommands || onlySignedComments;
}

/** Binary files give themselves away by NUL bytes and other control characters. */
function isPlainText(head: Buffer): boolean {
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
  }
  return control <= head.length / 1000;
}
