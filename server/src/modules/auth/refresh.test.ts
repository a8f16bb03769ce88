import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { ADMIN, ApiClient, PASSWORD, setupAdmin, userWithRole } from '../../../test/client.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { frameText } from '../../../test/ws-frame.js';
import { DEFAULT_LOGIN_LIMITS, MemoryLoginLimiter } from './login-limiter.js';

interface Tokens {
  access_token: string;
  token_type: string;
  refresh_token: string;
  expires_in: number;
}

interface AuditEntry {
  action: string;
  entity_id: number | null;
  ip_address: string;
  details: Record<string, unknown>;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function login(api: ApiClient, username: string, password: string): Promise<Tokens> {
  const response = await api.post<Tokens>('/api/auth/login', { form: { username, password } });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

function refresh(api: ApiClient, refreshToken: string) {
  return api.post<Tokens & { detail: string; code: string }>('/api/auth/refresh', { json: { refresh_token: refreshToken } });
}

/** The first message the live socket answers with, or its close code when it refuses. */
async function firstLiveAnswer(url: string, token: string): Promise<{ type: string } | { code: number }> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
  try {
    return await new Promise((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(frameText(data)) as { type: string }));
      socket.once('close', (code) => resolve({ code }));
      socket.once('error', reject);
    });
  } finally {
    socket.close();
  }
}

