import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, ApiClient, type ErrorReply, PASSWORD, setupAdmin, userWithRole } from '../../../test/client.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';

function b64(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function forge(header: object, payload: object, secret: string | null): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

describe('login, tokens and logout', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;
  let jwtSecret: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    adminToken = await setupAdmin(api);
    jwtSecret = fs.readFileSync(path.join(server.dataDir, '.jwt_secret'), 'utf8').trim();
  });
  afterAll(() => server.close());

  it('logs in with the OAuth2 form and returns a 24-hour HS256 bearer token', async () => {
    const response = await api.post<{ access_token: string; token_type: string }>('/api/auth/login', {
      form: { username: ADMIN.username, password: ADMIN.password },
    });
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('bearer');
    const header = JSON.parse(Buffer.from(response.body.access_token.split('.')[0]!, 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('HS256');
    const claims = claimsOf(response.body.access_token);
    expect(claims).toMatchObject({ sub: 'admin', role: 'admin' });
    expect(typeof claims['jti']).toBe('string');
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(24 * 60 * 60);
  });

  it('answers /api/auth/me with the user behind the token', async () => {
    const response = await api.get('/api/auth/me', { token: adminToken });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 1, username: 'admin', email: ADMIN.email, role: 'admin' });
  });

  it('refuses a JSON body on login with 422 (it is not the form)', async () => {
    const response = await api.post<{ detail: unknown }>('/api/auth/login', {
      json: { username: ADMIN.username, password: ADMIN.password },
    });
    expect(response.status).toBe(422);
    expect(response.body.detail).toBeTruthy();
  });

  it('refuses a plain-text body on login with a 4xx and a detail', async () => {
    const response = await api.post<{ detail: string }>('/api/auth/login', {
      raw: { body: `username=${ADMIN.username}&password=${ADMIN.password}`, contentType: 'text/plain' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.detail).toMatch(/content type/i);
  });

  it('lists each missing form field with 422', async () => {
    const response = await api.post<ErrorReply>('/api/auth/login', { form: { username: 'admin' } });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors?.map((d) => d.loc.join('.'))).toContain('body.password');
  });

  it('answers a wrong password and an unknown user alike with 401', async () => {
    const wrong = await api.post<{ detail: string }>('/api/auth/login', { form: { username: 'admin', password: 'Wrong1Password' } });
    const unknown = await api.post<{ detail: string }>('/api/auth/login', { form: { username: 'nobody', password: 'Wrong1Password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('asks for credentials with 401 and WWW-Authenticate: Bearer', async () => {
    const response = await api.get('/api/auth/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('rejects expired, wrongly signed, alg:none and garbage tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'admin', role: 'admin', jti: 'forged', iat: now - 100_000, exp: now - 10 };
    const expired = forge({ alg: 'HS256', typ: 'JWT' }, claims, jwtSecret);
    const wrongSecret = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 3600 }, 'another-secret-another-secret-another');
    const none = forge({ alg: 'none', typ: 'JWT' }, { ...claims, exp: now + 3600 }, null);
    const valid = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 3600 }, jwtSecret);
    for (const token of [expired, wrongSecret, none, 'not-a-jwt', 'a.b.c']) {
      const response = await api.get('/api/auth/me', { token });
      expect(response.status, token).toBe(401);
    }
    // The forging helper itself is right: the same claims signed with the real secret pass.
    expect((await api.get('/api/auth/me', { token: valid })).status).toBe(200);
  });

  it('revokes the token on logout, leaving other sessions alone', async () => {
    const first = await api.login('admin', ADMIN.password);
    const second = await api.login('admin', ADMIN.password);
    expect((await api.post('/api/auth/logout', { token: first })).status).toBe(200);
    const revoked = await api.get<{ detail: string }>('/api/auth/me', { token: first });
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ code: 'token_revoked' });
    expect(revoked.body.detail).toMatch(/revoked/i);
    expect((await api.get('/api/auth/me', { token: second })).status).toBe(200);
  });

  it("stops a disabled user's existing token and refuses their login", async () => {
    const { id, token } = await userWithRole(api, adminToken, 'operator', 'soon-disabled');
    expect((await api.get('/api/auth/me', { token })).status).toBe(200);
    expect((await api.patch(`/api/users/${id}`, { token: adminToken, json: { is_active: false } })).status).toBe(200);
    expect((await api.get('/api/auth/me', { token })).status).toBe(401);
    const login = await api.post('/api/auth/login', { form: { username: 'soon-disabled', password: PASSWORD } });
    expect(login.status).toBe(401);
  });

  it('applies a role change on the next request, whatever the token says', async () => {
    const { id, token } = await userWithRole(api, adminToken, 'admin', 'demoted-admin');
    expect((await api.get('/api/users', { token })).status).toBe(200);
    await api.patch(`/api/users/${id}`, { token: adminToken, json: { role: 'viewer' } });
    expect((await api.get('/api/users', { token })).status).toBe(403);
  });

  it('records logins and failed logins with the IP in the audit log', async () => {
    await api.post('/api/auth/login', { form: { username: 'admin', password: 'Nope1Nope1' } });
    const logs = await api.get<{ logs: { action: string; ip_address: string; details: { username?: string } }[] }>(
      '/api/audit-logs?limit=200',
      { token: adminToken },
    );
    const actions = logs.body.logs.map((l) => l.action);
    expect(actions).toContain('login');
    expect(actions).toContain('login_failed');
    const failed = logs.body.logs.find((l) => l.action === 'login_failed')!;
    expect(failed.ip_address).toBe('127.0.0.1');
    expect(JSON.stringify(logs.body)).not.toContain('Nope1Nope1');
  });
});

