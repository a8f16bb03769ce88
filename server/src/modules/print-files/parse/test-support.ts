/**
 * Builders for genuine print files in tests: ZIPs written by yazl, PNG/QOI images encoded here,
 * 3MF model XML, G-code text and binary G-code assembled byte by byte with real CRC-32s.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

import yazl from 'yazl';

export interface ZipMember {
  name: string;
  data: string | Buffer | (() => Readable);
  compress?: boolean;
}

function zipOf(members: readonly ZipMember[]): yazl.ZipFile {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const member of members) {
    const options = { compress: member.compress ?? true, mtime };
    if (typeof member.data === 'function') zip.addReadStream(member.data(), member.name, options);
    else zip.addBuffer(typeof member.data === 'string' ? Buffer.from(member.data) : member.data, member.name, options);
  }
  zip.end();
  return zip;
}

export async function buildZip(members: readonly ZipMember[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of zipOf(members).outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Streams the archive to disk, for archives too large to hold in memory comfortably. */
export async function writeZip(file: string, members: readonly ZipMember[]): Promise<void> {
  await pipeline(zipOf(members).outputStream, createWriteStream(file));
}

/** Replaces a member name in place (local header and central directory), for names yazl refuses to write. */
export function renameMember(zip: Buffer, from: string, to: string): Buffer {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('names must have the same length');
  const result = Buffer.from(zip);
  const needle = Buffer.from(from);
  let at = result.indexOf(needle);
  if (at < 0) throw new Error(`${from} not found`);
  while (at >= 0) {
    Buffer.from(to).copy(result, at);
    at = result.indexOf(needle, at + needle.length);
  }
  return result;
}

/** Sets the uncompressed size a member declares in the central directory (where yauzl reads it). */
export function declareUncompressedSize(zip: Buffer, name: string, size: number): Buffer {
  const result = Buffer.from(zip);
  const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = result.indexOf(central); at >= 0; at = result.indexOf(central, at + 4)) {
    const nameLength = result.readUInt16LE(at + 28);
    if (result.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      result.writeUInt32LE(size, at + 24);
      return result;
    }
  }
  throw new Error(`${name} not in the central directory`);
}

export class TempDir {
  private constructor(readonly path: string) {}

  static async create(): Promise<TempDir> {
    return new TempDir(await mkdtemp(path.join(os.tmpdir(), 'odin-print-file-')));
  }