describe('refresh tokens', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    // These tests refuse many tokens on purpose; the IP limit has a describe of its own below.
    server = await startTestServer({ loginLimiter: new MemoryLoginLimiter({ ...DEFAULT_LOGIN_LIMITS, ipMaxFailures: 1000 }) });
    api = new ApiClient(server.url);
    adminToken = await setupAdmin(api);
  });
  afterAll(() => server.close());

  it('gives login an opaque refresh token and the access lifetime, and stores only its hash', async () => {
    const tokens = await login(api, ADMIN.username, ADMIN.password);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(24 * 60 * 60);
    // 32 random bytes in base64url.
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(typeof claimsOf(tokens.access_token)['fam']).toBe('string');

    const rows = await server.odin.database.db.selectFrom('refresh_tokens').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(tokens.refresh_token);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it('gives the setup wizard’s first admin a refresh token too', async () => {
    const fresh = await startTestServer();
    try {
      const response = await new ApiClient(fresh.url).post<Tokens>('/api/setup/admin', { json: ADMIN });
      expect(response.status).toBe(200);
      expect(response.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await refresh(new ApiClient(fresh.url), response.body.refresh_token)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });

  it('rotates: a new access token and a new refresh token; the new access token works on /api/auth/me and /ws', async () => {
    const first = await login(api, ADMIN.username, ADMIN.password);
    const response = await refresh(api, first.refresh_token);
    expect(response.status, response.text).toBe(200);
    const next = response.body;
    expect(next.token_type).toBe('bearer');
    expect(next.expires_in).toBe(24 * 60 * 60);
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect(next.access_token).not.toBe(first.access_token);
    // Same login, so the same family.
    expect(claimsOf(next.access_token)['fam']).toBe(claimsOf(first.access_token)['fam']);

    const me = await api.get<{ username: string }>('/api/auth/me', { token: next.access_token });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('admin');
    expect(await firstLiveAnswer(server.url, next.access_token)).toMatchObject({ type: 'welcome' });
    // The rotated pair keeps rotating.
    expect((await refresh(api, next.refresh_token)).status).toBe(200);
  });

  it('hands a fresh token to an open /ws connection, which stays open', async () => {
    const first = await login(api, ADMIN.username, ADMIN.password);
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(first.access_token)}`);
    const messages: { type: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(frameText(data)) as { type: string }));
    const welcomes = async (count: number) => {
      for (let i = 0; i < 200 && messages.filter((m) => m.type === 'welcome').length < count; i++) await sleep(20);
      return messages.filter((m) => m.type === 'welcome').length;
    };
    try {
      expect(await welcomes(1)).toBe(1);
      const next = (await refresh(api, first.refresh_token)).body;
      socket.send(JSON.stringify({ type: 'auth', token: next.access_token }));
      expect(await welcomes(2)).toBe(2);
      expect(socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      socket.close();
    }
  });

  it('accepts the OAuth2 form with grant_type=refresh_token', async () => {
    const first = await login(api, ADMIN.username, ADMIN.password);
    const response = await api.post<Tokens>('/api/auth/refresh', {
      form: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers malformed requests with a 4xx that says what to send', async () => {
    const first = await login(api, ADMIN.username, ADMIN.password);
    const grant = await api.post<{ detail: unknown }>('/api/auth/refresh', {
      form: { grant_type: 'password', refresh_token: first.refresh_token },
    });
    expect(grant.status).toBe(422);
    expect(JSON.stringify(grant.body.detail)).toContain('grant_type');
    const missing = await api.post<{ detail: unknown }>('/api/auth/refresh', { json: {} });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body.detail)).toContain('refresh_token');
    const wrongType = await api.post<{ detail: unknown }>('/api/auth/refresh', { json: { refresh_token: 42 } });
    expect(wrongType.status).toBe(422);
    const text = await api.post<{ detail: string; code: string }>('/api/auth/refresh', {
      raw: { body: first.refresh_token, contentType: 'text/plain' },
    });
    expect(text.status).toBe(422);
    expect(text.body.code).toBe('refresh_body_required');
    expect(text.body.detail).toMatch(/refresh_token/);
    const unknown = await refresh(api, 'not-a-token-we-issued');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 'refresh_token_invalid', detail: 'Invalid refresh token' });
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer');
    // A malformed refresh leaves the token usable.
    expect((await refresh(api, first.refresh_token)).status).toBe(200);
  });

  it('ends the whole login when a rotated token comes back, and audits it', async () => {
    const first = await login(api, ADMIN.username, ADMIN.password);
    const second = (await refresh(api, first.refresh_token)).body;
    const third = (await refresh(api, second.refresh_token)).body;
    expect((await api.get('/api/auth/me', { token: third.access_token })).status).toBe(200);

    // Someone replays the first token (stolen, or a copy left behind).
    const replay = await refresh(api, first.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('refresh_token_reused');
    expect(replay.body.detail).toMatch(/already used/i);

    // Every token of that login is dead now: the current refresh token and the access tokens.
    const current = await refresh(api, third.refresh_token);
    expect(current.status).toBe(401);
    expect(current.body.code).toBe('refresh_token_revoked');
    expect(current.body.detail).toMatch(/used twice/i);
    for (const token of [first.access_token, second.access_token, third.access_token]) {
      const me = await api.get<{ detail: string; code: string }>('/api/auth/me', { token });
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('token_revoked');
    }
    expect(await firstLiveAnswer(server.url, third.access_token)).toEqual({ code: 4401 });
    // Other logins of the same user are untouched.
    expect((await api.get('/api/auth/me', { token: adminToken })).status).toBe(200);

    const logs = await api.get<{ logs: AuditEntry[] }>('/api/audit-logs?action=token_refresh_reuse', { token: adminToken });
    expect(logs.body.logs).toHaveLength(1);
    expect(logs.body.logs[0]).toMatchObject({ entity_id: 1, ip_address: '127.0.0.1', details: { username: 'admin' } });
    expect(JSON.stringify(logs.body)).not.toContain(first.refresh_token);
    // Successful refreshes are not audited (a kiosk refreshing daily would flood the log).
    const all = await api.get<{ logs: AuditEntry[] }>('/api/audit-logs?limit=500', { token: adminToken });
    expect(all.body.logs.map((l) => l.action)).not.toContain('token_refresh');
  });

  it('lets exactly one of two simultaneous refreshes with the same token through, and treats the other as reuse', async () => {
    const first = await login(api, ADMIN.username, ADMIN.password);
    const [a, b] = await Promise.all([refresh(api, first.refresh_token), refresh(api, first.refresh_token)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a.body : b.body;
    expect((await refresh(api, winner.refresh_token)).status).toBe(401);
  });

  it('logout ends the refresh tokens of the session, with or without the token in the body', async () => {
    const withBody = await login(api, ADMIN.username, ADMIN.password);
    const other = await login(api, ADMIN.username, ADMIN.password);
    const out = await api.post('/api/auth/logout', { token: withBody.access_token, json: { refresh_token: withBody.refresh_token } });
    expect(out.status).toBe(200);
    const refused = await refresh(api, withBody.refresh_token);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('refresh_token_revoked');
    expect(refused.body.detail).toMatch(/logged out/i);
    expect((await api.get('/api/auth/me', { token: withBody.access_token })).status).toBe(401);

    // No body: the access token names its family, so its refresh tokens end as well.
    const noBody = await login(api, ADMIN.username, ADMIN.password);
    const rotated = (await refresh(api, noBody.refresh_token)).body;
    expect((await api.post('/api/auth/logout', { token: rotated.access_token })).status).toBe(200);
    expect((await refresh(api, rotated.refresh_token)).status).toBe(401);
    // …and so do the family's older access tokens.
    expect((await api.get('/api/auth/me', { token: noBody.access_token })).status).toBe(401);

    // Other sessions go on.
    expect((await refresh(api, other.refresh_token)).status).toBe(200);
  });

  it("never ends another user's session through logout", async () => {
    const { token: operatorToken } = await userWithRole(api, adminToken, 'operator', 'logout-victim');
    const victim = await login(api, 'logout-victim', PASSWORD);
    expect(operatorToken).toBeTruthy();
    const attacker = await login(api, ADMIN.username, ADMIN.password);
    const out = await api.post('/api/auth/logout', { token: attacker.access_token, json: { refresh_token: victim.refresh_token } });
    expect(out.status).toBe(200);
    expect((await refresh(api, victim.refresh_token)).status).toBe(200);
  });

  it('refuses a disabled user, and keeps refusing after the account is enabled again', async () => {
    const { id } = await userWithRole(api, adminToken, 'viewer', 'kiosk-disabled');
    const session = await login(api, 'kiosk-disabled', PASSWORD);
    expect((await api.patch(`/api/users/${id}`, { token: adminToken, json: { is_active: false } })).status).toBe(200);
    const refused = await refresh(api, session.refresh_token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'account_disabled', detail: 'User account is disabled' });
    // Disabling ended the session for good: enabling the account does not bring it back.
    expect((await api.patch(`/api/users/${id}`, { token: adminToken, json: { is_active: true } })).status).toBe(200);
    expect((await refresh(api, session.refresh_token)).status).toBe(401);
    expect((await api.get('/api/auth/me', { token: session.access_token })).status).toBe(401);
  });

  it('ends every session of a user whose password is changed', async () => {
    const { id } = await userWithRole(api, adminToken, 'operator', 'kiosk-password');
    const one = await login(api, 'kiosk-password', PASSWORD);
    const two = await login(api, 'kiosk-password', PASSWORD);
    const changed = await api.patch(`/api/users/${id}`, { token: adminToken, json: { password: 'N3wPassword' } });
    expect(changed.status).toBe(200);
    for (const session of [one, two]) {
      const refused = await refresh(api, session.refresh_token);
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('refresh_token_revoked');
      expect(refused.body.detail).toMatch(/password was changed/);
      expect((await api.get('/api/auth/me', { token: session.access_token })).status).toBe(401);
    }
    expect((await refresh(api, (await login(api, 'kiosk-password', 'N3wPassword')).refresh_token)).status).toBe(200);
  });

  it('refuses the token of a deleted user', async () => {
    const { id } = await userWithRole(api, adminToken, 'viewer', 'kiosk-deleted');
    const session = await login(api, 'kiosk-deleted', PASSWORD);
    expect((await api.delete(`/api/users/${id}`, { token: adminToken })).status).toBe(200);
    const refused = await refresh(api, session.refresh_token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'refresh_token_invalid', detail: 'User account no longer exists' });
  });

  it('takes the role from the database, not from the old token', async () => {
    const { id } = await userWithRole(api, adminToken, 'admin', 'kiosk-demoted');
    const session = await login(api, 'kiosk-demoted', PASSWORD);
    await api.patch(`/api/users/${id}`, { token: adminToken, json: { role: 'viewer' } });
    const next = await refresh(api, session.refresh_token);
    expect(next.status).toBe(200);
    expect(claimsOf(next.body.access_token)['role']).toBe('viewer');
  });
});

describe('refresh-token lifetime', () => {
  let server: TestServer;
  let api: ApiClient;
  const LIFETIME_MS = 4000;

  beforeAll(async () => {
    server = await startTestServer({ env: { ODIN_REFRESH_TOKEN_DAYS: String(LIFETIME_MS / 86_400_000) } });
    api = new ApiClient(server.url);
    await setupAdmin(api);
  });
  afterAll(() => server.close());

  it('expires an unused token, while each refresh starts the lifetime again', async () => {
    const first = await login(api, ADMIN.username, ADMIN.password);
    const stale = await login(api, ADMIN.username, ADMIN.password);
    await sleep(LIFETIME_MS * 0.6);
    const second = await refresh(api, first.refresh_token);
    expect(second.status).toBe(200);
    await sleep(LIFETIME_MS * 0.6);
    // Past the first token's lifetime, within the second's.
    const expired = await refresh(api, stale.refresh_token);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ code: 'refresh_token_expired', detail: 'Refresh token has expired' });
    expect((await refresh(api, second.body.refresh_token)).status).toBe(200);
  });
});

describe('refresh rate limit', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await setupAdmin(api);
  });
  afterAll(() => server.close());

  it('answers 429 once one IP has presented 10 bad refresh tokens, even for a good one', async () => {
    const good = await login(api, ADMIN.username, ADMIN.password);
    for (let i = 0; i < 10; i++) expect((await refresh(api, `guess-${i}`)).status).toBe(401);
    const limited = await refresh(api, good.refresh_token);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.body.detail).toMatch(/too many/i);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
