import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { createSigner } from 'fast-jwt';
import { Compile } from 'typebox/compile';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';

import { ApiClient, PASSWORD, setupAdmin, userWithRole } from '../../../test/client.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { frameText } from '../../../test/ws-frame.js';
import type { PrintJobEvent } from '../../events.js';
import { offlineState } from '../../printers/state.js';
import { LiveServerMessageSchema, type PrinterDelta, type ServerMessage } from './protocol.js';

// ---- a small test client over the real `ws` package ------------------------------------------

type Message = ServerMessage;
type Predicate = (message: Message) => boolean;

/** Every message a test client received that its schema does not describe (checked after each test). */
const offSchema: unknown[] = [];
const serverMessage = Compile(LiveServerMessageSchema);

interface Closed {
  code: number;
  reason: string;
}

class LiveClient {
  readonly received: Message[] = [];
  readonly closed: Promise<Closed>;
  #read = 0;
  readonly #wake = new Set<() => void>();
  #isClosed = false;

  constructor(readonly ws: WebSocket) {
    ws.on('error', () => {}); // surfaced through `closed`
    ws.on('message', (data) => {
      const message: unknown = JSON.parse(frameText(data));
      if (!serverMessage.Check(message)) offSchema.push(message);
      this.received.push(message as Message);
      this.#notify();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.#isClosed = true;
        resolve({ code, reason: reason.toString() });
        this.#notify();
      }),
    );
  }

  #notify(): void {
    for (const wake of [...this.#wake]) wake();
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Every not-yet-read message up to and including the first one matching; fails after `timeoutMs`. */
  async take(predicate: Predicate, timeoutMs = 3000, what = 'a matching message'): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((message, i) => i >= this.#read && predicate(message));
      if (index >= 0) {
        const batch = this.received.slice(this.#read, index + 1);
        this.#read = index + 1;
        return batch;
      }
      if (this.#isClosed)
        throw new Error(
          `connection closed while waiting for ${what}; unread: ${JSON.stringify(this.received.slice(this.#read)).slice(0, 500)}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; unread: ${JSON.stringify(this.received.slice(this.#read)).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
        const wakers = this.#wake;
        wakers.add(done);
      });
    }
  }

  async next(predicate: Predicate, timeoutMs?: number, what?: string): Promise<Message> {
    const batch = await this.take(predicate, timeoutMs, what);
    return batch[batch.length - 1]!;
  }

  async closedWithin(timeoutMs = 3000): Promise<Closed> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.closed,
        new Promise<never>(
          (_resolve, reject) => (timer = setTimeout(() => reject(new Error(`not closed within ${timeoutMs} ms`)), timeoutMs)),
        ),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A round trip: every frame sent before this has been handled by the server. */
  async roundTrip(): Promise<void> {
    this.send({ type: 'ping' });
    await this.next(is('pong'));
  }
}

const is =
  (type: Message['type']): Predicate =>
  (message) =>
    message.type === type;
const isPrinter =
  (printerId: number): Predicate =>
  (message) =>
    (message.type === 'printer_state' || message.type === 'printer_telemetry') && message.data.printer_id === printerId;
const printerIdOf = (message: Message): number | null =>
  message.type === 'printer_state' || message.type === 'printer_telemetry' ? message.data.printer_id : null;
const delta = (message: Message): PrinterDelta => {
  if (message.type !== 'printer_state' && message.type !== 'printer_telemetry') throw new Error(`not a printer delta: ${message.type}`);
  return message.data;
};

interface ConnectOptions {
  token?: string;
  apiKey?: string;
  apiKeyInQuery?: string;
  autoPong?: boolean;
}

function wsUrl(server: TestServer, options: ConnectOptions = {}): string {
  const url = new URL('/ws', server.url.replace(/^http/, 'ws'));
  if (options.token !== undefined) url.searchParams.set('token', options.token);
  if (options.apiKeyInQuery !== undefined) url.searchParams.set('api_key', options.apiKeyInQuery);
  return url.toString();
}

const openClients = new Set<LiveClient>();

async function connect(server: TestServer, options: ConnectOptions = {}): Promise<LiveClient> {
  const ws = new WebSocket(wsUrl(server, options), {
    ...(options.apiKey ? { headers: { 'x-api-key': options.apiKey } } : {}),
    ...(options.autoPong === false ? { autoPong: false } : {}),
  });
  const client = new LiveClient(ws);
  openClients.add(client);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

/** Opens an authenticated connection (token in the query) and reads the welcome and the default snapshot. */
async function openAs(server: TestServer, token: string, options: ConnectOptions = {}): Promise<LiveClient> {
  const client = await connect(server, { ...options, token });
  await client.next(is('welcome'));
  await client.next(is('printer_snapshot'));
  return client;
}

async function subscribe(client: LiveClient, topics: string[]): Promise<Message[]> {
  client.send({ type: 'subscribe', topics });
  return client.take(is('subscribed'));
}

async function closeAll(): Promise<void> {
  // The schema is the protocol's one declaration: whatever the server sent must fit it.
  expect(offSchema.splice(0)).toEqual([]);
  await Promise.all(
    [...openClients].map(async (client) => {
      if (client.ws.readyState !== WebSocket.CLOSED) client.ws.terminate();
      await client.closed;
    }),
  );
  openClients.clear();
}

async function until(condition: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function jobEvent(id: number, printerId: number, status: PrintJobEvent['status'] = 'running'): PrintJobEvent {
  return {
    id,
    printer_id: printerId,
    job_id: `task-${id}`,
    filename: 'benchy.gcode',
    status,
    started_at: '2025-01-01T10:00:00.000Z',
    ended_at: status === 'running' ? null : '2025-01-01T11:00:00.000Z',
    progress_percent: status === 'completed' ? 100 : 12.5,
    current_layer: 10,
    total_layers: 80,
    error_code: null,
    error_message: null,
  };
}

// ---- the main server -------------------------------------------------------------------------

describe('/ws live events', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    admin = await setupAdmin(api);
    viewer = (await userWithRole(api, admin, 'viewer')).token;
  });
  afterEach(closeAll);
  afterAll(() => server.close());

  const live = () => server.odin.services.live;

  describe('authentication on open', () => {
    it('accepts a token in the query: welcome with the user and the default topics, then a fleet snapshot', async () => {
      live().apply(1, { status: 'idle', online: true, nozzle_temp: 24.5 });
      const client = await connect(server, { token: viewer });
      const batch = await client.take(is('printer_snapshot'));
      expect(batch.map((m) => m.type)).toEqual(['welcome', 'printer_snapshot']);
      const [welcome, snapshot] = batch as [Message, Message];
      expect(welcome).toMatchObject({
        type: 'welcome',
        data: { user: { username: 'viewer1', role: 'viewer' }, topics: ['printers', 'jobs'] },
      });
      expect(Math.abs(welcome.ts - Date.now())).toBeLessThan(5000);
      if (snapshot.type !== 'printer_snapshot') throw new Error('expected a snapshot');
      expect(snapshot.data.printers.find((p) => p.printer_id === 1)).toEqual({ printer_id: 1, name: null, ...live().get(1) });
      expect(snapshot.data.printers.find((p) => p.printer_id === 1)).toMatchObject({ status: 'idle', online: true, nozzle_temp: 24.5 });
    });

    it('accepts the token as the first message, after answering earlier messages with an error', async () => {
      const client = await connect(server);
      client.send({ type: 'subscribe', topics: ['jobs'] });
      const refused = await client.next(is('error'));
      expect(refused.data).toEqual({ code: 'not_authenticated', detail: expect.stringMatching(/not authenticated/i) as string });
      client.send({ type: 'auth', token: admin });
      const welcome = await client.next(is('welcome'));
      expect(welcome).toMatchObject({ data: { user: { username: 'admin', role: 'admin' }, topics: ['printers', 'jobs'] } });
      await client.next(is('printer_snapshot'));
      await client.roundTrip();
    });

    it('closes with 4401 when the auth message carries no token', async () => {
      const client = await connect(server);
      client.send({ type: 'auth' });
      expect(await client.closedWithin()).toEqual({ code: 4401, reason: 'Not authenticated' });
      expect(client.received.filter((m) => m.type === 'welcome')).toEqual([]);
    });

    it('closes with 4401 a connection that never authenticates, after about 5 seconds', async () => {
      const started = performance.now();
      const client = await connect(server);
      expect(await client.closedWithin(8000)).toEqual({ code: 4401, reason: 'Authentication timeout' });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThan(4500);
      expect(elapsed).toBeLessThan(7000);
    }, 15_000);

    it('closes with 4401 for a forged token, in the query or the first message', async () => {
      const viaQuery = await connect(server, { token: 'not-a-jwt' });
      expect(await viaQuery.closedWithin()).toEqual({ code: 4401, reason: 'Invalid or expired token' });
      const viaMessage = await connect(server);
      viaMessage.send({ type: 'auth', token: `${viewer}x` });
      expect(await viaMessage.closedWithin()).toEqual({ code: 4401, reason: 'Invalid or expired token' });
    });

    it('closes with 4401 for an expired token', async () => {
      const secret = fs.readFileSync(path.join(server.dataDir, '.jwt_secret'), 'utf8').trim();
      const now = Math.floor(Date.now() / 1000);
      const expired = createSigner({ key: secret, algorithm: 'HS256' })({
        sub: 'admin',
        role: 'admin',
        jti: randomUUID(),
        iat: now - 7200,
        exp: now - 3600,
      });
      // Sanity: the same token signed with a future expiry is accepted, so only the expiry is wrong.
      const fresh = createSigner({ key: secret, algorithm: 'HS256' })({
        sub: 'admin',
        role: 'admin',
        jti: randomUUID(),
        iat: now,
        exp: now + 3600,
      });
      await openAs(server, fresh);
      const client = await connect(server, { token: expired });
      expect(await client.closedWithin()).toEqual({ code: 4401, reason: 'Invalid or expired token' });
    });

    it('closes with 4401 for a revoked token and for a disabled account, as HTTP answers 401', async () => {
      const { id, token } = await userWithRole(api, admin, 'viewer', 'leaver');
      expect((await api.post('/api/auth/logout', { token })).status).toBe(200);
      expect((await api.get('/api/auth/me', { token })).status).toBe(401);
      const revoked = await connect(server, { token });
      expect(await revoked.closedWithin()).toEqual({ code: 4401, reason: 'Token has been revoked' });

      const second = await api.login('leaver', PASSWORD);
      await openAs(server, second);
      expect((await api.patch(`/api/users/${id}`, { token: admin, json: { is_active: false } })).status).toBe(200);
      const disabled = await connect(server, { token: second });
      expect(await disabled.closedWithin()).toEqual({ code: 4401, reason: 'User account is disabled' });
    });

    it('answers a plain HTTP GET with 426 instead of upgrading', async () => {
      const response = await api.get<{ detail: string }>('/ws');
      expect(response.status).toBe(426);
      expect(response.body.detail).toMatch(/WebSocket/);
    });
  });

  describe('topics, snapshots and deltas', () => {
    it('sends one snapshot on subscribe, then only the fields that changed', async () => {
      live().apply(11, { status: 'idle', online: true, nozzle_temp: 25, bed_temp: 24 });
      const client = await openAs(server, viewer);
      const batch = await subscribe(client, ['printer:11']);
      expect(batch.map((m) => m.type)).toEqual(['printer_snapshot', 'subscribed']);
      expect(batch[0]!.data).toEqual({ printers: [{ printer_id: 11, name: null, ...live().get(11) }] });
      expect(batch[1]!.data).toEqual({ topics: ['printer:11'] });

      live().apply(11, { nozzle_temp: 210, bed_temp: 24 });
      const telemetry = await client.next(isPrinter(11));
      expect(telemetry).toEqual({
        type: 'printer_telemetry',
        data: { printer_id: 11, changes: { nozzle_temp: 210 } },
        ts: expect.any(Number) as number,
      });

      live().apply(11, { status: 'printing', progress: 3, nozzle_temp: 210, online: true });
      const state = await client.next(isPrinter(11));
      expect(state).toEqual({
        type: 'printer_state',
        data: { printer_id: 11, changes: { status: 'printing', progress: 3 } },
        ts: expect.any(Number) as number,
      });

      live().apply(11, { error_message: 'Filament runout' });
      expect(await client.next(isPrinter(11))).toMatchObject({
        type: 'printer_state',
        data: { changes: { error_message: 'Filament runout' } },
      });
    });

    it('a printer topic filters out every other printer', async () => {
      const one = await openAs(server, viewer);
      await subscribe(one, ['printer:21']);
      const fleet = await openAs(server, viewer);

      // Same flush: 22 goes out before 21, so it would reach `one` first if the filter leaked.
      live().apply(22, { nozzle_temp: 50 });
      live().apply(21, { nozzle_temp: 60 });
      const fleetBatch = await fleet.take(isPrinter(21));
      expect(fleetBatch.map(printerIdOf)).toEqual([22, 21]);
      const oneBatch = await one.take(isPrinter(21));
      expect(oneBatch.map(printerIdOf)).toEqual([21]);

      // Separate flushes: 22 alone, then 21.
      live().apply(22, { nozzle_temp: 51 });
      await fleet.next(isPrinter(22));
      live().apply(21, { nozzle_temp: 61 });
      await fleet.next(isPrinter(21));
      const later = await one.take(isPrinter(21));
      expect(later.map((m) => [printerIdOf(m), delta(m).changes])).toEqual([[21, { nozzle_temp: 61 }]]);
    });

    it('the first explicit subscribe replaces the defaults; later ones widen, unsubscribe narrows', async () => {
      const client = await openAs(server, viewer);
      await subscribe(client, ['jobs']);
      // Now jobs only: printer changes no longer arrive.
      live().apply(23, { nozzle_temp: 70 });
      server.odin.services.bus.emit('job_update', jobEvent(2300, 23));
      expect((await client.take(is('job_update'))).map((m) => m.type)).toEqual(['job_update']);

      const widened = await subscribe(client, ['printers']);
      expect(widened.map((m) => m.type)).toEqual(['printer_snapshot', 'subscribed']);
      expect(widened[1]!.data).toEqual({ topics: ['printers', 'jobs'] });
      if (widened[0]!.type === 'printer_snapshot') expect(widened[0].data.printers.find((p) => p.printer_id === 23)?.nozzle_temp).toBe(70);

      client.send({ type: 'unsubscribe', topics: ['printers'] });
      expect(await client.next(is('unsubscribed'))).toMatchObject({ data: { topics: ['jobs'] } });
    });

    it('coalesces rapid patches of a printer into one message, within ~100 ms of the first', async () => {
      const client = await openAs(server, viewer);
      await subscribe(client, ['printer:31']);
      live().apply(31, { nozzle_temp: 20 });
      await client.next(isPrinter(31));

      const started = performance.now();
      live().apply(31, { nozzle_temp: 100 });
      await client.roundTrip(); // real time passes between the patches, no fixed sleep
      live().apply(31, { nozzle_temp: 101, bed_temp: 50 });
      await client.roundTrip();
      live().apply(31, { progress: 10 });
      const batch = await client.take(isPrinter(31));
      const latency = performance.now() - started;
      expect(batch.filter(isPrinter(31))).toEqual([
        {
          type: 'printer_telemetry',
          data: { printer_id: 31, changes: { nozzle_temp: 101, bed_temp: 50, progress: 10 } },
          ts: expect.any(Number) as number,
        },
      ]);
      // Held for the coalescing window (so the spaced-out patches above could merge), and no longer.
      expect(latency).toBeGreaterThanOrEqual(80);
      expect(latency).toBeLessThan(250);

      // The next message carries only the next change (nothing of the burst was left over).
      live().apply(31, { fan_speed: 40 });
      expect(delta(await client.next(isPrinter(31))).changes).toEqual({ fan_speed: 40 });
    });

    it("sends a printer's readings at most once a second, and any other change at once with the readings that waited", async () => {
      const client = await openAs(server, viewer);
      await subscribe(client, ['printer:34']);
      live().apply(34, { nozzle_temp: 200 });
      await client.next(isPrinter(34)); // the first change of a printer is not held back
      const firstArrived = performance.now();
      for (let i = 1; i <= 4; i++) {
        live().apply(34, { nozzle_temp: 200 + i, elapsed_seconds: i });
        await client.roundTrip();
      }
      const readings = await client.take(isPrinter(34));
      expect(readings.filter(isPrinter(34)).map((m) => delta(m).changes)).toEqual([{ nozzle_temp: 204, elapsed_seconds: 4 }]);
      expect(performance.now() - firstArrived).toBeGreaterThanOrEqual(900);

      // A target is not a reading: it goes out within the flush window, with the reading waiting beside it.
      live().apply(34, { nozzle_temp: 205 });
      const started = performance.now();
      live().apply(34, { nozzle_target_temp: 210 });
      expect(delta(await client.next(isPrinter(34))).changes).toEqual({ nozzle_temp: 205, nozzle_target_temp: 210 });
      expect(performance.now() - started).toBeLessThan(250);
    });

    it('delivers a single change end to end in under 250 ms', async () => {
      const client = await openAs(server, viewer);
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        live().apply(32, { progress: i + 1 });
        const message = await client.next(isPrinter(32));
        expect(performance.now() - started).toBeLessThan(250);
        expect(delta(message).changes).toEqual({ progress: i + 1 });
      }
    });

    it('a state change inside a telemetry burst makes the merged message a printer_state', async () => {
      const client = await openAs(server, viewer);
      live().apply(33, { nozzle_temp: 30, status: 'idle' });
      await client.next(isPrinter(33));
      live().apply(33, { nozzle_temp: 31 });
      live().apply(33, { status: 'printing' });
      expect(await client.next(isPrinter(33))).toMatchObject({
        type: 'printer_state',
        data: { changes: { nozzle_temp: 31, status: 'printing' } },
      });
    });
  });

  describe('job events', () => {
    it('reach jobs subscribers (and the default subscription) but not a printer-only subscriber', async () => {
      const jobs = await openAs(server, viewer);
      await subscribe(jobs, ['jobs']);
      const byDefault = await openAs(server, viewer);
      const printerOnly = await openAs(server, viewer);
      await subscribe(printerOnly, ['printer:41']);
      const bus = server.odin.services.bus;

      const started = jobEvent(4100, 41);
      bus.emit('job_started', started);
      expect(await jobs.next(is('job_started'))).toEqual({ type: 'job_started', data: started, ts: expect.any(Number) as number });
      expect((await byDefault.next(is('job_started'))).data).toEqual(started);

      const update = { ...started, progress_percent: 50 };
      bus.emit('job_update', update);
      expect((await jobs.next(is('job_update'))).data).toEqual(update);

      // A printer change right before the job ends goes out first (bus order is kept).
      live().apply(41, { status: 'finished', progress: 100 });
      const completed = jobEvent(4100, 41, 'completed');
      bus.emit('job_completed', completed);
      const tail = await byDefault.take(is('job_completed'));
      expect(tail.map((m) => m.type)).toEqual(['job_update', 'printer_state', 'job_completed']);
      expect(tail[2]!.data).toEqual(completed);

      const printerBatch = await printerOnly.take(isPrinter(41));
      expect(printerBatch.map((m) => m.type)).toEqual(['printer_state']);
    });
  });

  describe('printer configuration', () => {
    const isConfig: Predicate = (message) =>
      ['printer_added', 'printer_updated', 'printers_reordered', 'printer_removed'].includes(message.type);

    async function addPrinter(name: string): Promise<number> {
      const response = await api.post<{ id: number }>('/api/printers', { token: admin, json: { name, model: 'Voron 2.4' } });
      expect(response.status).toBe(201);
      return response.body.id;
    }

    it('tells the fleet when a printer is added, renamed, deactivated, reordered and deleted', async () => {
      const client = await openAs(server, viewer);

      const id = await addPrinter('Config One');
      const added = await client.next(is('printer_added'));
      expect(added).toEqual({
        type: 'printer_added',
        data: {
          printer_id: id,
          printer: {
            name: 'Config One',
            nickname: null,
            model: 'Voron 2.4',
            api_type: null,
            is_active: true,
            is_favorite: false,
            display_order: expect.any(Number) as number,
          },
          state: expect.any(Object) as object,
        },
        ts: expect.any(Number) as number,
      });
      // The whole state (other tests may have fed this id, so not necessarily offline): a client adds
      // the printer from this message alone.
      if (added.type !== 'printer_added') throw new Error('expected printer_added');
      expect(Object.keys(added.data.state).sort()).toEqual(Object.keys(offlineState()).sort());

      expect((await api.patch(`/api/printers/${id}`, { token: admin, json: { name: 'Config Renamed' } })).status).toBe(200);
      expect((await client.next(is('printer_updated'))).data).toEqual({ printer_id: id, changes: { name: 'Config Renamed' } });

      expect(
        (await api.patch(`/api/printers/${id}`, { token: admin, json: { is_active: false, camera_url: 'http://cam.example/s' } })).status,
      ).toBe(200);
      // Only the listing fields: the camera is no business of lists (and says so by its absence).
      expect((await client.next(is('printer_updated'))).data).toEqual({ printer_id: id, changes: { is_active: false } });

      const other = await addPrinter('Config Two');
      await client.next(is('printer_added'));
      expect((await api.post('/api/printers/reorder', { token: admin, json: { printer_ids: [other, id] } })).status).toBe(200);
      const reordered = await client.next(is('printers_reordered'));
      if (reordered.type !== 'printers_reordered') throw new Error('expected a reorder');
      expect(reordered.data.printer_ids.slice(0, 2)).toEqual([other, id]);
      const listed = (await api.get<{ id: number }[]>('/api/printers', { token: viewer })).body.map((printer) => printer.id);
      expect(reordered.data.printer_ids).toEqual(listed);

      expect((await api.delete(`/api/printers/${id}`, { token: admin })).status).toBe(204);
      expect((await client.next(is('printer_removed'))).data).toEqual({ printer_id: id });
      await api.delete(`/api/printers/${other}`, { token: admin });
      await client.next(is('printer_removed'));
    });

    it('follows topics: a printer topic hears about its printer only, a jobs-only client about none', async () => {
      const id = await addPrinter('Config Topic');
      const neighbour = await addPrinter('Config Neighbour');
      const mine = await openAs(server, viewer);
      await subscribe(mine, [`printer:${id}`]);
      const jobsOnly = await openAs(server, viewer);
      await subscribe(jobsOnly, ['jobs']);

      await api.patch(`/api/printers/${neighbour}`, { token: admin, json: { nickname: 'next door' } });
      await api.post('/api/printers/reorder', { token: admin, json: { printer_ids: [id, neighbour] } });
      await api.patch(`/api/printers/${id}`, { token: admin, json: { nickname: 'mine' } });
      const batch = await mine.take(is('printer_updated'));
      // Neither the neighbour's edit nor the fleet-wide order reached the single-printer topic.
      expect(batch.filter(isConfig)).toEqual([
        { type: 'printer_updated', data: { printer_id: id, changes: { nickname: 'mine' } }, ts: expect.any(Number) as number },
      ]);

      await api.delete(`/api/printers/${id}`, { token: admin });
      expect((await mine.next(is('printer_removed'))).data).toEqual({ printer_id: id });
      await jobsOnly.roundTrip();
      expect(jobsOnly.received.filter(isConfig)).toEqual([]);
      await api.delete(`/api/printers/${neighbour}`, { token: admin });
    });

    it('sends changes made before a removal first, in bus order', async () => {
      const id = await addPrinter('Config Order');
      const client = await openAs(server, viewer);
      live().apply(id, { nozzle_temp: 42 });
      expect((await api.delete(`/api/printers/${id}`, { token: admin })).status).toBe(204);
      const batch = await client.take(is('printer_removed'));
      expect(batch.filter((m) => isPrinter(id)(m) || m.type === 'printer_removed').map((m) => m.type)).toEqual([
        'printer_telemetry',
        'printer_removed',
      ]);
    });
  });

  describe('robustness', () => {
    it('answers malformed and unknown messages with an error and keeps the connection working', async () => {
      const client = await openAs(server, viewer);
      const cases: [string | Buffer, string, RegExp][] = [
        ['not json', 'malformed_message', /not JSON/],
        ['[1,2,3]', 'malformed_message', /expected a JSON object/],
        ['"text"', 'malformed_message', /expected a JSON object/],
        ['{"nope":1}', 'malformed_message', /"type" is missing/],
        ['{"type":"dance"}', 'unknown_message_type', /Unknown message type "dance"/],
        ['{"type":"subscribe","topics":"printers"}', 'invalid_message', /must be an array/],
        ['{"type":"subscribe"}', 'invalid_message', /must be an array/],
        ['{"type":"subscribe","topics":["printer:abc"]}', 'unknown_topic', /Unknown topic "printer:abc"/],
        ['{"type":"subscribe","topics":["printer:0"]}', 'unknown_topic', /Unknown topic/],
        ['{"type":"unsubscribe","topics":[12]}', 'unknown_topic', /Unknown topic "number"/],
        [Buffer.from([0xde, 0xad]), 'malformed_message', /Binary frames/],
      ];
      for (const [frame, code, detail] of cases) {
        if (typeof frame === 'string') client.ws.send(frame);
        else client.ws.send(frame, { binary: true });
        const batch = await client.take(is('error'));
        expect(batch).toHaveLength(1);
        expect(batch[0]!.data).toEqual({ code, detail: expect.stringMatching(detail) as string });
      }
      // The refused subscribe changed nothing: still the defaults, still receiving.
      await client.roundTrip();
      live().apply(51, { nozzle_temp: 1 });
      expect(delta(await client.next(isPrinter(51))).changes).toEqual({ nozzle_temp: 1 });
    });

    it('closes only the offending connection (1009) for a message over 64 KiB; the server goes on', async () => {
      const bystander = await openAs(server, viewer);
      const client = await openAs(server, viewer);
      client.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70 * 1024) }));
      expect((await client.closedWithin()).code).toBe(1009);
      await bystander.roundTrip();
      await openAs(server, viewer);
    });

    it('drops a client that stops reading (1 MiB backlog) while a reading client keeps receiving', async () => {
      const warn = vi.spyOn(server.odin.app.log, 'warn');
      const wss = server.odin.app.websocketServer;
      const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', (socket: WebSocket) => resolve(socket)));
      const slow = await openAs(server, viewer);
      const slowOnServer = await serverSide;
      let slowGone = false;
      slowOnServer.once('close', () => (slowGone = true));
      const fast = await openAs(server, viewer);

      (slow.ws as unknown as { _socket: net.Socket })._socket.pause();
      const big = 'x'.repeat(60_000);
      const printers = Array.from({ length: 50 }, (_, i) => 600 + i);
      let rounds = 0;
      for (; rounds < 80 && !slowGone; rounds++) {
        for (const id of printers) live().apply(id, { file_name: `${rounds}-${big}` });
        // The reading client gets every round (it is never held back by the stalled one).
        const last = await fast.next((m) => isPrinter(649)(m) && delta(m).changes.file_name?.startsWith(`${rounds}-`) === true, 5000);
        expect(last.type).toBe('printer_state');
      }
      await until(() => slowGone, 5000, 'the slow client to be dropped');
      expect(rounds).toBeGreaterThan(1);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ user: 'viewer1' }), expect.stringMatching(/too slow/));
      warn.mockRestore();

      live().apply(649, { file_name: 'after' });
      expect(delta(await fast.next(isPrinter(649))).changes).toEqual({ file_name: 'after' });
      await fast.roundTrip();
      (slow.ws as unknown as { _socket: net.Socket })._socket.resume();
      // Its close frame (1013) was queued behind the backlog it never read, so it usually sees 1006.
      expect([1006, 1013]).toContain((await slow.closedWithin(10_000)).code);
    }, 60_000);
  });
});

// ---- perimeter key ---------------------------------------------------------------------------

describe('/ws behind the perimeter key', () => {
  const KEY = 'perimeter-key-for-live-tests';
  let server: TestServer;
  let viewer: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { ODIN_API_KEY: KEY } });
    const api = new ApiClient(server.url, { apiKey: KEY });
    const admin = await setupAdmin(api);
    viewer = (await userWithRole(api, admin, 'viewer')).token;
  });
  afterEach(closeAll);
  afterAll(() => server.close());

  it('closes with 4401 a valid token without the key, or with a wrong key', async () => {
    const none = await connect(server, { token: viewer });
    expect(await none.closedWithin()).toEqual({ code: 4401, reason: 'Invalid or missing API key' });
    const wrongHeader = await connect(server, { token: viewer, apiKey: 'wrong' });
    expect(await wrongHeader.closedWithin()).toEqual({ code: 4401, reason: 'Invalid or missing API key' });
    const wrongQuery = await connect(server, { token: viewer, apiKeyInQuery: `${KEY}x` });
    expect(await wrongQuery.closedWithin()).toEqual({ code: 4401, reason: 'Invalid or missing API key' });
    expect([...none.received, ...wrongHeader.received, ...wrongQuery.received]).toEqual([]);
  });

  it('accepts the key in the X-API-Key header or the api_key query parameter', async () => {
    const header = await openAs(server, viewer, { apiKey: KEY });
    await header.roundTrip();
    const query = await openAs(server, viewer, { apiKeyInQuery: KEY });
    await query.roundTrip();
  });

  it('still needs a valid token with the right key', async () => {
    const client = await connect(server, { token: 'garbage', apiKey: KEY });
    expect(await client.closedWithin()).toEqual({ code: 4401, reason: 'Invalid or expired token' });
  });
});

// ---- heartbeat (the 25 s interval is driven by fake setInterval; everything else is real) -----

describe('/ws heartbeat', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    server = await startTestServer();
    api = new ApiClient(server.url);
    admin = await setupAdmin(api);
  });
  afterEach(closeAll);
  afterAll(async () => {
    await server.close();
    vi.useRealTimers();
  });

  it('pings every 25 s, terminates a client that never pongs, and closes a session revoked meanwhile', async () => {
    const responsive = await openAs(server, admin);
    const silent = await openAs(server, admin, { autoPong: false });
    const { token } = await userWithRole(api, admin, 'viewer', 'hb-viewer');
    const revoked = await openAs(server, token);
    const framePings = { responsive: 0, silent: 0 };
    responsive.ws.on('ping', () => framePings.responsive++);
    silent.ws.on('ping', () => framePings.silent++);
    expect((await api.post('/api/auth/logout', { token })).status).toBe(200);

    vi.advanceTimersByTime(25_000);
    expect(await responsive.next(is('ping'))).toEqual({ type: 'ping', data: {}, ts: expect.any(Number) as number });
    await silent.next(is('ping'));
    await until(() => framePings.responsive === 1 && framePings.silent === 1, 3000, 'ping frames');
    // The revoked session is noticed on the heartbeat, as the next HTTP request would notice it.
    expect(await revoked.closedWithin()).toEqual({ code: 4401, reason: 'Token has been revoked' });
    await responsive.roundTrip(); // its automatic pong has reached the server

    vi.advanceTimersByTime(25_000);
    expect((await silent.closedWithin()).code).toBe(1006); // terminated, no closing handshake
    await responsive.next(is('ping'));
    await until(() => framePings.responsive === 2, 3000, 'second ping frame');
    await responsive.roundTrip();
    expect(responsive.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('answers an application-level ping with a pong', async () => {
    const client = await openAs(server, admin);
    client.send({ type: 'ping' });
    expect(await client.next(is('pong'))).toEqual({ type: 'pong', data: {}, ts: expect.any(Number) as number });
  });
});

// ---- shutdown --------------------------------------------------------------------------------

describe('/ws on server shutdown', () => {
  it('closes every client with 1001 and stops delivering', async () => {
    const server = await startTestServer();
    const api = new ApiClient(server.url);
    const admin = await setupAdmin(api);
    const first = await openAs(server, admin);
    const second = await connect(server); // not yet authenticated
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await first.closedWithin()).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(await second.closedWithin()).toEqual({ code: 1001, reason: 'Server shutting down' });
    // The hub no longer listens: an event after close neither throws nor schedules anything.
    expect(() => server.odin.services.live.apply(1, { nozzle_temp: 99 })).not.toThrow();
    await closeAll();
  });
});
