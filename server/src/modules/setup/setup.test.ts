import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../../../test/child-process.js';
import { ADMIN, ApiClient, PASSWORD, userWithRole } from '../../../test/client.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';

describe('first-run setup wizard', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
  });
  afterAll(() => server.close());

  it('says setup is needed on a fresh install', async () => {
    const status = await api.get('/api/setup/status');
    expect(status.body).toEqual({ needs_setup: true, has_users: false, is_complete: false });
  });

  it('keeps the wizard routes open while no user exists', async () => {
    const network = await api.get<{ candidates: string[] }>('/api/setup/network');
    expect(network.status).toBe(200);
    expect(Array.isArray(network.body.candidates)).toBe(true);
  });

  it('refuses a weak admin password or a bad username and creates nobody', async () => {
    const weak = await api.post<{ detail: string }>('/api/setup/admin', { json: { ...ADMIN, password: 'password' } });
    expect(weak.status).toBe(400);
    expect(weak.body.detail).toMatch(/upper-case/);
    const badName = await api.post('/api/setup/admin', { json: { ...ADMIN, username: '<script>' } });
    expect(badName.status).toBe(422);
    expect((await api.get<{ has_users: boolean }>('/api/setup/status')).body.has_users).toBe(false);
  });

  it('creates exactly one admin when several wizards race', async () => {
    const attempts = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        api.post<{ access_token: string; user: { role: string } }>('/api/setup/admin', {
          json: { ...ADMIN, username: i === 0 ? ADMIN.username : `racer${i}` },
        }),
      ),
    );
    const winners = attempts.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 403)).toHaveLength(4);
    adminToken = winners[0]!.body.access_token;
    expect(winners[0]!.body.user.role).toBe('admin');
    const users = await api.get<unknown[]>('/api/users', { token: adminToken });
    expect(users.body).toHaveLength(1);
  });

  it('refuses a second admin from the wizard with 403', async () => {
    const again = await api.post('/api/setup/admin', { json: { ...ADMIN, username: 'second' } });
    expect(again.status).toBe(403);
  });

  it('lets only the admin continue the wizard until it is complete', async () => {
    const status = await api.get('/api/setup/status');
    expect(status.body).toEqual({ needs_setup: true, has_users: true, is_complete: false });
    expect((await api.get('/api/setup/network')).status).toBe(403);
    const operator = await userWithRole(api, adminToken, 'operator', 'early-operator');
    expect((await api.post('/api/setup/network', { token: operator.token, json: { host_ip: '10.0.0.5' } })).status).toBe(403);
    const saved = await api.post('/api/setup/network', { token: adminToken, json: { host_ip: '192.168.1.20' } });
    expect(saved.status).toBe(200);
    expect((await api.get<{ configured_ip: string }>('/api/setup/network', { token: adminToken })).body.configured_ip).toBe('192.168.1.20');
    expect((await api.post('/api/setup/network', { token: adminToken, json: { host_ip: 'not an ip!' } })).status).toBe(422);
  });

  it('adds and tests the first printer, behind the same lock', async () => {
    // A port nothing listens on: the test reaches no printer and must say so.
    const printer = { name: 'Voron 2.4', model: 'Voron 2.4 350', api_type: 'moonraker', api_host: `127.0.0.1:${await freePort()}` };
    expect((await api.post('/api/setup/printer', { json: printer })).status).toBe(403);
    expect((await api.post('/api/setup/test-printer', { json: printer })).status).toBe(403);

    const tested = await api.post<{ success: boolean; message: string }>('/api/setup/test-printer', { token: adminToken, json: printer });
    expect(tested.status).toBe(200);
    expect(tested.body.success).toBe(false);
    expect(tested.body.message).toMatch(/refused/i);

    const added = await api.post<{ id: number; name: string; api_key_set: boolean }>('/api/setup/printer', {
      token: adminToken,
      json: { ...printer, api_key: 'moonraker-key' },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ name: 'Voron 2.4', api_key_set: true });
    expect(added.text).not.toContain('moonraker-key');
    const listed = await api.get<{ name: string }[]>('/api/printers', { token: adminToken });
    expect(listed.body.map((p) => p.name)).toEqual(['Voron 2.4']);
  });

  it('closes every wizard route for good once complete', async () => {
    expect((await api.post('/api/setup/complete', { token: adminToken })).status).toBe(200);
    expect((await api.get('/api/setup/status')).body).toEqual({ needs_setup: false, has_users: true, is_complete: true });
    for (const [method, path] of [
      ['GET', '/api/setup/network'],
      ['POST', '/api/setup/network'],
      ['POST', '/api/setup/complete'],
      ['POST', '/api/setup/printer'],
      ['POST', '/api/setup/admin'],
    ] as const) {
      const response = await api.request(method, path, {
        token: adminToken,
        ...(method === 'POST' ? { json: { host_ip: '10.0.0.1' } } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
  });
});

describe('unattended install from the environment', () => {
  it('creates the admin on first start, marks setup complete, and ignores the variables afterwards', async () => {
    const env = { ODIN_ADMIN_USERNAME: 'farmadmin', ODIN_ADMIN_PASSWORD: 'Unattended1' };
    const first = await startTestServer({ env });
    const api = new ApiClient(first.url);
    try {
      expect((await api.get('/api/setup/status')).body).toEqual({ needs_setup: false, has_users: true, is_complete: true });
      const token = await api.login('farmadmin', 'Unattended1');
      expect((await api.get<{ role: string }>('/api/auth/me', { token })).body.role).toBe('admin');
      expect((await api.post('/api/setup/admin', { json: { username: 'x', password: PASSWORD } })).status).toBe(403);
    } finally {
      await first.close();
    }
  });

  it('refuses to start with a bootstrap password that breaks the policy', async () => {
    await expect(startTestServer({ env: { ODIN_ADMIN_USERNAME: 'farmadmin', ODIN_ADMIN_PASSWORD: 'weak' } })).rejects.toThrow(
      /ODIN_ADMIN_PASSWORD.*8 characters/,
    );
  });
});
