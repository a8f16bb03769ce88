import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { rawToString } from '../net.js';
import { cleanupAfterEach, type Json, sleep, waitFor } from '../test-support.js';
import { MoonrakerSimulator, type MoonrakerSimulatorOptions } from './index.js';

const cleanups = cleanupAfterEach();

async function simulator(options: MoonrakerSimulatorOptions = {}): Promise<MoonrakerSimulator> {
  const sim = new MoonrakerSimulator({
    speed: 100,
    diffIntervalMs: 30,
    plan: { heatSeconds: 10, durationSeconds: 50, totalLayers: 10 },
    ...options,
  });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

/** A bare JSON-RPC client: calls by id, and every notification kept in order. */
class RpcClient {
  readonly notifications: { method: string; params: unknown[] }[] = [];
  readonly frames: string[] = [];
  readonly #waiting = new Map<number, (frame: Json) => void>();
  #id = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = rawToString(data);
      this.frames.push(text);
      const frame = JSON.parse(text) as Json;
      if (typeof frame['method'] === 'string') {
        this.notifications.push({ method: frame['method'], params: (frame['params'] as unknown[] | undefined) ?? [] });
      } else if (typeof frame['id'] === 'number') {
        this.#waiting.get(frame['id'])?.(frame);
      }
    });
  }

  static async open(sim: MoonrakerSimulator, headers: Record<string, string> = {}): Promise<RpcClient> {
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/websocket`, { headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    cleanups.push(() => ws.terminate());
    return new RpcClient(ws);
  }

  /** The whole reply frame ({result} or {error}). */
  call(method: string, params?: Json): Promise<Json> {
    const id = this.#id++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
    });
  }

  updates(): Json[] {
    return this.notifications.filter((n) => n.method === 'notify_status_update').map((n) => n.params[0] as Json);
  }
}

async function http(
  sim: MoonrakerSimulator,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${sim.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

describe('MoonrakerSimulator over HTTP', () => {
  it('answers server and printer info wrapped in result, from the fixtures', async () => {
    const sim = await simulator({ name: 'voron-2' });
    const server = await http(sim, '/server/info');
    expect(server.status).toBe(200);
    expect(server.body['result']).toMatchObject({
      klippy_connected: true,
      klippy_state: 'ready',
      moonraker_version: 'v0.7.1-105-ge4f103c',
      api_version: [1, 4, 0],
    });
    const printer = await http(sim, '/printer/info');
    expect(printer.body['result']).toMatchObject({
      state: 'ready',
      state_message: 'Printer is ready',
      hostname: 'voron-2',
      software_version: 'v0.12.0-85-gd785b396',
    });
    const objects = await http(sim, '/printer/objects/list');
    expect((objects.body['result'] as Json)['objects']).toEqual(
      expect.arrayContaining([
        'webhooks',
        'print_stats',
        'virtual_sdcard',
        'display_status',
        'extruder',
        'heater_bed',
        'fan',
        'toolhead',
        'gcode_move',
        'idle_timeout',
        'pause_resume',
      ]),
    );
    const cams = await http(sim, '/server/webcams/list');
    expect(((cams.body['result'] as Json)['webcams'] as unknown[]).length).toBe(3);
  });

  it('queries objects by GET parameters and by POST body, with field selection', async () => {
    const sim = await simulator();
    const get = await http(sim, '/printer/objects/query?print_stats&extruder=temperature,target&nonexistent');
    const result = get.body['result'] as Json;
    expect(typeof result['eventtime']).toBe('number');
    expect(result['status']).toEqual({
      print_stats: {
        filename: '',
        total_duration: 0,
        print_duration: 0,
        filament_used: 0,
        state: 'standby',
        message: '',
        info: { total_layer: null, current_layer: null },
      },
      extruder: { temperature: 22, target: 0 },
    });
    const post = await http(sim, '/printer/objects/query', postJson({ objects: { webhooks: null, gcode_move: ['speed_factor'] } }));
    expect((post.body['result'] as Json)['status']).toEqual({
      webhooks: { state: 'ready', state_message: 'Printer is ready' },
      gcode_move: { speed_factor: 1 },
    });
  });

  it('answers errors as {error: {code, message}} with that status', async () => {
    const sim = await simulator({ apiKey: 'k' });
    expect(await http(sim, '/server/info')).toMatchObject({ status: 401, body: { error: { code: 401, message: 'Unauthorized' } } });
    expect(await http(sim, '/server/info', { headers: { 'X-Api-Key': 'wrong' } })).toMatchObject({ status: 401 });
    expect(await http(sim, '/server/info', { headers: { 'X-Api-Key': 'k' } })).toMatchObject({ status: 200 });
    expect(await http(sim, '/nope', { headers: { 'X-Api-Key': 'k' } })).toMatchObject({ status: 404, body: { error: { code: 404 } } });
    expect(await http(sim, '/printer/print/pause', { headers: { 'X-Api-Key': 'k' } })).toMatchObject({ status: 405 });
    sim.failHttp(503);
    expect(await http(sim, '/server/info', { headers: { 'X-Api-Key': 'k' } })).toMatchObject({
      status: 503,
      body: { error: { code: 503, message: 'Simulated failure' } },
    });
  });

  it('runs gcode: SET_HEATER_TEMPERATURE, M104/M140, no-ops, and refuses bad values', async () => {
    const sim = await simulator();
    expect(
      await http(sim, '/printer/gcode/script', postJson({ script: 'SET_HEATER_TEMPERATURE HEATER=extruder TARGET=205\nG28\nM117 hi' })),
    ).toMatchObject({ status: 200, body: { result: 'ok' } });
    expect(await http(sim, `/printer/gcode/script?script=${encodeURIComponent('M140 S65')}`, { method: 'POST' })).toMatchObject({
      status: 200,
    });
    expect(sim.objects()['extruder']).toMatchObject({ target: 205 });
    expect(sim.objects()['heater_bed']).toMatchObject({ target: 65 });
    expect(await http(sim, '/printer/gcode/script', postJson({ script: 'M104 S0' }))).toMatchObject({ status: 200 });
    expect(sim.objects()['extruder']).toMatchObject({ target: 0 });
    expect(await http(sim, '/printer/gcode/script', postJson({ script: 'SET_HEATER_TEMPERATURE HEATER=chamber TARGET=40' }))).toMatchObject(
      {
        status: 400,
        body: { error: { message: "Heater 'chamber' not found" } },
      },
    );
  });

  it('prints a file to the end and keeps print_stats complete until the next print', async () => {
    const sim = await simulator();
    expect(await http(sim, '/printer/print/start?filename=missing.gcode', { method: 'POST' })).toMatchObject({ status: 400 });
    expect(await http(sim, '/printer/print/start?filename=Shape-Box_0.2mm_PLA_Ender2_20m.gcode', { method: 'POST' })).toMatchObject({
      status: 200,
      body: { result: 'ok' },
    });
    expect(await http(sim, '/printer/print/start?filename=Shape-Box_0.2mm_PLA_Ender2_20m.gcode', { method: 'POST' })).toMatchObject({
      status: 400,
      body: { error: { message: 'SD busy' } },
    });
    await waitFor('complete', () => sim.objects()['print_stats']?.['state'] === 'complete');
    await sleep(100);
    expect(sim.objects()['print_stats']).toMatchObject({
      state: 'complete',
      filename: 'Shape-Box_0.2mm_PLA_Ender2_20m.gcode',
      info: { total_layer: 10, current_layer: 10 },
    });
    expect(sim.objects()['virtual_sdcard']).toMatchObject({ progress: 1, is_active: false });

    sim.startPrint('other.gcode', { heatSeconds: 0, durationSeconds: 100_000 });
    await http(sim, '/printer/print/cancel', { method: 'POST' });
    expect(sim.objects()['print_stats']).toMatchObject({ state: 'cancelled', filename: 'other.gcode' });
    await sleep(100);
    expect(sim.objects()['print_stats']?.['state']).toBe('cancelled');
  });

  it('counts paused time in total_duration but not in print_duration', async () => {
    const sim = await simulator();
    sim.startPrint('p.gcode', { heatSeconds: 0, durationSeconds: 100_000 });
    await sleep(50);
    await http(sim, '/printer/print/pause', { method: 'POST' });
    const paused = sim.objects()['print_stats'] ?? {};
    await sleep(200);
    const later = sim.objects()['print_stats'] ?? {};
    expect(later['state']).toBe('paused');
    expect(later['print_duration']).toBe(paused['print_duration']);
    expect(Number(later['total_duration'])).toBeGreaterThan(Number(paused['total_duration']) + 10);
    expect(sim.objects()['pause_resume']).toEqual({ is_paused: true });
  });

  it('accepts a multipart upload: 201, Location, the fixture shape, print=true starts it, checksum verified', async () => {
    const sim = await simulator();
    const content = Buffer.from('G28\nG1 Z10\n');
    const form = new FormData();
    form.append('file', new Blob([content]), 'widget.gcode');
    form.append('path', 'jobs');
    form.append('print', 'true');
    form.append('checksum', createHash('sha256').update(content).digest('hex'));
    const res = await http(sim, '/server/files/upload', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${sim.url}/server/files/gcodes/jobs/widget.gcode`);
    const result = res.body['result'] as Json;
    expect(Object.keys(result).sort()).toEqual(['action', 'item', 'print_queued', 'print_started']);
    expect(result).toMatchObject({
      item: { path: 'jobs/widget.gcode', root: 'gcodes', size: content.length, permissions: 'rw' },
      print_started: true,
      print_queued: false,
      action: 'create_file',
    });
    expect(sim.objects()['print_stats']).toMatchObject({ state: 'printing', filename: 'jobs/widget.gcode' });

    const bad = new FormData();
    bad.append('file', new Blob([content]), 'bad.gcode');
    bad.append('checksum', '0'.repeat(64));
    expect(await http(sim, '/server/files/upload', { method: 'POST', body: bad })).toMatchObject({ status: 422 });

    const files = await http(sim, '/server/files/list');
    expect(files.body['result']).toContainEqual(expect.objectContaining({ path: 'jobs/widget.gcode', size: content.length }));
    expect(files.body['result']).toContainEqual(expect.objectContaining({ path: '3DBenchy_0.15mm_PLA_MK3S_2h6m.gcode' }));
  });
});

