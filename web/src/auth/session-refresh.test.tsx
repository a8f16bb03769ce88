import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { api } from '@/api/client';
import { ADMIN, type RealServer, startRealServer } from '@/pages/settings/test-support';

import { accessClaims } from './jwt-claims';
import { SessionProvider, useSession } from './session';
import { SessionRefresher } from './session-refresher';
import { readRefreshToken, readToken, writeTokens } from './token-store';

/**
 * The browser side of refresh tokens against the real server: the refresher's schedule, the API
 * client's renew-and-retry on a 401, the session ending when the server refuses the refresh token,
 * and logout handing the refresh token back.
 */

interface Tokens {
  access_token: string;
  refresh_token: string;
}
interface NodeCrypto {
  createHmac: (algorithm: string, key: string) => { update(data: string): { digest(encoding: 'base64url'): string } };
}

const JWT_SECRET = 'a-known-secret-for-forging-expired-tokens-in-tests';
const nodeModule = <T,>(name: string): Promise<T> => import(/* @vite-ignore */ name) as Promise<T>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An access token of ours that expired a minute ago (a laptop woke up after the refresh was due). */
async function expiredToken(username: string): Promise<string> {
  const { createHmac } = await nodeModule<NodeCrypto>('node:crypto');
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: username, role: 'admin', jti: `expired-${now}`, iat: now - 86_460, exp: now - 60 })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

let server: RealServer;

async function login(): Promise<Tokens> {
  const response = await server.call<Tokens>('POST', '/api/auth/login', { form: { username: ADMIN.username, password: ADMIN.password } });
  expect(response.status).toBe(200);
  return response.body;
}

function refreshStatus(refreshToken: string) {
  return server.call<{ detail?: string }>('POST', '/api/auth/refresh', { json: { refresh_token: refreshToken } });
}

function renderSession() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>{children}</SessionProvider>
    </QueryClientProvider>
  );
  const renders: { checking: boolean; user: string | undefined }[] = [];
  const view = renderHook(
    () => {
      const session = useSession();
      renders.push({ checking: session.checking, user: session.user?.username });
      return session;
    },
    { wrapper },
  );
  return { ...view, renders };
}

beforeAll(async () => {
  server = await startRealServer({ ODIN_JWT_SECRET: JWT_SECRET });
  await server.setupAdmin();
});
afterAll(() => server.close());
afterEach(() => {
  cleanup();
  writeTokens(null);
});

describe('the refresh schedule', () => {
  it('refreshes one minute before the access token expires, not earlier', async () => {
    const first = await login();
    writeTokens({ access: first.access_token, refresh: first.refresh_token });
    const expiresAt = accessClaims(first.access_token).expiresAt ?? 0;
    expect(expiresAt).toBeGreaterThan(Date.now());
    // The refresher's clock reads 62 s before expiry: the refresh is due in 2 s.
    let shift = expiresAt - 62_000 - Date.now();
    const refreshed: string[] = [];
    const refresher = new SessionRefresher({ now: () => Date.now() + shift });
    refresher.onRefreshed((token) => {
      // From now on the real clock: the next refresh is a day away.
      shift = 0;
      refreshed.push(token);
    });
    refresher.onEnded(() => refreshed.push('ended'));
    refresher.start();
    try {
      await sleep(1000);
      expect(refreshed).toEqual([]);
      await waitFor(() => expect(refreshed).toHaveLength(1), { timeout: 5000 });
      const [token = ''] = refreshed;
      expect(token).not.toBe(first.access_token);
      expect(readToken()).toBe(token);
      expect(readRefreshToken()).not.toBe(first.refresh_token);
      expect((await server.call('GET', '/api/auth/me', { token })).status).toBe(200);
      // The old refresh token was rotated out; the stored one is the live one.
      expect((await refreshStatus(readRefreshToken() ?? '')).status).toBe(200);
    } finally {
      refresher.stop();
    }
  });

  it('refreshes at once when the stored access token already expired (a kiosk back from a power cut)', async () => {
    const first = await login();
    writeTokens({ access: await expiredToken('admin'), refresh: first.refresh_token });
    const refreshed: string[] = [];
    const refresher = new SessionRefresher();
    refresher.onRefreshed((token) => refreshed.push(token));
    refresher.onEnded(() => refreshed.push('ended'));
    refresher.start();
    try {
      await waitFor(() => expect(refreshed).toHaveLength(1), { timeout: 5000 });
      expect((await server.call('GET', '/api/auth/me', { token: refreshed[0] ?? '' })).status).toBe(200);
    } finally {
      refresher.stop();
    }
  });
});

