// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Printer } from '@/api/types';
import {
  buildCreateBody,
  buildTestBody,
  buildUpdateBody,
  emptyValues,
  initialValues,
  type PrinterFormValues,
  serverFieldErrors,
} from '@/components/printer/printer-fields';

import { listQuery, NO_FILTERS, statsQuery } from '../history/history-filters';
import { moveId } from './list/reorder';

/**
 * The requests the printer and history pages build, sent to the real server (in-process, with
 * simulated printers): secrets the form leaves untouched stay stored, the test button uses them,
 * the server's refusals land on the right inputs, the reorder and history queries are accepted.
 *
 * The server, its test helpers and the simulators are loaded at run time by path: the web
 * project's type check (DOM types) must not compile the server (Node types).
 */
interface TestServer {
  url: string;
  close(): Promise<void>;
}
interface HarnessModule {
  startTestServer: (options?: { env?: Record<string, string> }) => Promise<TestServer>;
}
interface ClientModule {
  ApiClient: new (baseUrl: string) => unknown;
  setupAdmin: (api: unknown) => Promise<string>;
}
interface Simulator {
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}
interface PrusaModule {
  PrusaLinkSimulator: new (options: { auth: { username: string; password: string } | { apiKey: string }; name?: string }) => Simulator;
}
interface MoonrakerModule {
  MoonrakerSimulator: new (options: { apiKey?: string | null; name?: string }) => Simulator;
}

const repo = new URL('../../../../', import.meta.url);
const load = <T>(path: string): Promise<T> => import(/* @vite-ignore */ new URL(path, repo).pathname) as Promise<T>;

let server: TestServer;
let token: string;
let prusa: Simulator;
let moonraker: Simulator;

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

const form = (patch: Partial<PrinterFormValues>): PrinterFormValues => ({ ...emptyValues(), ...patch });

beforeAll(async () => {
  const [{ startTestServer }, client, { PrusaLinkSimulator }, { MoonrakerSimulator }] = await Promise.all([
    load<HarnessModule>('server/test/harness.ts'),
    load<ClientModule>('server/test/client.ts'),
    load<PrusaModule>('simulators/src/prusalink/index.ts'),
    load<MoonrakerModule>('simulators/src/moonraker/index.ts'),
  ]);
  prusa = new PrusaLinkSimulator({ auth: { username: 'maker', password: 'digest-secret' }, name: 'MK4' });
  moonraker = new MoonrakerSimulator({ apiKey: 'klipper-key', name: 'voron' });
  await Promise.all([prusa.start(), moonraker.start()]);
  server = await startTestServer();
  token = await client.setupAdmin(new client.ApiClient(server.url));
});

afterAll(async () => {
  await server?.close();
  await Promise.all([prusa?.stop(), moonraker?.stop()]);
});

