import { pipeline, type Readable, type Transform, type TransformOptions } from 'node:stream';
import zlib from 'node:zlib';

import yauzl, { type Entry, type ZipFile } from 'yauzl';

import { corrupt, PrintFileError, unsafe, unsupported } from './errors.js';
import { COMPRESSION_RATIO_FLOOR_BYTES, type ParseLimits } from './types.js';

const DEFLATE = 8;
/**
 * Sixteen times zlib's default. Each chunk is a round trip between libuv's pool and the parser;
 * with 16 KiB chunks the round trips cost more than the inflating (measured: 150 MB of model XML
 * inflated in 0.8 s with 16 KiB chunks, 0.26 s with 256 KiB).
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;

/** zlib streams take stream options too (Node passes them on), though its typings do not say so. */
const INFLATE_OPTIONS: zlib.ZlibOptions & TransformOptions = {
  chunkSize: INFLATE_CHUNK_BYTES,
  // Room for a few chunks, so the inflater runs ahead instead of waiting for each to be parsed.
  readableHighWaterMark: 4 * INFLATE_CHUNK_BYTES,
};

/** No print file needs more members than this; a central directory of millions is an attack on memory. */
const MAX_MEMBERS = 100_000;

export interface ArchiveMember {
  /** As stored, with any backslashes turned into slashes. */
  name: string;
  uncompressedSize: number;
  compressedSize: number;
  entry: Entry;
}

/**
 * A ZIP read through yauzl with the checks a server needs before it inflates anything a stranger
 * uploaded. yauzl reads the central directory and hands over each member's stored bytes; this class
 * inflates them itself. yauzl is opened with:
 * - `decodeStrings: false`: yauzl would otherwise refuse an unsafe member name with a plain Error
 *   that cannot be told apart from damage; `memberName` decodes names with yauzl's own decoder and
 *   refuses them as `print_file_unsafe` (absolute paths, `..` segments, also behind backslashes).
 * - `strictFileNames: true` (passed to that decoder), so backslashes survive decoding and are seen.
 * - `validateEntrySizes: false`: this class counts inflated bytes itself, for the same reason — a
 *   member that inflates past its declared size is unsafe, one that ends short is corrupt. The check
 *   is yauzl's, with the two outcomes kept apart; the CRC-32 (which yauzl never checks) is verified
 *   too for every member read to its end.
 * Declared sizes are checked against the limits before any member is opened, and every read stops
 * (destroying the inflater) the moment a member outgrows what it declared, so a bomb is never inflated.
 */
export class ZipArchive {
  private readonly byName = new Map<string, ArchiveMember>();

  private constructor(
    private readonly zip: ZipFile,
    readonly members: readonly ArchiveMember[],
  ) {
    for (const member of members) {
      const key = member.name.toLowerCase();
      if (!this.byName.has(key)) this.byName.set(key, member);
    }
  }

