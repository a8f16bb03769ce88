import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, setupAdmin, userWithRole } from '../../../test/client.js';
import { startTestServer, tempDir, testEnv, type TestServer } from '../../../test/harness.js';
import { buildApp } from '../../app.js';
import { PERMISSION_ACTIONS, type PermissionAction } from '../../core/auth/permission-actions.js';
import { loadConfig } from '../../core/config.js';
import { migrate, openDatabase } from '../../core/database/database.js';
import { ensureSecrets } from '../../core/secrets.js';

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
    const logs = await api.get<{ logs: { action: string; details: Record<string, unknown> | null }[] }>(
      '/api/audit-logs?entity_type=permissions',
      { token: admin },
    );
    expect(logs.body.logs[0]?.action).toBe('update');
    expect(logs.body.logs[0]?.details).toMatchObject({ action_access: { 'jobs.approve': ['admin'] } });
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

  it("checks a route's action over HTTP: narrowed for operators, never for admins", async () => {
    const operator = await userWithRole(api, admin, 'operator', 'reorderer');
    const reorder = (token: string) => api.post('/api/printers/reorder', { token, json: { printer_ids: [] } });
    expect((await reorder(operator.token)).status).toBe(200);
    await api.put('/api/permissions', { token: admin, json: { action_access: { 'printers.reorder': ['admin'] } } });
    expect((await reorder(operator.token)).status).toBe(403);
    expect((await reorder(admin)).status).toBe(200);
    await api.post('/api/permissions/reset', { token: admin });
    expect((await reorder(operator.token)).status).toBe(200);
  });

  it('lists every action of the typed list, with roles, and every action a route checks is one of them', async () => {
    const matrix = (await api.get<Matrix>('/api/permissions')).body;
    expect(Object.keys(matrix.action_access).sort()).toEqual([...PERMISSION_ACTIONS].sort());
    const checked = new Set(server.odin.routes.flatMap((route) => (route.action ? [route.action] : [])));
    expect(checked.size).toBeGreaterThan(3);
    for (const action of checked) expect(matrix.action_access[action]).toContain('admin');
  });

  it('denies an action the matrix does not hold, for every role (fail closed)', async () => {
    const { permissions } = server.odin.services;
    const unknown = 'printers.teleport' as PermissionAction;
    for (const role of ['viewer', 'operator', 'admin'] as const) expect(await permissions.allows(role, unknown)).toBe(false);
    // Own properties only: an inherited name is not an action either.
    expect(await permissions.allows('operator', 'constructor' as PermissionAction)).toBe(false);
    expect(await permissions.allows('operator', 'printers.control')).toBe(true);
    expect(await permissions.allows('viewer', 'printers.control')).toBe(false);
  });

  it('resets to the defaults', async () => {
    const reset = await api.post<Matrix>('/api/permissions/reset', { token: admin });
    expect(reset.status).toBe(200);
    const read = (await api.get<Matrix>('/api/permissions')).body;
    expect(read.page_access['analytics']).toEqual(['viewer', 'operator', 'admin']);
    expect(read.action_access['jobs.approve']).toEqual(['operator', 'admin']);
  });
});

describe('a route naming an unknown action', () => {
  it('stops the server from starting', async () => {
    const dataDir = tempDir();
    const config = loadConfig(testEnv(dataDir));
    const database = openDatabase({ url: config.databaseUrl, dataDir });
    try {
      await migrate(database);
      const secrets = ensureSecrets(dataDir, { jwtSecret: config.jwtSecret, encryptionKey: config.encryptionKey });
      const { app } = await buildApp({ config, database, secrets });
      // Only a cast (or plain JavaScript) gets past the type; the guard catches it at registration.
      const action = 'printers.teleport' as PermissionAction;
      expect(() => app.post('/api/printers/teleport', { config: { access: 'operator', action } }, () => ({}))).toThrow(
        /unknown permission action "printers.teleport"/,
      );
      await app.close();
    } finally {
      await database.close();
    }
  });
});
