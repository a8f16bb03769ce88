/**
 * Helpers for component tests that run against the real ODIN server (server/test/harness.ts) in jsdom.
 * Test-only: nothing in the app imports this file.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';

import { SessionProvider } from '@/auth/session';
import { ToastProvider } from '@/components/ui/toast';
import { I18nProvider, type Language } from '@/i18n';

interface TestServer {
  url: string;
  close(): Promise<void>;
}
interface Harness {
  startTestServer(options?: { env?: Record<string, string> }): Promise<TestServer>;
}

/*
 * The server is type-checked by its own tsconfig (Node types, not the DOM's), so the web project
 * imports it by a path TypeScript does not follow and describes the little it uses itself.
 */
const HARNESS = '../../../../server/test/harness.ts';

/** Node's fetch and Request resolve relative URLs against this origin, like a browser against its page. */
const GLOBAL_ORIGIN = Symbol.for('undici.globalOrigin.1');

export interface RealServer {
  url: string;
  close(): Promise<void>;
  /** JSON (or form) request to the server, outside the app: to set up users and check results. */
  call<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; json?: unknown; form?: Record<string, string> },
  ): Promise<{ status: number; body: T }>;
  /** Runs the setup wizard's first step (and optionally completes setup); returns the admin's token. */
  setupAdmin(complete?: boolean): Promise<string>;
  createUser(adminToken: string, username: string, role: 'viewer' | 'operator' | 'admin'): Promise<{ id: number; token: string }>;
}

export const ADMIN = { username: 'admin', email: 'admin@farm.example', password: 'Adm1nPassword' } as const;
export const PASSWORD = 'Str0ngPassword';

/** `env`: extra server settings (ODIN_* variables), e.g. a known JWT secret. */
export async function startRealServer(env: Record<string, string> = {}): Promise<RealServer> {
  const harness = (await import(/* @vite-ignore */ HARNESS)) as Harness;
  const server = await harness.startTestServer({ env });
  Object.defineProperty(globalThis, GLOBAL_ORIGIN, { value: new URL(server.url), configurable: true, writable: true });

  async function call<T = unknown>(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; form?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(server.url + path, { method, headers, body });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    return { status: response.status, body: parsed as T };
  }
  const login = async (username: string, password: string) => {
    const response = await call<{ access_token: string }>('POST', '/api/auth/login', { form: { username, password } });
    if (response.status !== 200) throw new Error(`login as ${username}: ${response.status}`);
    return response.body.access_token;
  };

  return {
    url: server.url,
    call,
    async close() {
      await server.close();
      Reflect.deleteProperty(globalThis, GLOBAL_ORIGIN);
    },
    async setupAdmin(complete = true) {
      const response = await call<{ access_token: string }>('POST', '/api/setup/admin', { json: ADMIN });
      if (response.status !== 200) throw new Error(`setup: ${response.status}`);
      if (complete) await call('POST', '/api/setup/complete', { token: response.body.access_token });
      return response.body.access_token;
    },
    async createUser(adminToken, username, role) {
      const response = await call<{ id: number }>('POST', '/api/users', {
        token: adminToken,
        json: { username, email: `${username}@farm.example`, password: PASSWORD, role },
      });
      if (response.status !== 200) throw new Error(`create ${username}: ${response.status}`);
      return { id: response.body.id, token: await login(username, PASSWORD) };
    },
  };
}

/** jsdom has <dialog> but not its modal methods; the app's Dialog needs them. */
export function polyfillDialog(): void {
  const proto = HTMLDialogElement.prototype;
  proto.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

/** The app's providers around a page, at a given address, with a fresh query cache. */
export function renderApp(
  ui: ReactElement,
  { route = '/', language = 'en', wrap }: { route?: string; language?: Language; wrap?: (node: ReactNode) => ReactNode } = {},
) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const tree = (
    <QueryClientProvider client={queryClient}>
      <I18nProvider initial={language}>
        <SessionProvider>
          <ToastProvider>
            <MemoryRouter initialEntries={[route]}>{wrap ? wrap(ui) : ui}</MemoryRouter>
          </ToastProvider>
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
  return { ...render(tree), queryClient };
}