  static async open(filePath: string, limits: ParseLimits): Promise<ZipArchive> {
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(filePath, { autoClose: false, decodeStrings: false, validateEntrySizes: false, strictFileNames: true });
    } catch (error) {
      if (isSystemError(error)) throw error;
      throw corrupt(`The file is not a readable ZIP archive (${messageOf(error)})`);
    }
    try {
      if (zip.entryCount > MAX_MEMBERS) throw unsafe(`The archive lists ${zip.entryCount} members; ODIN reads at most ${MAX_MEMBERS}`);
      const members: ArchiveMember[] = [];
      let declaredTotal = 0;
      for await (const entry of zip.eachEntry()) {
        const name = memberName(entry);
        if (name.endsWith('/')) continue; // a directory
        checkDeclaredRatio(name, entry, limits);
        declaredTotal += entry.uncompressedSize;
        if (declaredTotal > limits.maxUncompressedBytes) {
          throw unsafe(`The archive inflates to more than ${formatBytes(limits.maxUncompressedBytes)}`);
        }
        members.push({ name, uncompressedSize: entry.uncompressedSize, compressedSize: entry.compressedSize, entry });
      }
      return new ZipArchive(zip, members);
    } catch (error) {
      zip.close();
      throw asPrintFileError(error, 'The archive directory');
    }
  }

  /** A member by name, ignoring case as OPC packages (3MF) do. */
  find(name: string): ArchiveMember | undefined {
    return this.byName.get(name.replace(/^\//, '').toLowerCase());
  }

  /** The whole member; refused as unsafe when it declares more than `maxBytes`. */
  async read(member: ArchiveMember, maxBytes: number): Promise<Buffer> {
    if (member.uncompressedSize > maxBytes) {
      throw unsafe(`${member.name} is ${formatBytes(member.uncompressedSize)}; ODIN reads at most ${formatBytes(maxBytes)} of it`);
    }
    const chunks: Buffer[] = [];
    await this.stream(member, (chunk) => void chunks.push(chunk));
    return Buffer.concat(chunks);
  }

  /** Up to `maxBytes` from the start of a member; inflating stops there. */
  async readHead(member: ArchiveMember, maxBytes: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let length = 0;
    await this.consume(member, (chunk) => {
      const room = maxBytes - length;
      chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
      length += Math.min(room, chunk.length);
      return length < maxBytes;
    });
    return Buffer.concat(chunks);
  }

  /** Hands every inflated chunk to `onChunk` in order; the member is checked against its size and CRC-32. */
  async stream(member: ArchiveMember, onChunk: (chunk: Buffer) => void): Promise<void> {
    await this.consume(member, (chunk) => {
      onChunk(chunk);
      return true;
    });
  }

  close(): void {
    this.zip.close();
  }

  /** `onChunk` answers whether it wants more; a member read to its end is checked for length and CRC-32. */
  private async consume(member: ArchiveMember, onChunk: (chunk: Buffer) => boolean): Promise<void> {
    const { entry, name } = member;
    if (entry.isEncrypted()) throw unsupported(`${name} is encrypted`);
    if (!entry.canDecodeFileData()) throw unsupported(`${name} uses a compression method ODIN cannot read (${entry.compressionMethod})`);
    let inflated = 0;
    let crc = 0;
    let raw: Readable | null = null;
    let inflater: Transform | null = null;
    try {
      // yauzl hands over the stored bytes; inflating them here, with larger chunks and room to run
      // ahead, lets the inflater (on libuv's pool) work while the caller parses the previous chunk.
      raw = await this.zip.openReadStreamPromise(entry, { decodeFileData: false });
      let stream: Readable = raw;
      if (entry.compressionMethod === DEFLATE) {
        inflater = zlib.createInflateRaw(INFLATE_OPTIONS);
        stream = pipeline(raw, inflater, () => {});
      }
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > member.uncompressedSize) {
          throw unsafe(`${name} inflates past the ${formatBytes(member.uncompressedSize)} it declares`);
        }
        crc = zlib.crc32(chunk, crc);
        // Leaving the loop destroys the stream, and with it the inflater.
        if (!onChunk(chunk)) return;
      }
    } catch (error) {
      throw asPrintFileError(error, name);
    } finally {
      inflater?.destroy();
      raw?.destroy();
    }
    if (inflated !== member.uncompressedSize) throw corrupt(`${name} ends before its declared size`);
    if (crc !== entry.crc32) throw corrupt(`${name} fails its CRC-32 check`);
  }
}

function memberName(entry: Entry): string {
  const decoded = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  if (decoded.includes('\0')) throw unsafe('A member name contains a NUL character');
  const name = decoded.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw unsafe(`The member name ${JSON.stringify(decoded)} is an absolute path`);
  if (name.split('/').includes('..')) throw unsafe(`The member name ${JSON.stringify(decoded)} leads outside the archive`);
  return name;
}

function checkDeclaredRatio(name: string, entry: Entry, limits: ParseLimits): void {
  if (entry.uncompressedSize <= COMPRESSION_RATIO_FLOOR_BYTES) return;
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (ratio > limits.maxCompressionRatio) {
    throw unsafe(`${name} would inflate ${Math.round(ratio)} times its stored size (at most ${limits.maxCompressionRatio} allowed)`);
  }
}

function asPrintFileError(error: unknown, where: string): Error {
  if (error instanceof PrintFileError) return error;
  return corrupt(`${where} cannot be read (${messageOf(error)})`);
}

/** Errors of the file system (missing file, no permission) are not damage to the file; they pass through. */
function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(2)} KiB`;
  return `${bytes} bytes`;
}
