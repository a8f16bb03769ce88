/**
 * A large multi-plate Bambu-style 3MF for performance checks (the parse perf check and
 * `npm run bench -- inventory`): four plates, each a dense mesh in `3D/Objects/*.model`, its plate
 * G-code and a thumbnail — about 46 MiB on disk, 1.66 M triangles in 136 MB of model XML.
 */
import { Readable } from 'node:stream';

import { CONTENT_TYPES, modelXml, png, rootRels, translate, writeZip, type ZipMember } from './test-support.js';

export const LARGE_PROJECT = { plates: 4, rings: 400, segments: 520 } as const;
const RINGS = LARGE_PROJECT.rings;
const SEGMENTS = LARGE_PROJECT.segments;

/**
 * A bumpy sphere written the way Bambu Studio writes meshes: single-precision coordinates printed with
 * nine significant digits, one tag per line. The digits are what make real model parts compress only
 * about four times; rounder numbers would make a 50 MB file hold far more mesh than real ones do.
 */
const digits = (value: number) => Number(Math.fround(value).toPrecision(9)).toString();

function* denseMeshModel(seed: number): Generator<string> {
  let state = seed;
  const jitter = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.2;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">\n <resources>\n  <object id="1" type="model">\n   <mesh>\n    <vertices>\n';
  const radius = 30;
  let lines: string[] = [];
  for (let ring = 0; ring <= RINGS; ring++) {
    const theta = (ring / RINGS) * Math.PI;
    for (let segment = 0; segment < SEGMENTS; segment++) {
      const phi = (segment / SEGMENTS) * 2 * Math.PI;
      const r = radius + jitter();
      const x = r * Math.sin(theta) * Math.cos(phi);
      const y = r * Math.sin(theta) * Math.sin(phi);
      const z = r * Math.cos(theta);
      lines.push(`     <vertex x="${digits(x)}" y="${digits(y)}" z="${digits(z)}"/>\n`);
    }
    if (lines.length > 5000) {
      yield lines.join('');
      lines = [];
    }
  }
  yield lines.join('');
  lines = [];
  yield '    </vertices>\n    <triangles>\n';
  // Meshes converted from STL list their triangles in no particular order, which is what keeps
  // their indices from compressing to nothing.
  const triangles: number[] = [];
  for (let ring = 0; ring < RINGS; ring++) {
    for (let segment = 0; segment < SEGMENTS; segment++) {
      const a = ring * SEGMENTS + segment;
      const b = ring * SEGMENTS + ((segment + 1) % SEGMENTS);
      if (ring > 0) triangles.push(a, b, a + SEGMENTS);
      if (ring < RINGS - 1) triangles.push(b, b + SEGMENTS, a + SEGMENTS);
    }
  }
  const count = triangles.length / 3;
  const order = Uint32Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % (index + 1);
    const swap = order[index] ?? 0;
    order[index] = order[other] ?? 0;
    order[other] = swap;
  }
  for (let index = 0; index < count; index++) {
    const at = (order[index] ?? 0) * 3;
    lines.push(`     <triangle v1="${triangles[at]}" v2="${triangles[at + 1]}" v3="${triangles[at + 2]}"/>\n`);
    if (lines.length > 5000) {
      yield lines.join('');
      lines = [];
    }
  }
  yield lines.join('');
  yield '    </triangles>\n   </mesh>\n  </object>\n </resources>\n <build/>\n</model>\n';
}

function* plateGcode(plate: number): Generator<string> {
  yield `; HEADER_BLOCK_START\n; BambuStudio 01.09.00.70\n; model printing time: 1h 0m 0s; total estimated time: 1h 5m 0s\n; total layer number: 300\n; total filament weight [g] : ${10 + plate}.00\n; HEADER_BLOCK_END\n`;
  for (let layer = 0; layer < 300; layer++) {
    const lines = [`; CHANGE_LAYER\n; Z_HEIGHT: ${(layer * 0.2 + 0.2).toFixed(2)}\nG1 Z${(layer * 0.2 + 0.2).toFixed(2)} F720\n`];
    for (let move = 0; move < 1500; move++) {
      const wobble = Math.sin(move * 0.7 + layer * 1.3) * 0.8;
      lines.push(
        `G1 X${(100 + Math.sin(move * 0.37 + layer) * 30 + wobble).toFixed(3)} Y${(100 + Math.cos(move * 1.31) * 30 - wobble).toFixed(3)} E${(0.02 + Math.abs(wobble) * 0.01).toFixed(5)}\n`,
      );
    }
    yield lines.join('');
  }
}

/** Writes the project to `file`; resolves when the zip is complete. */
export async function writeLargeProject(file: string, plates: number = LARGE_PROJECT.plates): Promise<void> {
  const objects = Array.from({ length: plates }, (_, index) => ({
    id: 10 + index,
    components: [{ objectId: 1, path: `/3D/Objects/object_${index + 1}.model` }],
  }));
  const members: ZipMember[] = [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: rootRels('Metadata/plate_1.png') },
    {
      name: '3D/3dmodel.model',
      data: modelXml({
        metadata: { Application: 'BambuStudio-01.09.00.70', Title: 'Performance check' },
        objects,
        build: objects.map((object, index) => ({ objectId: object.id, transform: translate(128 + index * 307.2, 128, 30) })),
      }),
    },
    ...Array.from({ length: plates }, (_, index): ZipMember[] => [
      { name: `3D/Objects/object_${index + 1}.model`, data: () => Readable.from(denseMeshModel(index + 1)) },
      { name: `Metadata/plate_${index + 1}.gcode`, data: () => Readable.from(plateGcode(index + 1)) },
      { name: `Metadata/plate_${index + 1}.png`, data: png(512, 512), compress: false },
    ]).flat(),
  ];
  await writeZip(file, members);
}