  async file(name: string, data: string | Buffer): Promise<string> {
    const file = path.join(this.path, name);
    await writeFile(file, data);
    return file;
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A real, decodable RGB PNG of one colour. */
export function png(width: number, height: number, rgb: [number, number, number] = [200, 80, 40]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real PNG of random pixels, which barely compresses: a large thumbnail in few pixels. */
export function noisyPng(width: number, height: number): Buffer {
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  const rows = Array.from({ length: height }, () => Buffer.from([0, ...Array.from({ length: width * 3 }, random)]));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real QOI image of one colour: one RGB op, then runs. */
export function qoi(width: number, height: number): Buffer {
  const header = Buffer.alloc(14);
  header.write('qoif', 0, 'latin1');
  header.writeUInt32BE(width, 4);
  header.writeUInt32BE(height, 8);
  header.set([3, 0], 12);
  const ops: number[] = [0xfe, 10, 200, 90];
  for (let remaining = width * height - 1; remaining > 0; remaining -= 62) ops.push(0xc0 | (Math.min(62, remaining) - 1));
  return Buffer.concat([header, Buffer.from(ops), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])]);
}

/** A real baseline JPEG, 64×48, encoded once by libjpeg (through sharp) and kept here. */
export const JPEG_64X48 = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAwAEADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCIBaRwAAAAAAAAAAAAAAAAAAAAAH//2Q==',
  'base64',
);

/** G-code comment lines carrying an image, as PrusaSlicer, OrcaSlicer and Bambu Studio write them. */
export function thumbnailBlock(image: Buffer, width: number, height: number, label = 'thumbnail'): string {
  const base64 = image.toString('base64');
  const lines = base64.match(/.{1,78}/g) ?? [];
  return [`; ${label} begin ${width}x${height} ${base64.length}`, ...lines.map((line) => `; ${line}`), `; ${label} end`, ''].join('\n');
}

export interface Mesh {
  vertices: [number, number, number][];
  triangles: [number, number, number][];
}

/** An axis-aligned box from `min` with the given size, twelve outward-facing triangles. */
export function box(size: [number, number, number], min: [number, number, number] = [0, 0, 0]): Mesh {
  const [sx, sy, sz] = size;
  const [x, y, z] = min;
  return {
    vertices: [
      [x, y, z],
      [x + sx, y, z],
      [x + sx, y + sy, z],
      [x, y + sy, z],
      [x, y, z + sz],
      [x + sx, y, z + sz],
      [x + sx, y + sy, z + sz],
      [x, y + sy, z + sz],
    ],
    triangles: [
      [0, 2, 1],
      [0, 3, 2],
      [4, 5, 6],
      [4, 6, 7],
      [0, 1, 5],
      [0, 5, 4],
      [1, 2, 6],
      [1, 6, 5],
      [2, 3, 7],
      [2, 7, 6],
      [3, 0, 4],
      [3, 4, 7],
    ],
  };
}

/** A UV sphere of `2 · rings · segments` triangles (less the poles' slivers), for decimation. */
export function sphere(radius: number, rings: number, segments: number, center: [number, number, number] = [0, 0, 0]): Mesh {
  const vertices: [number, number, number][] = [];
  const triangles: [number, number, number][] = [];
  for (let ring = 0; ring <= rings; ring++) {
    const theta = (ring / rings) * Math.PI;
    for (let segment = 0; segment < segments; segment++) {
      const phi = (segment / segments) * 2 * Math.PI;
      vertices.push([
        center[0] + radius * Math.sin(theta) * Math.cos(phi),
        center[1] + radius * Math.sin(theta) * Math.sin(phi),
        center[2] + radius * Math.cos(theta),
      ]);
    }
  }
  for (let ring = 0; ring < rings; ring++) {
    for (let segment = 0; segment < segments; segment++) {
      const a = ring * segments + segment;
      const b = ring * segments + ((segment + 1) % segments);
      const c = a + segments;
      const d = b + segments;
      if (ring > 0) triangles.push([a, b, c]);
      if (ring < rings - 1) triangles.push([b, d, c]);
    }
  }
  return { vertices, triangles };
}

export interface ModelObjectSpec {
  id: number;
  name?: string;
  type?: string;
  mesh?: Mesh;
  components?: { objectId: number; transform?: string; path?: string }[];
}

const CORE_NS = 'http://schemas.microsoft.com/3dmanufacturing/core/2015/02';
const PRODUCTION_NS = 'http://schemas.microsoft.com/3dmanufacturing/production/1564/05';

/** A 3MF model part. */
export function modelXml(spec: {
  objects: readonly ModelObjectSpec[];
  build?: readonly { objectId: number; transform?: string }[];
  metadata?: Record<string, string>;
  unit?: string;
}): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<model unit="${spec.unit ?? 'millimeter'}" xml:lang="en-US" xmlns="${CORE_NS}" xmlns:p="${PRODUCTION_NS}">`,
  ];
  for (const [name, value] of Object.entries(spec.metadata ?? {})) out.push(` <metadata name="${name}">${escapeXml(value)}</metadata>`);
  out.push(' <resources>');
  for (const object of spec.objects) {
    const name = object.name == null ? '' : ` name="${escapeXml(object.name)}"`;
    out.push(`  <object id="${object.id}" type="${object.type ?? 'model'}"${name}>`);
    if (object.mesh) {
      out.push('   <mesh>', '    <vertices>');
      for (const [x, y, z] of object.mesh.vertices) out.push(`     <vertex x="${x}" y="${y}" z="${z}"/>`);
      out.push('    </vertices>', '    <triangles>');
      for (const [a, b, c] of object.mesh.triangles) out.push(`     <triangle v1="${a}" v2="${b}" v3="${c}"/>`);
      out.push('    </triangles>', '   </mesh>');
    }
    if (object.components) {
      out.push('   <components>');
      for (const component of object.components) {
        const transform = component.transform ? ` transform="${component.transform}"` : '';
        const partPath = component.path ? ` p:path="${component.path}"` : '';
        out.push(`    <component${partPath} objectid="${component.objectId}"${transform}/>`);
      }
      out.push('   </components>');
    }
    out.push('  </object>');
  }
  out.push(' </resources>', ' <build>');
  for (const item of spec.build ?? []) {
    out.push(`  <item objectid="${item.objectId}"${item.transform ? ` transform="${item.transform}"` : ''} printable="1"/>`);
  }
  out.push(' </build>', '</model>', '');
  return out.join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** A translation, as a 3MF transform attribute. */
export const translate = (x: number, y: number, z: number) => `1 0 0 0 1 0 0 0 1 ${x} ${y} ${z}`;

export const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
 <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
 <Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>
 <Default Extension="png" ContentType="image/png"/>
 <Default Extension="gcode" ContentType="text/x.gcode"/>
</Types>
`;

export function rootRels(thumbnail?: string): string {
  const thumb = thumbnail
    ? `\n <Relationship Target="/${thumbnail}" Id="rel-2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"/>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
 <Relationship Target="/3D/3dmodel.model" Id="rel-1" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>${thumb}
</Relationships>
`;
}

export const BlockType = { FileMetadata: 0, GCode: 1, SlicerMetadata: 2, PrinterMetadata: 3, PrintMetadata: 4, Thumbnail: 5 } as const;

export interface BgcodeBlock {
  type: number;
  /** 0 none, 1 deflate, 2/3 heatshrink (the data is then stored as given). */
  compression?: number;
  parameters: Buffer;
  data: Buffer;
}

const u16 = (value: number) => {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value);
  return buffer;
};
const u32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
};

