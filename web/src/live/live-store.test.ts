// @vitest-environment node
/**
 * The live store against the real ODIN server and two simulated Klipper printers, over a real
 * socket and real HTTP. The socket is jsdom's WebSocket (the browser API); the file runs in the
 * node environment because the server and simulators must load as Node code (in a jsdom file
 * Vite rewrites their `new URL(…, import.meta.url)` file paths into web URLs).
 */
import { createServer } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type LivePrinter, LiveStore, type LiveStoreOptions, type PrinterConfigEvent } from './live-store';

interface TestServer {
  url: string;
  dataDir: string;
  close(): Promise<void>;
}
interface HarnessModule {
  startTestServer(options?: { env?: Record<string, string>; dataDir?: string }): Promise<TestServer>;
}
interface Simulator {
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  startPrint(fileName: string, plan?: { durationSeconds?: number; heatSeconds?: number; totalLayers?: number }): void;
  setTargets(targets: { nozzle?: number; bed?: number }): void;
}
interface MoonrakerModule {
  MoonrakerSimulator: new (options: { port?: number; speed?: number; name?: string }) => Simulator;
}
interface SilentServer {
  address(): { port: number } | string | null;
  close(callback?: () => void): void;
  clients: Set<{ terminate(): void }>;
  once(event: 'listening', listener: () => void): void;
}
interface WsModule {
  WebSocketServer: new (options: { port: number; host: string }) => SilentServer;
}
interface JsdomWindow {
  WebSocket: typeof WebSocket;
  close(): void;
}
interface JsdomModule {
  JSDOM: new (html: string, options: { url: string }) => { window: JsdomWindow };
}

/**
 * Server code is loaded by path at run time, so the web type-check (DOM typings, no Node types)
 * never has to compile the server; the interfaces above are the little of it this file uses.
 */
async function load<T>(specifier: string): Promise<T> {
  const resolved = specifier.startsWith('.') ? new URL(specifier, import.meta.url).pathname : specifier;
  return (await import(/* @vite-ignore */ resolved)) as T;
}

