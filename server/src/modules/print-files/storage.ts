import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { ParsedMesh, ParsedThumbnail } from './parse/index.js';

const EXTENSIONS = { threemf: '3mf', gcode: 'gcode', bgcode: 'bgcode' } as const;
const IMAGE_EXTENSIONS: Record<ParsedThumbnail['mime'], string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/qoi': 'qoi' };

export class UploadTooLarge extends Error {}

/**
 * Print files on disk under `<data>/print-files`: uploads stream into `.incoming/` (removed on every
 * failure, swept at start for a crash mid-upload), then move to `<uuid>.<ext>` beside a folder
 * `<uuid>/` with the thumbnails and the preview mesh.
 */
export class PrintFileStorage {
  readonly root: string;
  readonly #incoming: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'print-files');
    this.#incoming = path.join(this.root, '.incoming');
  }

  async init(): Promise<void> {
    await fsp.rm(this.#incoming, { recursive: true, force: true });
    await fsp.mkdir(this.#incoming, { recursive: true });
  }

  /** Streams an upload to a temporary file; stops at `maxBytes` (UploadTooLarge, nothing left behind). */
  async receive(stream: Readable & { truncated?: boolean }, maxBytes: number): Promise<{ tempPath: string; size: number; sha256: string }> {
    const tempPath = path.join(this.#incoming, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
    });
    try {
      await pipeline(stream, fs.createWriteStream(tempPath, { flags: 'wx' }));
      if (stream.truncated || size > maxBytes) throw new UploadTooLarge();
      return { tempPath, size, sha256: hash.digest('hex') };
    } catch (err) {
      await fsp.rm(tempPath, { force: true });
      throw err;
    }
  }

  async discard(tempPath: string): Promise<void> {
    await fsp.rm(tempPath, { force: true });
  }

  /** Moves a parsed upload into place with its thumbnails and mesh; returns the stored name. */
  async keep(
    tempPath: string,
    kind: keyof typeof EXTENSIONS,
    extras: { thumbnail: ParsedThumbnail | null; plates: { index: number; thumbnail: ParsedThumbnail | null }[]; mesh: ParsedMesh | null },
  ): Promise<{ filename: string; storedPath: string }> {
    const id = randomUUID();
    const filename = `${id}.${EXTENSIONS[kind]}`;
    const dir = path.join(this.root, id);
    try {
      await fsp.mkdir(dir);
      if (extras.thumbnail)
        await fsp.writeFile(path.join(dir, `thumbnail.${IMAGE_EXTENSIONS[extras.thumbnail.mime]}`), extras.thumbnail.data);
      for (const plate of extras.plates) {
        if (plate.thumbnail)
          await fsp.writeFile(path.join(dir, `plate-${plate.index}.${IMAGE_EXTENSIONS[plate.thumbnail.mime]}`), plate.thumbnail.data);
      }
      if (extras.mesh) await fsp.writeFile(path.join(dir, 'mesh.bin'), encodeMesh(extras.mesh));
      await fsp.rename(tempPath, path.join(this.root, filename));
    } catch (err) {
      await fsp.rm(dir, { recursive: true, force: true });
      await fsp.rm(tempPath, { force: true });
      throw err;
    }
    return { filename, storedPath: path.join('print-files', filename) };
  }

  async remove(filename: string): Promise<void> {
    const id = path.parse(filename).name;
    await fsp.rm(path.join(this.root, filename), { force: true });
    await fsp.rm(path.join(this.root, id), { recursive: true, force: true });
  }

  /** The thumbnail of the file (plate null) or of one plate, with its content type; null when there is none. */
  async thumbnail(filename: string, plate: number | null): Promise<{ path: string; mime: string } | null> {
    const dir = path.join(this.root, path.parse(filename).name);
    const base = plate === null ? 'thumbnail' : `plate-${plate}`;
    for (const [mime, ext] of Object.entries(IMAGE_EXTENSIONS)) {
      const file = path.join(dir, `${base}.${ext}`);
      try {
        await fsp.access(file);
        return { path: file, mime };
      } catch {
        // not this format
      }
    }
    return null;
  }

  async mesh(filename: string): Promise<ParsedMesh | null> {
    const file = path.join(this.root, path.parse(filename).name, 'mesh.bin');
    let data: Buffer;
    try {
      data = await fsp.readFile(file);
    } catch {
      return null;
    }
    return decodeMesh(data);
  }

  filePath(filename: string): string {
    return path.join(this.root, filename);
  }
}

/** Header (magic, counts, bounds, decimated) + Float32 vertices + Uint32 indices, little-endian. */
function encodeMesh(mesh: ParsedMesh): Buffer {
  const header = Buffer.alloc(4 + 4 + 4 + 24 + 4);
  header.write('ODM1', 0, 'ascii');
  header.writeUInt32LE(mesh.vertices.length / 3, 4);
  header.writeUInt32LE(mesh.indices.length / 3, 8);
  [...mesh.bounds.min, ...mesh.bounds.max].forEach((v, i) => header.writeFloatLE(v, 12 + i * 4));
  header.writeUInt32LE(mesh.decimated ? 1 : 0, 36);
  return Buffer.concat([
    header,
    Buffer.from(mesh.vertices.buffer, mesh.vertices.byteOffset, mesh.vertices.byteLength),
    Buffer.from(mesh.indices.buffer, mesh.indices.byteOffset, mesh.indices.byteLength),
  ]);
}

function decodeMesh(data: Buffer): ParsedMesh | null {
  if (data.length < 40 || data.toString('ascii', 0, 4) !== 'ODM1') return null;
  const vertexCount = data.readUInt32LE(4);
  const triangles = data.readUInt32LE(8);
  const b = Array.from({ length: 6 }, (_, i) => data.readFloatLE(12 + i * 4));
  const vStart = 40;
  const iStart = vStart + vertexCount * 12;
  if (data.length !== iStart + triangles * 12) return null;
  // A fresh ArrayBuffer at offset 0: typed arrays need 4-byte alignment, pooled Buffers may not have it.
  const own = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
  return {
    vertices: new Float32Array(own, vStart, vertexCount * 3),
    indices: new Uint32Array(own, iStart, triangles * 3),
    triangle_count: triangles,
    bounds: { min: [b[0] ?? 0, b[1] ?? 0, b[2] ?? 0], max: [b[3] ?? 0, b[4] ?? 0, b[5] ?? 0] },
    decimated: data.readUInt32LE(36) === 1,
  };
}