describe('MoonrakerSimulator over JSON-RPC', () => {
  it('subscribes: full status first, then only what changed, per client subscription', async () => {
    const sim = await simulator();
    const a = await RpcClient.open(sim);
    const b = await RpcClient.open(sim);
    const replyA = await a.call('printer.objects.subscribe', { objects: { print_stats: null, extruder: ['target'] } });
    const replyB = await b.call('printer.objects.subscribe', { objects: { heater_bed: ['target'] } });
    expect(Object.keys((replyA['result'] as Json)['status'] as Json)).toEqual(['print_stats', 'extruder']);
    expect((replyB['result'] as Json)['status']).toEqual({ heater_bed: { target: 0 } });

    await sleep(100);
    expect(a.updates()).toEqual([]); // idle: nothing changes, nothing is pushed
    await b.call('printer.gcode.script', { script: 'M104 S200' });
    await waitFor('a diff', () => a.updates().length > 0);
    expect(a.updates()[0]).toEqual({ extruder: { target: 200 } });
    const update = a.notifications[0]?.params ?? [];
    expect(typeof update[1]).toBe('number'); // [diff, eventtime]
    await sleep(100);
    expect(b.updates()).toEqual([]); // b did not subscribe to the extruder

    sim.startPrint('x.gcode');
    await waitFor('print_stats diffs', () => a.updates().some((u) => (u['print_stats'] as Json | undefined)?.['state'] === 'printing'));
    for (const u of a.updates()) expect(Object.keys(u).every((k) => k === 'print_stats' || k === 'extruder')).toBe(true);
  });

  it('sensorNoise jitters heater readings; setTargets wins over the plan; onStatusPush sees every diff sent', async () => {
    const pushes: { diff: Readonly<Record<string, Json>>; sentAt: bigint }[] = [];
    const sim = await simulator({ speed: 1, sensorNoise: 0.3, onStatusPush: (diff, sentAt) => pushes.push({ diff, sentAt }) });
    const c = await RpcClient.open(sim);
    await c.call('printer.objects.subscribe', { objects: { extruder: ['temperature'], heater_bed: ['temperature', 'target'] } });
    await waitFor('a few diffs', () => c.updates().length >= 5);
    const readings = c
      .updates()
      .flatMap((u) => [(u['extruder'] as Json | undefined)?.['temperature'], (u['heater_bed'] as Json | undefined)?.['temperature']]);
    const numbers = readings.filter((t): t is number => typeof t === 'number');
    expect(numbers.length).toBeGreaterThanOrEqual(5); // idle at ambient, yet the readings change
    for (const t of numbers) expect(Math.abs(t - 22)).toBeLessThanOrEqual(0.3 + 1e-9);

    sim.startPrint('x.gcode');
    sim.setTargets({ bed: 63.4 });
    await waitFor('the new bed target', () => c.updates().some((u) => (u['heater_bed'] as Json | undefined)?.['target'] === 63.4));
    expect(sim.objects()['heater_bed']?.['target']).toBe(63.4);
    // Recorded as each frame is written, so never fewer than the client has received, and in order.
    const now = process.hrtime.bigint();
    expect(pushes.length).toBeGreaterThanOrEqual(c.updates().length);
    expect(pushes.some((p) => p.diff['heater_bed']?.['target'] === 63.4)).toBe(true);
    for (let i = 1; i < pushes.length; i++) expect((pushes[i]?.sentAt ?? 0n) >= (pushes[i - 1]?.sentAt ?? 0n)).toBe(true);
    expect(now - (pushes[0]?.sentAt ?? 0n) < 10_000_000_000n).toBe(true);
    expect(() => sim.setTargets({ bed: 500 })).toThrow(/out of range/);
  });

  it('a printing printer moves its print fields in every diff, as real Klipper does at its default cadence', async () => {
    const sim = await simulator({ speed: 1, diffIntervalMs: 250, plan: { heatSeconds: 0, durationSeconds: 4 * 3600, totalLayers: 400 } });
    sim.startPrint('long.gcode', { startAtProgress: 0.3 });
    const c = await RpcClient.open(sim);
    await c.call('printer.objects.subscribe', {
      objects: {
        print_stats: ['print_duration', 'total_duration'],
        virtual_sdcard: ['progress', 'file_position'],
        display_status: ['progress'],
      },
    });
    await waitFor('four diffs', () => c.updates().length >= 4);
    for (const update of c.updates().slice(0, 4)) {
      expect(Object.keys(update['print_stats'] as Json)).toEqual(expect.arrayContaining(['print_duration', 'total_duration']));
      expect(Object.keys(update['virtual_sdcard'] as Json)).toEqual(expect.arrayContaining(['progress', 'file_position']));
      expect(update['display_status']).toHaveProperty('progress');
    }
    const progress = (sim.objects()['virtual_sdcard']?.['progress'] ?? 0) as number;
    expect(progress).toBeGreaterThan(0.3);
    expect(progress).toBeLessThan(0.31);
  });

  it('answers the methods a farm manager uses, and JSON-RPC errors', async () => {
    const sim = await simulator();
    const c = await RpcClient.open(sim);
    expect(await c.call('server.connection.identify', { client_name: 't', version: '1', type: 'other', url: 'x' })).toMatchObject({
      result: { connection_id: expect.any(Number) as number },
    });
    expect(await c.call('server.info')).toMatchObject({ result: { klippy_state: 'ready', websocket_count: 1 } });
    expect(await c.call('printer.info')).toMatchObject({ result: { state: 'ready' } });
    expect(await c.call('printer.objects.query', { objects: { webhooks: null } })).toMatchObject({
      result: { status: { webhooks: { state: 'ready' } } },
    });
    expect(await c.call('server.webcams.list')).toMatchObject({ result: { webcams: expect.any(Array) as unknown[] } });
    expect(await c.call('printer.print.start', {})).toMatchObject({ error: { code: 400 } });
    expect(await c.call('no.such.method')).toMatchObject({ error: { code: -32601, message: 'Method not found' } });
    c.ws.send('{not json');
    await waitFor('parse error', () => c.frames.some((f) => f.includes('-32700')));
  });

  it('with an API key: identify must carry it', async () => {
    const sim = await simulator({ apiKey: 'secret' });
    const c = await RpcClient.open(sim);
    expect(await c.call('server.info')).toMatchObject({ error: { code: 401 } });
    expect(
      await c.call('server.connection.identify', { client_name: 't', version: '1', type: 'other', url: 'x', api_key: 'nope' }),
    ).toMatchObject({ error: { code: 401 } });
    expect(
      await c.call('server.connection.identify', { client_name: 't', version: '1', type: 'other', url: 'x', api_key: 'secret' }),
    ).toMatchObject({ result: {} });
    expect(await c.call('server.info')).toMatchObject({ result: { klippy_state: 'ready' } });
    const withHeader = await RpcClient.open(sim, { 'X-Api-Key': 'secret' });
    expect(await withHeader.call('server.info')).toMatchObject({ result: { klippy_state: 'ready' } });
  });

  it('Klippy shutdown, disconnect and ready: notifications from the fixtures, state in server.info and webhooks', async () => {
    const sim = await simulator();
    const c = await RpcClient.open(sim);
    await c.call('printer.objects.subscribe', { objects: { webhooks: null } });
    sim.klippyShutdown('boom');
    await waitFor('shutdown notification', () => c.notifications.some((n) => n.method === 'notify_klippy_shutdown'));
    await waitFor('webhooks diff', () => c.updates().some((u) => (u['webhooks'] as Json | undefined)?.['state'] === 'shutdown'));
    expect(await c.call('server.info')).toMatchObject({ result: { klippy_state: 'shutdown', klippy_connected: true } });
    expect(await c.call('printer.gcode.script', { script: 'G28' })).toMatchObject({ error: { code: 400, message: 'boom' } });

    sim.klippyReady();
    await waitFor('ready notification', () => c.notifications.some((n) => n.method === 'notify_klippy_ready'));
    const methods = c.notifications.map((n) => n.method);
    expect(methods.indexOf('notify_klippy_disconnected')).toBeGreaterThan(methods.indexOf('notify_klippy_shutdown'));
    expect(methods.indexOf('notify_klippy_ready')).toBeGreaterThan(methods.indexOf('notify_klippy_disconnected'));
    expect(c.frames).toContain('{"jsonrpc":"2.0","method":"notify_klippy_ready"}');
    expect(await c.call('server.info')).toMatchObject({ result: { klippy_state: 'ready' } });

    sim.klippyDisconnect();
    expect(await c.call('server.info')).toMatchObject({ result: { klippy_state: 'disconnected', klippy_connected: false } });
    expect(await c.call('printer.objects.query', { objects: { webhooks: null } })).toMatchObject({
      error: { code: 503, message: 'Klippy Disconnected' },
    });
  });

  it('emergency stop shuts Klippy down', async () => {
    const sim = await simulator();
    sim.startPrint('x.gcode', { durationSeconds: 100_000 });
    const res = await http(sim, '/printer/emergency_stop', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(sim.klippyState).toBe('shutdown');
    expect(sim.objects()['webhooks']?.['state_message']).toMatch(/^Shutdown due to M112 command/);
    expect(sim.objects()['print_stats']?.['state']).toBe('error');
  });
});

describe('MoonrakerSimulator faults', () => {
  it('refuseConnections destroys new connections; dropConnections closes open ones without a close frame', async () => {
    const sim = await simulator();
    const c = await RpcClient.open(sim);
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    sim.dropConnections();
    expect(await closed).toBe(1006);
    sim.refuseConnections(true);
    await expect(fetch(`${sim.url}/server/info`)).rejects.toThrow();
    sim.refuseConnections(false);
    expect((await fetch(`${sim.url}/server/info`)).status).toBe(200);
  });

  it('stall: no answers, no pushes, no pongs; then service resumes', async () => {
    const sim = await simulator();
    const c = await RpcClient.open(sim);
    await c.call('printer.objects.subscribe', { objects: { extruder: null } });
    sim.stall(true);
    let ponged = false;
    c.ws.once('pong', () => (ponged = true));
    c.ws.ping();
    let answered = false;
    void c.call('server.info').then(() => (answered = true));
    await http(sim, '/server/info', { signal: AbortSignal.timeout(150) }).then(
      () => expect.fail('a stalled simulator answered'),
      (err: unknown) => expect((err as Error).name).toBe('TimeoutError'),
    );
    expect(ponged).toBe(false);
    expect(answered).toBe(false);
    sim.stall(false);
    await expect(c.call('server.info')).resolves.toMatchObject({ result: { klippy_state: 'ready' } });
  });

  it('sendGarbage and flood reach websocket clients', async () => {
    const sim = await simulator();
    const raw: (string | Buffer)[] = [];
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/websocket`);
    cleanups.push(() => ws.terminate());
    ws.on('message', (data, isBinary) => raw.push(isBinary ? (data as Buffer) : rawToString(data)));
    await new Promise((resolve) => ws.once('open', resolve));
    sim.sendGarbage();
    await waitFor('garbage', () => raw.length >= 10);
    expect(raw.some((f) => typeof f === 'string' && f === 'this is not json')).toBe(true);

    const c = await RpcClient.open(sim);
    await c.call('printer.objects.subscribe', { objects: { extruder: ['temperature'] } });
    sim.flood(50);
    await waitFor('flood', () => c.updates().length >= 50);
    expect(c.updates().at(-1)).toEqual({ extruder: { temperature: 22 } });
  });

  it('a hundred simulators push diffs cheaply from one shared timer', async () => {
    const sims = await Promise.all(Array.from({ length: 100 }, () => simulator({ diffIntervalMs: 100, speed: 1000 })));
    const clients = await Promise.all(sims.map((s) => RpcClient.open(s)));
    await Promise.all(clients.map((c) => c.call('printer.objects.subscribe', { objects: { print_stats: ['total_duration'] } })));
    for (const s of sims) s.startPrint('x.gcode', { durationSeconds: 100_000 });
    await waitFor('a push to every client', () => clients.every((c) => c.updates().length > 0), 5000);
  });
});