describe('the session in the app', () => {
  it('renews an expired token after a 401 and retries, one refresh shared by concurrent requests', async () => {
    const first = await login();
    writeTokens({ access: first.access_token, refresh: first.refresh_token });
    const { result } = renderSession();
    await waitFor(() => expect(result.current.user?.username).toBe('admin'));

    // The token expires while the page keeps running (the laptop slept through the timer).
    writeTokens({ access: await expiredToken('admin'), refresh: first.refresh_token });
    const answers = await Promise.all([api.GET('/api/auth/me'), api.GET('/api/auth/me'), api.GET('/api/printers')]);
    expect(answers.map((answer) => answer.response.status)).toEqual([200, 200, 200]);
    expect(answers[0]?.data?.username).toBe('admin');

    const renewed = readToken() ?? '';
    expect(renewed).not.toBe(first.access_token);
    await waitFor(() => expect(result.current.token).toBe(renewed));
    // Had two refreshes raced with one token, the server would have ended the login: it is intact.
    expect((await refreshStatus(readRefreshToken() ?? '')).status).toBe(200);
  });

  it('refreshes without reloading the user, so a page (TV mode) never drops to the splash screen', async () => {
    const first = await login();
    writeTokens({ access: first.access_token, refresh: first.refresh_token });
    const { result, renders } = renderSession();
    await waitFor(() => expect(result.current.user?.username).toBe('admin'));
    const seen: string[] = [];
    const off = result.current.onTokenRefreshed((token) => seen.push(token));
    const loadedAt = renders.length;

    let fresh: string | null = null;
    await act(async () => {
      fresh = await result.current.renew();
    });
    off();
    expect(fresh).not.toBeNull();
    expect(seen).toEqual([fresh]);
    expect(result.current.token).toBe(fresh);
    expect(renders.slice(loadedAt).every((render) => !render.checking && render.user === 'admin')).toBe(true);
  });

  it('ends the session (back to the login page) when the server refuses the refresh token', async () => {
    const first = await login();
    writeTokens({ access: first.access_token, refresh: first.refresh_token });
    const { result } = renderSession();
    await waitFor(() => expect(result.current.user?.username).toBe('admin'));

    // Logged out elsewhere (an admin's script, another browser): the login is over.
    expect((await server.call('POST', '/api/auth/logout', { token: first.access_token })).status).toBe(200);
    const answer = await api.GET('/api/printers');
    expect(answer.response.status).toBe(401);
    await waitFor(() => expect(result.current.token).toBeNull());
    expect(readToken()).toBeNull();
    expect(readRefreshToken()).toBeNull();
  });

  it('logs out with the refresh token, so the server ends the login', async () => {
    const first = await login();
    writeTokens({ access: first.access_token, refresh: first.refresh_token });
    const { result } = renderSession();
    await waitFor(() => expect(result.current.user?.username).toBe('admin'));
    await act(() => result.current.logout());
    expect(result.current.token).toBeNull();
    const refused = await refreshStatus(first.refresh_token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/logged out/);
  });

  it('keeps a session from before refresh tokens working until its token is refused', async () => {
    const first = await login();
    writeTokens({ access: first.access_token, refresh: null });
    const { result } = renderSession();
    await waitFor(() => expect(result.current.user?.username).toBe('admin'));
    writeTokens({ access: await expiredToken('admin'), refresh: null });
    expect((await api.GET('/api/printers')).response.status).toBe(401);
    await waitFor(() => expect(result.current.token).toBeNull());
  });
});
