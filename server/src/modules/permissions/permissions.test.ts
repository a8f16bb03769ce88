import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, setupAdmin, userWithRole } from '../../../test/client.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';

interface Matrix {
  page_access: Record<string, string[]>;
  action_access: Record<string, string[]>;
}

describe('permissions matrix', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    admin = await setupAdmin(api);
  });
  afterAll(() => server.close());

  it('is public to read (the login page needs it) and has sensible defaults', async () => {
    const response = await api.get<Matrix>('/api/permissions');
    expect(response.status).toBe(200);
    expect(response.body.page_access['dashboard']).toEqual(['viewer', 'operator', 'admin']);
    expect(response.body.page_access['settings']).toEqual(['admin']);
    expect(response.body.action_access['printers.control']).toEqual(['operator', 'admin']);
  });

  it('saves changes an admin makes, for everyone to read', async () => {
    const response = await api.put<Matrix>('/api/permissions', {
      token: admin,
      json: { page_access: { analytics: ['admin', 'operator'] }, action_access: { 'jobs.approve': ['admin'] } },
    });
    expect(response.status).toBe(200);
    const read = (await api.get<Matrix>('/api/permissions')).body;
    expect(read.page_access['analytics']).toEqual(['operator', 'admin']);
    expect(read.action_access['jobs.approve']).toEqual(['admin']);
    // Untouched entries keep their values.
    expect(read.page_access['dashboard']).toEqual(['viewer', 'operator', 'admin']);
  });

  it('never lets the admin lose the admin and settings pages', async () => {
    const response = await api.put<Matrix>('/api/permissions', {
      token: admin,
      json: { page_access: { admin: [], settings: ['viewer'] } },
    });
    expect(response.status).toBe(200);
    const read = (await api.get<Matrix>('/api/permissions')).body;
    expect(read.page_access['admin']).toEqual(['admin']);
    expect(read.page_access['settings']).toEqual(['viewer', 'admin']);
  });

  it('drops pages and actions it does not know, and refuses unknown roles', async () => {
    await api.put('/api/permissions', { token: admin, json: { page_access: { 'made-up-page': ['viewer'] } } });
    expect((await api.get<Matrix>('/api/permissions')).body.page_access).not.toHaveProperty('made-up-page');
    const before = (await api.get<Matrix>('/api/permissions')).body;
    const bad = await api.put('/api/permissions', { token: admin, json: { page_access: { dashboard: ['superuser'] } } });
    expect(bad.status).toBe(422);
    expect((await api.get<Matrix>('/api/permissions')).body).toEqual(before);
  });

  it('is changed by admins only', async () => {
    const operator = await userWithRole(api, admin, 'operator');
    expect((await api.put('/api/permissions', { token: operator.token, json: { page_access: { settings: ['operator'] } } })).status).toBe(
      403,
    );
    expect((await api.post('/api/permissions/reset', { token: operator.token })).status).toBe(403);
    expect((await api.put('/api/permissions', { json: {} })).status).toBe(401);
  });

  it('resets to the defaults', async () => {
    const reset = await api.post<Matrix>('/api/permissions/reset', { token: admin });
    expect(reset.status).toBe(200);
    const read = (await api.get<Matrix>('/api/permissions')).body;
    expect(read.page_access['analytics']).toEqual(['viewer', 'operator', 'admin']);
    expect(read.action_access['jobs.approve']).toEqual(['operator', 'admin']);
  });
});