async function waitFor<T>(what: string, check: () => T | undefined | false | null, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const SERVER_ENV = {
  ODIN_PRINTER_POLL_MS: '50',
  ODIN_RECONNECT_BASE_MS: '50',
  ODIN_RECONNECT_MAX_SECONDS: '1',
  ODIN_PRINTER_TIMEOUT_MS: '1000',
};

describe('live store against the real server', () => {
  let harness: HarnessModule;
  let server: TestServer;
  let window: JsdomWindow;
  let token = '';
  const sims: Simulator[] = [];
  let voron = 0;
  let ender = 0;
  const stores: LiveStore[] = [];

  async function post<T>(path: string, body: unknown, auth = token): Promise<T> {
    const response = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function call(method: string, path: string, body?: unknown): Promise<number> {
    const response = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.status;
  }

  async function fetchLiveStatus(bearer: string): Promise<LivePrinter[]> {
    const response = await fetch(`${server.url}/api/printers/live-status`, { headers: { authorization: `Bearer ${bearer}` } });
    if (!response.ok) throw new Error(`live-status HTTP ${response.status}`);
    return (await response.json()) as LivePrinter[];
  }

  function makeStore(options: Partial<LiveStoreOptions> = {}): LiveStore {
    const store = new LiveStore({
      getToken: () => token,
      socketUrl: () => `${server.url.replace(/^http/, 'ws')}/ws`,
      fetchLiveStatus,
      pollIntervalMs: 200,
      // A timer instead of requestAnimationFrame: notifications still come batched, without a browser frame.
      schedule: (flush) => void setTimeout(flush, 0),
      WebSocketImpl: window.WebSocket,
      ...options,
    });
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    harness = await load<HarnessModule>('../../../server/test/harness.ts');
    const { MoonrakerSimulator } = await load<MoonrakerModule>('../../../simulators/src/moonraker/index.ts');
    const { JSDOM } = await load<JsdomModule>('jsdom');
    window = new JSDOM('', { url: 'http://127.0.0.1/' }).window;

    for (const name of ['Voron 2.4', 'Ender 3']) {
      const sim = new MoonrakerSimulator({ port: 0, speed: 50, name });
      await sim.start();
      sims.push(sim);
    }
    server = await harness.startTestServer({ env: SERVER_ENV });
    token = (
      await post<{ access_token: string }>(
        '/api/setup/admin',
        { username: 'admin', email: 'admin@farm.example', password: 'Adm1nPassword' },
        '',
      )
    ).access_token;
    await post('/api/setup/complete', {});
    voron = (
      await post<{ id: number }>('/api/printers', { name: 'Voron 2.4', api_type: 'moonraker', api_host: `127.0.0.1:${sims[0]?.port}` })
    ).id;
    ender = (
      await post<{ id: number }>('/api/printers', { name: 'Ender 3', api_type: 'moonraker', api_host: `127.0.0.1:${sims[1]?.port}` })
    ).id;
    // Both printers connected and idle before any test looks at the store.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await fetchLiveStatus(token);
      if (rows.length === 2 && rows.every((row) => row.online && row.status === 'idle')) break;
      if (Date.now() > deadline) throw new Error('simulated printers did not come online');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    for (const store of stores) store.stop();
    await server?.close();
    for (const sim of sims) await sim.stop();
    window?.close();
  });

  it('gets the whole fleet as a snapshot and goes live', async () => {
    const store = makeStore();
    expect(store.hasSnapshot).toBe(false);
    store.start();
    expect(store.status).toBe('connecting');
    await waitFor('live with a snapshot', () => store.status === 'live' && store.hasSnapshot);
    expect(store.ids()).toEqual([voron, ender]);
    expect(store.printer(voron)).toMatchObject({ printer_id: voron, name: 'Voron 2.4', status: 'idle', online: true, hms_errors: [] });
    expect(store.printer(ender)).toMatchObject({ printer_id: ender, name: 'Ender 3', status: 'idle', online: true });
    expect(store.all().map((row) => row.printer_id)).toEqual([voron, ender]);
    store.stop();
    expect(store.status).toBe('closed');
  });

  it('merges a delta into its printer and leaves the other entries identical', async () => {
    const store = makeStore();
    store.start();
    await waitFor('snapshot', () => store.hasSnapshot && store.status === 'live');
    const voronBefore = store.printer(voron);
    const enderBefore = store.printer(ender);
    const fleetBefore = store.all();

    sims[0]?.setTargets({ nozzle: 205 });
    const voronAfter = await waitFor('the new nozzle target', () =>
      store.printer(voron)?.nozzle_target_temp === 205 ? store.printer(voron) : undefined,
    );

    expect(voronAfter).not.toBe(voronBefore);
    // The delta carried only what changed; everything else of the entry is still there.
    expect(voronAfter).toMatchObject({ name: 'Voron 2.4', online: true, status: 'idle' });
    expect(store.printer(ender)).toBe(enderBefore);
    expect(store.all()).not.toBe(fleetBefore);
    expect(store.all()[1]).toBe(enderBefore);
    store.stop();
  });

  it('calls a printer listener only for changes of that printer', async () => {
    const store = makeStore();
    store.start();
    await waitFor('snapshot', () => store.hasSnapshot && store.status === 'live');
    let voronCalls = 0;
    let enderCalls = 0;
    let fleetCalls = 0;
    const offVoron = store.subscribePrinter(voron, () => (voronCalls += 1));
    const offEnder = store.subscribePrinter(ender, () => (enderCalls += 1));
    const offFleet = store.subscribe(() => (fleetCalls += 1));

    sims[0]?.startPrint('benchy.gcode', { durationSeconds: 3600, heatSeconds: 5, totalLayers: 200 });
    await waitFor('the print on the Voron', () => ['preparing', 'printing'].includes(store.printer(voron)?.status ?? '') && voronCalls > 0);
    expect(store.printer(voron)?.file_name).toMatch(/benchy/);
    expect(enderCalls).toBe(0);
    expect(fleetCalls).toBeGreaterThan(0);

    offVoron();
    offEnder();
    offFleet();
    const callsWhenUnsubscribed = voronCalls;
    sims[0]?.setTargets({ bed: 65 });
    await waitFor('the bed target', () => store.printer(voron)?.bed_target_temp === 65);
    expect(voronCalls).toBe(callsWhenUnsubscribed);
    store.stop();
  });

  it('falls back to polling over HTTP when the socket cannot connect', async () => {
    const port = await closedPort();
    const store = makeStore({ socketUrl: () => `ws://127.0.0.1:${port}/ws` });
    store.start();
    await waitFor('polling', () => store.status === 'polling');
    await waitFor('rows over HTTP', () => store.hasSnapshot);
    expect(store.ids()).toEqual([voron, ender]);
    // HTTP rows carry what the socket snapshot does not: the protocol and when the printer was last seen.
    expect(store.printer(ender)).toMatchObject({ name: 'Ender 3', api_type: 'moonraker', online: true });
    expect(store.status).toBe('polling');
    store.stop();
  });

  it('also polls when the socket opens but never sends a snapshot', async () => {
    // A socket server that accepts the upgrade and then says nothing (a proxy gone quiet).
    const { WebSocketServer } = await load<WsModule>('ws');
    const silent = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => silent.once('listening', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const store = makeStore({ socketUrl: () => `ws://127.0.0.1:${port}/ws`, snapshotTimeoutMs: 300 });
    try {
      store.start();
      await waitFor('polling after the silence', () => store.status === 'polling' && store.hasSnapshot);
      expect(store.ids()).toEqual([voron, ender]);
    } finally {
      store.stop();
      for (const client of silent.clients) client.terminate();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('keeps an entry identical when a poll repeats what the store already knows', async () => {
    const port = await closedPort();
    const store = makeStore({ socketUrl: () => `ws://127.0.0.1:${port}/ws` });
    store.start();
    await waitFor('rows over HTTP', () => store.hasSnapshot);
    const enderBefore = store.printer(ender);
    let enderCalls = 0;
    const off = store.subscribePrinter(ender, () => (enderCalls += 1));
    // Two more polls (every 200 ms) of an idle printer whose readings do not move.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(store.printer(ender)).toBe(enderBefore);
    expect(enderCalls).toBe(0);
    off();
    store.stop();
  });

  it('follows printers added, renamed, reordered and removed through the API, and says so', async () => {
    const store = makeStore();
    const events: PrinterConfigEvent['type'][] = [];
    // What the provider hangs the query invalidation on: called once the store shows the change.
    store.onPrinterConfig((event) => events.push(event.type));
    store.start();
    await waitFor('live', () => store.status === 'live' && store.hasSnapshot);

    // No protocol: nothing connects, so the entry stays as the server announced it.
    const added = await post<{ id: number }>('/api/printers', { name: 'Prusa MK4' });
    const entry = await waitFor('the new printer', () => store.printer(added.id));
    expect(entry).toMatchObject({ printer_id: added.id, name: 'Prusa MK4', status: 'offline', online: false, hms_errors: [] });
    expect(store.ids()).toEqual([voron, ender, added.id]);

    expect(await call('PATCH', `/api/printers/${added.id}`, { name: 'Prusa MK4S' })).toBe(200);
    await waitFor('the new name', () => store.printer(added.id)?.name === 'Prusa MK4S');
    expect(store.printer(voron)?.name).toBe('Voron 2.4');

    expect(await call('POST', '/api/printers/reorder', { printer_ids: [added.id, ender, voron] })).toBe(200);
    await waitFor('the new order', () => store.ids()[0] === added.id);
    expect(store.ids()).toEqual([added.id, ender, voron]);
    expect(store.all().map((row) => row.printer_id)).toEqual([added.id, ender, voron]);

    expect(await call('DELETE', `/api/printers/${added.id}`)).toBe(204);
    await waitFor('the printer gone', () => !store.ids().includes(added.id));
    expect(store.printer(added.id)).toBeUndefined();
    expect(events).toEqual(['printer_added', 'printer_updated', 'printers_reordered', 'printer_removed']);

    // The order back as the other tests expect it.
    expect(await call('POST', '/api/printers/reorder', { printer_ids: [voron, ender] })).toBe(200);
    await waitFor('the order restored', () => store.ids()[0] === voron);
    store.stop();
  });

  it('reconnects after the server closes the socket and subscribes to its topics again', async () => {
    const sent: { connection: number; message: { type: string; topics?: string[] } }[] = [];
    let connections = 0;
    const Base = window.WebSocket;
    // The browser's socket, counting connections and recording what the store sends on each.
    class RecordingSocket extends Base {
      readonly connection = ++connections;
      override send(data: string): void {
        sent.push({ connection: this.connection, message: JSON.parse(data) as { type: string; topics?: string[] } });
        super.send(data);
      }
    }
    const store = makeStore({ WebSocketImpl: RecordingSocket });
    store.start();
    await waitFor('live', () => store.status === 'live');
    store.setTopics([`printer:${voron}`]);
    await waitFor('the subscription sent', () => sent.some((entry) => entry.message.type === 'subscribe'));

    // A restart: the server closes every socket (1001), then comes back on the same port and data.
    const port = new URL(server.url).port;
    const { dataDir } = server;
    await server.close();
    await waitFor('the fallback while the server is down', () => store.status === 'polling');
    server = await harness.startTestServer({ dataDir, env: { ...SERVER_ENV, ODIN_PORT: port } });

    await waitFor('live again', () => store.status === 'live' && connections >= 2, 15_000);
    const resent = await waitFor('the topics sent on the new connection', () =>
      sent.find((entry) => entry.connection === connections && entry.message.type === 'subscribe'),
    );
    expect(resent.message.topics).toEqual([`printer:${voron}`]);

    // And news flows again on the new connection.
    await waitFor('the Voron back online behind the new server', () => store.printer(voron)?.online === true);
    sims[0]?.setTargets({ nozzle: 190 });
    await waitFor('a delta over the new connection', () => store.printer(voron)?.nozzle_target_temp === 190, 15_000);
    store.stop();
  }, 45_000);
});