export const metadataParameters = () => u16(0);
export const thumbnailParameters = (format: number, width: number, height: number) => Buffer.concat([u16(format), u16(width), u16(height)]);
export const ini = (values: Record<string, string>) =>
  Buffer.from(
    Object.entries(values)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
  );

/** A binary G-code file: header, then each block with its CRC-32 when `checksum` is on. */
export function bgcode(blocks: readonly BgcodeBlock[], options: { checksum?: boolean; version?: number } = {}): Buffer {
  const checksum = options.checksum ?? true;
  const parts: Buffer[] = [Buffer.from('GCDE', 'latin1'), u32(options.version ?? 1), u16(checksum ? 1 : 0)];
  for (const block of blocks) {
    const compression = block.compression ?? 0;
    const stored = compression === 1 ? zlib.deflateSync(block.data) : block.data;
    const header = Buffer.concat([
      u16(block.type),
      u16(compression),
      u32(block.data.length),
      ...(compression === 0 ? [] : [u32(stored.length)]),
    ]);
    const body = Buffer.concat([header, block.parameters, stored]);
    parts.push(body);
    if (checksum) parts.push(u32(zlib.crc32(body)));
  }
  return Buffer.concat(parts);
}

/**
 * A sliced Bambu Studio project as the API tests and the web e2e upload it: two plates (39 g + 1.12 g
 * over 1 h 30 m, then 12.5 g of the second filament over 30 m), PLA and PETG in the two colours given
 * (the first stored with alpha, as Bambu writes trays), a thumbnail per plate and the given model part.
 */
export function twoPlateBambuProject(options: { colours: [string, string]; model: string; thumbnails: [Buffer, Buffer] }): Promise<Buffer> {
  const [first, second] = options.colours;
  const sliceInfo = `<?xml version="1.0" encoding="UTF-8"?>
<config>
  <header><header_item key="X-BBL-Client-Version" value="01.09.00.70"/></header>
  <plate>
    <metadata key="index" value="1"/>
    <metadata key="prediction" value="5400"/>
    <metadata key="weight" value="40.12"/>
    <filament id="1" type="PLA" color="${first}FF" used_m="13.10" used_g="39.00"/>
    <filament id="2" type="PETG" color="${second}" used_m="0.37" used_g="1.12"/>
  </plate>
  <plate>
    <metadata key="index" value="2"/>
    <metadata key="prediction" value="1800"/>
    <metadata key="weight" value="12.50"/>
    <filament id="2" type="PETG" color="${second}" used_m="4.20" used_g="12.50"/>
  </plate>
</config>
`;
  const projectSettings = JSON.stringify({
    filament_colour: [first, second],
    filament_type: ['PLA', 'PETG'],
    layer_height: '0.2',
    nozzle_diameter: ['0.4'],
    printer_model: 'Bambu Lab P1S',
  });
  return buildZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: rootRels('Metadata/plate_1.png') },
    { name: '3D/3dmodel.model', data: options.model },
    { name: 'Metadata/slice_info.config', data: sliceInfo },
    { name: 'Metadata/project_settings.config', data: projectSettings },
    { name: 'Metadata/plate_1.png', data: options.thumbnails[0], compress: false },
    { name: 'Metadata/plate_2.png', data: options.thumbnails[1], compress: false },
  ]);
}
