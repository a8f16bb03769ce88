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
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LARGE_PROJECT, writeLargeProject } from './large-project.js';
import { TempDir } from './test-support.js';

const enabled = process.env['ODIN_PARSE_PERF'] === '1';
const run = promisify(execFile);
const { plates: PLATES, rings: RINGS, segments: SEGMENTS } = LARGE_PROJECT;

describe.skipIf(!enabled)('parse performance (ODIN_PARSE_PERF=1)', () => {
  let temp: TempDir;
  let file: string;

  beforeAll(async () => {
    temp = await TempDir.create();
    file = path.join(temp.path, 'four-plates.3mf');
    await writeLargeProject(file);
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
