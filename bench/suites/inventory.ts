/**
 * `inventory` suite: what the inventory costs the server (a real ODIN process, fresh SQLite data dir):
 * - `GET /api/spools` with 10,000 spools in the database (autocannon, one connection then ten);
 * - uploading a ~46 MiB four-plate 3MF (1.66 M triangles), i.e. streaming, sniffing, parsing,
 *   decimating the mesh and storing it: wall time of the request and the server's RSS above its
 *   baseline, sampled every 20 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';

import { LARGE_PROJECT, writeLargeProject } from '../../server/src/modules/print-files/parse/large-project.js';
import { BenchError, buildServer, delay, login, type StartedServer, startServer } from '../lib/odin-server.js';
import { ProcessSampler } from '../lib/process-sampler.js';
import { describeEnvironment, environment, fixed, int, table, writeResults } from '../lib/report.js';
import type { Suite, SuiteContext } from '../lib/suite.js';

const ADMIN = { username: 'admin', password: 'BenchAdm1n' } as const;
const SPOOLS = 10_000;
const PER_REQUEST = 200;
const TARGETS = { spoolsP99Ms: 50, parseSeconds: 2, parseExtraMb: 300 } as const;

interface ListFigures {
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  bytesPerResponse: number;
  non2xx: number;
}

interface UploadFigures {
  fileMb: number;
  seconds: number;
  baselineRssMb: number;
  peakRssMb: number;
  extraMb: number;
  plates: number;
  meshTriangles: number | null;
}

async function api<T>(url: string, token: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new BenchError(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function seedSpools(server: StartedServer, token: string, progress: (m: string) => void): Promise<void> {
  const materials = ['PLA', 'PETG', 'ABS', 'ASA', 'TPU'];
  const filamentIds: number[] = [];
  for (let i = 0; i < 20; i++) {
    const material = materials[i % materials.length] ?? 'PLA';
    const colour = `#${((i * 0x3b5f27) & 0xffffff).toString(16).padStart(6, '0')}`;
    const created = await api<{ id: number }>(`${server.url}/api/filaments`, token, 'POST', {
      brand: `Brand ${i % 4}`,
      name: `${material} ${colour}`,
      material,
      color_hex: colour,
      cost_per_gram: 0.02 + i / 1000,
    });
    filamentIds.push(created.id);
  }
  for (let done = 0; done < SPOOLS; done += PER_REQUEST) {
    const filament = filamentIds[(done / PER_REQUEST) % filamentIds.length] ?? filamentIds[0];
    await api(`${server.url}/api/spools/bulk`, token, 'POST', {
      filament_id: filament,
      quantity: PER_REQUEST,
      price: 22.5,
      vendor: 'Bench supplier',
      lot_number: `LOT-${done}`,
      storage_location: `Shelf ${(done / PER_REQUEST) % 12}`,
    });
    if (done % 2000 === 0) progress(`${done} of ${SPOOLS} spools…`);
  }
}

async function measureList(server: StartedServer, token: string, connections: number): Promise<ListFigures> {
  const run = (duration: number) =>
    autocannon({ url: `${server.url}/api/spools`, headers: { authorization: `Bearer ${token}` }, connections, duration });
  await run(2);
  const result = await run(10);
  return {
    connections,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    bytesPerResponse: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
    non2xx: result.non2xx,
  };
}

async function measureUpload(server: StartedServer, token: string, file: string): Promise<UploadFigures> {
  const sampler = new ProcessSampler(server.pid, 20);
  await delay(1000);
  sampler.start();
  await delay(300);
  const baseline = sampler.stop();
  const form = new FormData();
  const data = await fs.promises.readFile(file);
  form.append('file', new Blob([new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]), 'four-plates.3mf');
  sampler.start();
  const started = performance.now();
  const response = await fetch(`${server.url}/api/print-files/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await response.text();
  const seconds = (performance.now() - started) / 1000;
  const stats = sampler.stop();
  if (!response.ok) throw new BenchError(`upload answered ${response.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { plates: unknown[]; mesh_triangles: number | null };
  const baselineRss = baseline?.rssAvgMb ?? 0;
  const peak = stats?.rssPeakMb ?? 0;
  return {
    fileMb: data.length / 1024 / 1024,
    seconds,
    baselineRssMb: baselineRss,
    peakRssMb: peak,
    extraMb: peak - baselineRss,
    plates: body.plates.length,
    meshTriangles: body.mesh_triangles,
  };
}

async function run(context: SuiteContext): Promise<number> {
  const startedAt = new Date();
  const env = environment();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'odin-bench-inventory-'));
  try {
    const file = path.join(scratch, 'four-plates.3mf');
    context.progress(`writing a ${LARGE_PROJECT.plates}-plate 3MF (about 46 MiB)…`);
    await writeLargeProject(file);
    context.progress('building the server (npm run build -w @odin/server)…');
    await buildServer();
    const server = await startServer({ admin: ADMIN });
    try {
      const token = await login(server.url, ADMIN.username, ADMIN.password);
      context.progress('uploading the 3MF…');
      const upload = await measureUpload(server, token, file);
      context.progress(`adding ${SPOOLS} spools…`);
      await seedSpools(server, token, (message) => context.progress(message));
      const count = (await api<unknown[]>(`${server.url}/api/spools`, token, 'GET')).length;
      if (count !== SPOOLS) throw new BenchError(`GET /api/spools returned ${count} spools, expected ${SPOOLS}`);
      context.progress('GET /api/spools, 1 connection…');
      const one = await measureList(server, token, 1);
      context.progress('GET /api/spools, 10 connections…');
      const ten = await measureList(server, token, 10);
      print(env, upload, [one, ten]);
      const out = writeResults('inventory', startedAt, {
        suite: 'inventory',
        environment: env,
        upload,
        spools: SPOOLS,
        list: [one, ten],
        targets: TARGETS,
      });
      process.stdout.write(`\nresults written to ${out}\n`);
      return 0;
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function print(env: ReturnType<typeof environment>, upload: UploadFigures, lists: ListFigures[]): void {
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const out: string[] = ['', `ODIN bench · inventory · ${describeEnvironment(env)}`, ''];
  out.push(
    `upload of a ${fixed(upload.fileMb)} MiB ${upload.plates}-plate 3MF (${LARGE_PROJECT.plates} dense meshes → ${int(upload.meshTriangles ?? 0)} preview triangles): ` +
      `${fixed(upload.seconds, 2)} s, server RSS ${int(upload.baselineRssMb)} → ${int(upload.peakRssMb)} MB (+${int(upload.extraMb)} MB)`,
  );
  out.push('');
  out.push(
    table(
      ['GET /api/spools (10,000 spools)', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'kB/response', 'non-2xx'],
      lists.map((l) => [
        `${l.connections} connection(s)`,
        fixed(l.requestsPerSecond),
        l.p50Ms,
        l.p99Ms,
        l.maxMs,
        int(l.bytesPerResponse / 1000),
        int(l.non2xx),
      ]),
    ),
  );
  out.push('');
  const single = lists[0];
  out.push(`target: 3MF parse < ${TARGETS.parseSeconds} s → ${fixed(upload.seconds, 2)} s ${mark(upload.seconds < TARGETS.parseSeconds)}`);
  out.push(
    `target: 3MF memory < ${TARGETS.parseExtraMb} MB above baseline → ${int(upload.extraMb)} MB ${mark(upload.extraMb < TARGETS.parseExtraMb)}`,
  );
  if (single)
    out.push(
      `target: GET /api/spools p99 < ${TARGETS.spoolsP99Ms} ms (1 connection) → ${single.p99Ms} ms ${mark(single.p99Ms < TARGETS.spoolsP99Ms)}`,
    );
  process.stdout.write(`${out.join('\n')}\n`);
}

const suite: Suite = { run };
export default suite;