describe('printer requests against the real server', () => {
  let mk4: Printer;

  it('adds a PrusaLink printer from the form; the password is stored, never returned', async () => {
    const body = buildCreateBody(
      form({
        name: 'MK4',
        model: 'Original Prusa MK4',
        protocol: 'prusalink',
        host: `127.0.0.1:${prusa.port}`,
        username: 'maker',
        password: 'digest-secret',
      }),
    );
    const created = await call<Printer>('POST', '/api/printers', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'MK4', api_type: 'prusalink', username: 'maker', password_set: true, api_key_set: false });
    expect(JSON.stringify(created.body)).not.toContain('digest-secret');
    mk4 = created.body;
  });

  it('an edit that leaves the password empty keeps it, and the test button then uses it', async () => {
    const values = { ...initialValues(mk4), name: 'MK4 left' };
    const patch = buildUpdateBody(values, mk4);
    expect(patch).toEqual({ name: 'MK4 left' });
    const updated = await call<Printer>('PATCH', `/api/printers/${mk4.id}`, patch);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'MK4 left', password_set: true, username: 'maker' });

    const stored = await call<{ success: boolean; message: string }>(
      'POST',
      '/api/printers/test-connection',
      buildTestBody(initialValues(updated.body), updated.body),
    );
    expect(stored.body.success, stored.body.message).toBe(true);
    // A password typed into the form is what gets tested, not the stored one.
    const typed = await call<{ success: boolean; message: string }>(
      'POST',
      '/api/printers/test-connection',
      buildTestBody({ ...initialValues(updated.body), password: 'wrong' }, updated.body),
    );
    expect(typed.body.success).toBe(false);
    expect(typed.body.message).toMatch(/refused the credentials/);
    mk4 = updated.body;
  });

  it('switching PrusaLink to an API key drops the stored user and password', async () => {
    const patch = buildUpdateBody({ ...initialValues(mk4), prusaAuth: 'apikey', apiKey: 'some-key' }, mk4);
    const updated = await call<Printer>('PATCH', `/api/printers/${mk4.id}`, patch);
    expect(updated.body).toMatchObject({ api_key_set: true, password_set: false, username: null });
  });

  it('a Moonraker key can be removed on purpose; the test then goes without it', async () => {
    const created = await call<Printer>(
      'POST',
      '/api/printers',
      buildCreateBody(form({ name: 'Voron', protocol: 'moonraker', host: `127.0.0.1:${moonraker.port}`, apiKey: 'klipper-key' })),
    );
    expect(created.body.api_key_set).toBe(true);
    const ok = await call<{ success: boolean }>(
      'POST',
      '/api/printers/test-connection',
      buildTestBody(initialValues(created.body), created.body),
    );
    expect(ok.body.success).toBe(true);
    const withoutKey = { ...initialValues(created.body), cleared: ['apiKey' as const] };
    const refused = await call<{ success: boolean }>('POST', '/api/printers/test-connection', buildTestBody(withoutKey, created.body));
    expect(refused.body.success).toBe(false);
    const updated = await call<Printer>('PATCH', `/api/printers/${created.body.id}`, buildUpdateBody(withoutKey, created.body));
    expect(updated.body.api_key_set).toBe(false);
  });

  it("puts the server's refusals under the inputs they are about", async () => {
    const invalid = await call<unknown>('PATCH', `/api/printers/${mk4.id}`, { slot_count: 40, camera_url: 'ftp://camera' });
    expect(invalid.status).toBe(422);
    expect(Object.keys(serverFieldErrors(invalid.body)).sort()).toEqual(['cameraUrl', 'slotCount']);
    const duplicate = await call<unknown>(
      'POST',
      '/api/printers',
      buildCreateBody(form({ name: 'Voron', protocol: 'elegoo', host: '127.0.0.1:1' })),
    );
    expect(duplicate.status).toBe(400);
    expect(serverFieldErrors(duplicate.body).name).toMatch(/already exists/);
    const badHost = await call<unknown>(
      'PATCH',
      `/api/printers/${mk4.id}`,
      buildUpdateBody({ ...initialValues(mk4), host: 'http://' }, mk4),
    );
    expect(serverFieldErrors(badHost.body).host).toMatch(/api_host/);
  });

  it('saves a dragged order with the body the list sends', async () => {
    const ids = (await call<Printer[]>('GET', '/api/printers')).body.map((printer) => printer.id);
    const next = moveId(ids, ids[ids.length - 1]!, ids[0]!);
    expect((await call('POST', '/api/printers/reorder', { printer_ids: next })).status).toBe(200);
    expect((await call<Printer[]>('GET', '/api/printers')).body.map((printer) => printer.id)).toEqual(next);
  });

  it('accepts the history queries the filters build', async () => {
    const toSearch = (query: object) =>
      `?${new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString()}`;
    const filters = { ...NO_FILTERS, printerId: mk4.id, status: 'completed' as const, from: '2026-03-09', to: '2026-03-02', page: 2 };
    const list = await call<unknown[]>('GET', `/api/print-jobs${toSearch(listQuery(filters))}`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    const stats = await call<{ total: number }>('GET', `/api/print-jobs/stats${toSearch(statsQuery(filters))}`);
    expect(stats.status).toBe(200);
    expect(stats.body.total).toBe(0);
  });
});
