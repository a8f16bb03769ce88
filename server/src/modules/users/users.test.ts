import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, type ApiClient, PASSWORD, startWithAdmin, userWithRole } from '../../../test/client.js';
import { type TestServer } from '../../../test/harness.js';

interface User {
  id: number;
  username: string;
  email: string | null;
  role: string;
  is_active: boolean;
  last_login: string | null;
  created_at: string;
}

describe('users', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;

  beforeAll(async () => {
    ({ server, api, adminToken: admin } = await startWithAdmin());
  });
  afterAll(() => server.close());

  const listUsers = async () => (await api.get<User[]>('/api/users', { token: admin })).body;

  it('creates a user and returns the new row with its id, never the password hash', async () => {
    const response = await api.post<User>('/api/users', {
      token: admin,
      json: { username: 'alice', email: 'alice@farm.example', password: PASSWORD, role: 'operator' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      username: 'alice',
      email: 'alice@farm.example',
      role: 'operator',
      is_active: true,
      last_login: null,
    });
    expect(response.body.id).toBeGreaterThan(1);
    expect(new Date(response.body.created_at).toISOString()).toBe(response.body.created_at);
    expect(response.text).not.toMatch(/hash|\$2[aby]\$/);
    const listed = await listUsers();
    expect(listed.map((u) => u.username)).toContain('alice');
    expect(Object.keys(listed[0]!).sort()).toEqual(['created_at', 'email', 'id', 'is_active', 'last_login', 'role', 'username']);
  });

  it('defaults the role to viewer and lets the user log in', async () => {
    const created = await api.post<User>('/api/users', { token: admin, json: { username: 'bob', password: PASSWORD } });
    expect(created.body.role).toBe('viewer');
    const token = await api.login('bob', PASSWORD);
    expect((await api.get<{ role: string }>('/api/auth/me', { token })).body.role).toBe('viewer');
    const bob = (await listUsers()).find((u) => u.username === 'bob')!;
    expect(bob.last_login).not.toBeNull();
  });

  it('refuses a duplicate username (any case) with 400', async () => {
    const again = await api.post<{ detail: string }>('/api/users', { token: admin, json: { username: 'ALICE', password: PASSWORD } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'username_taken' });
    expect(again.body.detail).toMatch(/already exists/i);
    expect((await listUsers()).filter((u) => u.username.toLowerCase() === 'alice')).toHaveLength(1);
  });

  it.each([
    ['short1A', 'at least 8 characters'],
    ['alllowercase1', 'upper-case'],
    ['ALLUPPERCASE1', 'lower-case'],
    ['NoDigitsHere', 'digit'],
  ])('refuses the weak password %s with 400 naming the rule (%s)', async (password, rule) => {
    const before = (await listUsers()).length;
    const response = await api.post<{ detail: string }>('/api/users', { token: admin, json: { username: `weak-${password}`, password } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'password_too_weak' });
    expect(response.body.detail).toContain(rule);
    expect((await listUsers()).length).toBe(before);
  });

  it('PATCH applies only username, email, role, is_active and password; other keys are ignored', async () => {
    const { id } = (await api.post<User>('/api/users', { token: admin, json: { username: 'carol', password: PASSWORD } })).body;
    const response = await api.patch<User>(`/api/users/${id}`, {
      token: admin,
      json: {
        email: 'carol@farm.example',
        role: 'operator',
        id: 9999,
        password_hash: 'x',
        created_at: '2000-01-01T00:00:00.000Z',
        last_login: 'x',
        oidc_subject: 'evil',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, email: 'carol@farm.example', role: 'operator' });
    expect(response.body.created_at).not.toBe('2000-01-01T00:00:00.000Z');
    // The password still works, so password_hash was not touched.
    await api.login('carol', PASSWORD);
  });

  it('changes a password under the same policy', async () => {
    const { id } = (await api.post<User>('/api/users', { token: admin, json: { username: 'dave', password: PASSWORD } })).body;
    expect((await api.patch(`/api/users/${id}`, { token: admin, json: { password: 'weak' } })).status).toBe(400);
    await api.login('dave', PASSWORD);
    expect((await api.patch(`/api/users/${id}`, { token: admin, json: { password: 'N3wPassword' } })).status).toBe(200);
    await api.login('dave', 'N3wPassword');
    expect((await api.post('/api/auth/login', { form: { username: 'dave', password: PASSWORD } })).status).toBe(401);
  });

  it('renames a user, refusing a name that is taken', async () => {
    const { id } = (await api.post<User>('/api/users', { token: admin, json: { username: 'erin', password: PASSWORD } })).body;
    expect((await api.patch(`/api/users/${id}`, { token: admin, json: { username: 'alice' } })).status).toBe(400);
    const renamed = await api.patch<User>(`/api/users/${id}`, { token: admin, json: { username: 'erin2' } });
    expect(renamed.body.username).toBe('erin2');
    await api.login('erin2', PASSWORD);
  });

  it('answers 404 for a user that does not exist', async () => {
    expect((await api.patch('/api/users/424242', { token: admin, json: { role: 'viewer' } })).status).toBe(404);
    expect((await api.delete('/api/users/424242', { token: admin })).status).toBe(404);
  });

  it('refuses to let an admin delete or disable themself', async () => {
    const me = (await api.get<{ id: number }>('/api/auth/me', { token: admin })).body;
    const deleted = await api.delete<{ detail: string }>(`/api/users/${me.id}`, { token: admin });
    expect(deleted.status).toBe(400);
    expect(deleted.body).toMatchObject({ code: 'cannot_delete_self' });
    expect((await api.patch(`/api/users/${me.id}`, { token: admin, json: { is_active: false } })).status).toBe(400);
    expect((await api.get('/api/auth/me', { token: admin })).status).toBe(200);
  });

  it('never leaves the farm without an active admin', async () => {
    const second = await userWithRole(api, admin, 'admin', 'admin2');
    const first = (await api.get<{ id: number }>('/api/auth/me', { token: admin })).body;
    // With two admins, the second may demote the first...
    expect((await api.patch(`/api/users/${first.id}`, { token: second.token, json: { role: 'operator' } })).status).toBe(200);
    // ...but now the second is the last: it can't be demoted, disabled or deleted by anyone.
    const demote = await api.patch<{ detail: string }>(`/api/users/${second.id}`, { token: second.token, json: { role: 'viewer' } });
    expect(demote.status).toBe(400);
    expect(demote.body).toMatchObject({ code: 'last_admin' });
    expect(demote.body.detail).toMatch(/last active admin/i);
    // Restore the first admin and delete the second.
    expect((await api.patch(`/api/users/${first.id}`, { token: second.token, json: { role: 'admin' } })).status).toBe(200);
    const adminAgain = await api.login(ADMIN.username, ADMIN.password);
    expect((await api.delete(`/api/users/${second.id}`, { token: adminAgain })).status).toBe(200);
    admin = adminAgain;
    const lastAdminDelete = await api.patch(`/api/users/${first.id}`, { token: admin, json: { role: 'viewer' } });
    expect(lastAdminDelete.status).toBe(400);
  });

  it('deletes a user: their token stops working at once', async () => {
    const { id, token } = await userWithRole(api, admin, 'operator', 'frank');
    const response = await api.delete(`/api/users/${id}`, { token: admin });
    expect(response.status).toBe(200);
    expect((await api.get('/api/auth/me', { token })).status).toBe(401);
    expect((await listUsers()).some((u) => u.username === 'frank')).toBe(false);
  });

  it('keeps operators and viewers out of user management', async () => {
    const operator = await userWithRole(api, admin, 'operator', 'gina');
    expect((await api.get('/api/users', { token: operator.token })).status).toBe(403);
    expect(
      (await api.post('/api/users', { token: operator.token, json: { username: 'sneaky', password: PASSWORD, role: 'admin' } })).status,
    ).toBe(403);
    expect((await api.patch(`/api/users/${operator.id}`, { token: operator.token, json: { role: 'admin' } })).status).toBe(403);
    expect((await listUsers()).find((u) => u.username === 'gina')!.role).toBe('operator');
  });

  it('audits user creation, changes and deletion with who did it', async () => {
    const logs = await api.get<{ logs: { action: string; entity_type: string; username: string }[] }>(
      '/api/audit-logs?entity_type=user&limit=500',
      { token: admin },
    );
    const actions = new Set(logs.body.logs.map((l) => l.action));
    for (const action of ['create', 'update', 'delete']) expect(actions).toContain(action);
    expect(logs.body.logs.find((l) => l.action === 'create')!.username).toBe('admin');
  });
});
