import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { configureAuth } from '@/api/client';
import type { Printer } from '@/api/types';
import { ToastProvider } from '@/components/ui/toast';
import { I18nProvider } from '@/i18n';

import { printerKeys, useReorderPrinters } from '../printer-queries';
import { moveId } from './reorder';

/**
 * The reorder mutation against the real server (its own process): the list moves before the
 * server answers, stays as the server stored it, and goes back with a toast when it is refused.
 *
 * The app calls relative URLs ("/api/…"), which a browser resolves against the page; Node's
 * Request does not, so before the API client is loaded its Request is given the server's origin.
 */
const origin = vi.hoisted(() => {
  const state = { url: '' };
  const NodeRequest = globalThis.Request;
  globalThis.Request = class extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === 'string' && input.startsWith('/') ? state.url + input : input, init);
    }
  };
  return state;
});

interface Spawned {
  child: { kill(signal?: string): boolean; once(event: 'exit', listener: () => void): void; exitCode: number | null };
  url: string;
}
interface ChildProcessModule {
  spawnServer: (env: Record<string, string>) => Promise<Spawned>;
}
interface ClientModule {
  ApiClient: new (baseUrl: string) => { post(path: string, options: { token: string; json: unknown }): Promise<{ status: number }> };
  setupAdmin: (api: unknown) => Promise<string>;
}
const repo = new URL('../../../../../', import.meta.url);
// Loaded by path: the web type check (DOM types) must not compile the server's test helpers.
const load = <T,>(path: string): Promise<T> => import(/* @vite-ignore */ new URL(path, repo).pathname) as Promise<T>;
const nodeModule = <T,>(name: string): Promise<T> => import(/* @vite-ignore */ name) as Promise<T>;

let server: Spawned;
let token = '';
let dataDir = '';

async function printers(): Promise<Printer[]> {
  const response = await fetch(`${server.url}/api/printers`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as Printer[];
}

beforeAll(async () => {
  const { spawnServer } = await load<ChildProcessModule>('server/test/child-process.ts');
  const { ApiClient, setupAdmin } = await load<ClientModule>('server/test/client.ts');
  const os = await nodeModule<{ tmpdir: () => string }>('node:os');
  dataDir = `${os.tmpdir()}/odin-web-reorder-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  server = await spawnServer({
    ODIN_DATA_DIR: dataDir,
    ODIN_BCRYPT_ROUNDS: '4',
    ODIN_LOG_LEVEL: 'silent',
    ODIN_WEB_DIR: `${dataDir}/no-web-build`,
  });
  origin.url = server.url;
  const api = new ApiClient(server.url);
  token = await setupAdmin(api);
  for (const name of ['Alpha', 'Bravo', 'Charlie']) {
    const created = await api.post('/api/printers', { token, json: { name } });
    expect(created.status).toBe(201);
  }
  configureAuth(
    () => token,
    () => {},
  );
}, 60_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    const exited = new Promise<void>((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
  if (dataDir)
    (await nodeModule<{ rmSync(path: string, options: { recursive: boolean; force: boolean }): void }>('node:fs')).rmSync(dataDir, {
      recursive: true,
      force: true,
    });
});

afterEach(cleanup);

function setup(initial: Printer[]) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  queryClient.setQueryData(printerKeys.list, initial);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <I18nProvider initial="en">
        <ToastProvider>{children}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
  const hook = renderHook(() => useReorderPrinters(), { wrapper });
  const names = () => (queryClient.getQueryData<Printer[]>(printerKeys.list) ?? []).map((printer) => printer.name);
  return { hook, names };
}

describe('saving a new printer order', () => {
  it('moves the list at once and keeps the order the server stored', async () => {
    const list = await printers();
    expect(list.map((printer) => printer.name)).toEqual(['Alpha', 'Bravo', 'Charlie']);
    const { hook, names } = setup(list);
    const ids = moveId(
      list.map((printer) => printer.id),
      list[2]!.id,
      list[0]!.id,
    );
    act(() => hook.result.current.mutate(ids));
    // The list shows the new order (onMutate sets it before the request goes out).
    await waitFor(() => expect(names()).toEqual(['Charlie', 'Alpha', 'Bravo']));
    await waitFor(() => expect(hook.result.current.isSuccess).toBe(true));
    expect((await printers()).map((printer) => printer.name)).toEqual(['Charlie', 'Alpha', 'Bravo']);
    await waitFor(() => expect(names()).toEqual(['Charlie', 'Alpha', 'Bravo']));
  });

  it('goes back to the old order with a toast in words when the server refuses', async () => {
    const list = await printers();
    const { hook, names } = setup(list);
    const before = names();
    // A printer deleted meanwhile (in another tab): the server refuses the whole order.
    act(() => hook.result.current.mutate([999_999, ...list.map((printer) => printer.id).reverse()]));
    await waitFor(() => expect(hook.result.current.isError).toBe(true));
    expect(names()).toEqual(before);
    const toast = await screen.findByRole('alert');
    expect(toast.textContent).toContain('The new order was not saved: This printer no longer exists.');
    expect((await printers()).map((printer) => printer.name)).toEqual(before);
  });
});
