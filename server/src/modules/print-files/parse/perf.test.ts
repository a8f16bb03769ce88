/**
 * A local performance check, not a timed unit test: it builds a ~50 MB multi-plate Bambu-style 3MF
 * (four plates, four dense meshes in `3D/Objects/*.model`, plate G-code and thumbnails) and reports
 * how long `parsePrintFile` takes and how much memory it adds. Run it on purpose:
 *
 *   ODIN_PARSE_PERF=1 npx vitest run server/src/modules/print-files/parse/perf
 *
 * The goal on the 2-core development machine: under 2 s and under 300 MB of extra memory. It prints
 * its figures rather than asserting them, since a shared machine's timings vary from run to run.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONTENT_TYPES, modelXml, png, rootRels, TempDir, translate, writeZip, type ZipMember } from './test-support.js';

const enabled = process.env['ODIN_PARSE_PERF'] === '1';
const run = promisify(execFile);
const PLATES = 4;
const RINGS = 400;
const SEGMENTS = 520;

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
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  for (let index = 0; index < count; index++) {
    const at = order[index]! * 3;
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

describe.skipIf(!enabled)('parse performance (ODIN_PARSE_PERF=1)', () => {
  let temp: TempDir;
  let file: string;

  beforeAll(async () => {
    temp = await TempDir.create();
    file = path.join(temp.path, 'four-plates.3mf');
    const objects = Array.from({ length: PLATES }, (_, index) => ({
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
      ...Array.from({ length: PLATES }, (_, index): ZipMember[] => [
        { name: `3D/Objects/object_${index + 1}.model`, data: () => Readable.from(denseMeshModel(index + 1)) },
        { name: `Metadata/plate_${index + 1}.gcode`, data: () => Readable.from(plateGcode(index + 1)) },
        { name: `Metadata/plate_${index + 1}.png`, data: png(512, 512), compress: false },
      ]).flat(),
    ];
    await writeZip(file, members);
  }, 600_000);

  afterAll(async () => {
    if (process.env['ODIN_PARSE_PERF_KEEP']) console.log(`kept ${file}`);
    else await temp?.remove();
  });

  it('reports how long a ~50 MB four-plate 3MF takes to parse, and the memory it adds', async () => {
    const { size } = await stat(file);
    // A fresh process, so neither building the fixture nor a warmed-up JIT flatters the figures.
    const script = `
      import { parsePrintFile } from ${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, 'index.ts')).href)};
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 2);
      const started = performance.now();
      const parsed = await parsePrintFile(${JSON.stringify(file)});
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
      console.log(JSON.stringify({ seconds, extraBytes: peak - before, plates: parsed.plates.length, triangles: parsed.mesh?.triangle_count ?? 0 }));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script]);
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      seconds: number;
      extraBytes: number;
      plates: number;
      triangles: number;
    };
    console.log(
      `file ${(size / 1024 ** 2).toFixed(1)} MiB, ${PLATES} plates, ${PLATES * 2 * (RINGS - 1) * SEGMENTS} source triangles → ` +
        `${result.triangles} in the preview; parsed in ${result.seconds.toFixed(2)} s, peak memory +${(result.extraBytes / 1024 ** 2).toFixed(0)} MiB`,
    );
    expect(size).toBeGreaterThan(40 * 1024 ** 2);
    expect(result.plates).toBe(PLATES);
    expect(result.triangles).toBeLessThanOrEqual(200_000);
  }, 120_000);
});