describe('brute-force limits', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    adminToken = await setupAdmin(api);
  });
  afterAll(() => server.close());

  it('counts only failures: a busy office IP logging in successfully is never limited', async () => {
    await userWithRole(api, adminToken, 'operator', 'busy');
    for (let i = 0; i < 15; i++) {
      expect((await api.post('/api/auth/login', { form: { username: 'busy', password: PASSWORD } })).status).toBe(200);
    }
  });

  it('locks a username for 15 minutes after 5 failures (423), without touching issued tokens or other users', async () => {
    const token = await api.login('admin', ADMIN.password);
    for (let i = 0; i < 5; i++) {
      expect((await api.post('/api/auth/login', { form: { username: 'admin', password: `Wrong${i}Pass` } })).status).toBe(401);
    }
    const locked = await api.post<{ detail: string }>('/api/auth/login', { form: { username: 'admin', password: ADMIN.password } });
    expect(locked.status).toBe(423);
    expect(locked.body).toMatchObject({ code: 'account_locked' });
    expect(locked.body.detail).toMatch(/locked.*15 minute/i);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect((await api.get('/api/auth/me', { token })).status).toBe(200);
    expect((await api.post('/api/auth/login', { form: { username: 'busy', password: PASSWORD } })).status).toBe(200);
  });
});

describe('per-IP rate limit', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await setupAdmin(api);
  });
  afterAll(() => server.close());

  it('answers 429 once one IP has failed 10 logins within 5 minutes, even for right credentials', async () => {
    for (let i = 0; i < 10; i++) {
      // A different username each time, so no username lock gets in the way.
      expect((await api.post('/api/auth/login', { form: { username: `guess${i}`, password: 'Wrong1Pass' } })).status).toBe(401);
    }
    const limited = await api.post<{ detail: string }>('/api/auth/login', { form: { username: 'admin', password: ADMIN.password } });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'rate_limited' });
    expect(limited.body.detail).toMatch(/too many/i);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('behind a reverse proxy', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { ODIN_TRUST_PROXY: 'true' } });
    api = new ApiClient(server.url);
    adminToken = await setupAdmin(api);
  });
  afterAll(() => server.close());

  it('takes the address the proxy appended, so a client cannot dodge the IP limit with a forged X-Forwarded-For', async () => {
    for (let i = 0; i < 10; i++) {
      const headers = { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` };
      expect((await api.post('/api/auth/login', { form: { username: `guess${i}`, password: 'Wrong1Pass' }, headers })).status).toBe(401);
    }
    const limited = await api.post('/api/auth/login', {
      form: { username: 'admin', password: ADMIN.password },
      headers: { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' },
    });
    expect(limited.status).toBe(429);
    const logs = await api.get<{ logs: { action: string; ip_address: string }[] }>('/api/audit-logs?action=login_failed', {
      token: adminToken,
    });
    expect(new Set(logs.body.logs.map((l) => l.ip_address))).toEqual(new Set(['203.0.113.7']));
  });
});
