import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ApiClient, type ErrorReply, PASSWORD, startWithAdmin } from './client.js';
import { type TestServer } from './harness.js';

type Detail = ErrorReply;

/**
 * Bad input gets a clear 4xx with `{detail, code}`, never a 500, and writes nothing. (The test client
 * fails any test whose error reply lacks a code, so every refusal here is checked for that too.)
 */
describe('bad input', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;

  beforeAll(async () => {
    ({ server, api, adminToken: admin } = await startWithAdmin());
  });
  afterAll(() => server.close());

  const userCount = async () => (await api.get<unknown[]>('/api/users', { token: admin })).body.length;
  const createUserRaw = (body: string, contentType = 'application/json') =>
    api.post<Detail>('/api/users', { token: admin, raw: { body, contentType } });

  it('answers malformed JSON with 400 and writes nothing', async () => {
    const before = await userCount();
    for (const body of ['{"username": "x", "password": ', '{username: x}', '[1,2', '\u0000']) {
      const response = await createUserRaw(body);
      expect(response.status, body).toBe(400);
      expect(response.body.code, body).toBe('malformed_json');
    }
    expect(await userCount()).toBe(before);
  });

  it('answers an empty JSON body with 400', async () => {
    const response = await createUserRaw('');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('empty_json_body');
    expect(response.body.detail).toMatch(/empty/i);
  });

  it('answers wrong types with 422 listing each bad field, without coercing them', async () => {
    const before = await userCount();
    const response = await api.post<Detail>('/api/users', {
      token: admin,
      json: { username: 12345, password: true, role: 'overlord', email: ['a'] },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('validation_failed');
    const fields = (response.body.errors ?? []).map((d) => d.loc.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['body.username', 'body.password', 'body.role', 'body.email']));
    // The sentence names the fields too, for people reading it.
    for (const field of ['body.username', 'body.password', 'body.role', 'body.email']) expect(response.body.detail).toContain(field);
    expect(await userCount()).toBe(before);
  });

  it('answers missing fields with 422 naming them', async () => {
    const response = await api.post<Detail>('/api/users', { token: admin, json: {} });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ loc: ['body', 'username'], type: 'missing' })]));
    expect(response.body.detail).toMatch(/body\.username is required/);
  });

  it('answers a JSON array or scalar where an object belongs with 422', async () => {
    for (const body of ['[]', '"admin"', '42', 'null']) {
      const response = await createUserRaw(body);
      expect(response.status, body).toBeGreaterThanOrEqual(400);
      expect(response.status, body).toBeLessThan(500);
    }
  });

  it('ignores unknown fields: the row is created and the extras are not applied', async () => {
    const response = await api.post<{ id: number; is_active: boolean; role: string }>('/api/users', {
      token: admin,
      json: { username: 'extra', password: PASSWORD, id: 4242, is_superuser: true, password_hash: 'x', is_active: false },
    });
    expect(response.status).toBe(200);
    expect(response.body.id).not.toBe(4242);
    expect(response.body.is_active).toBe(true);
    await api.login('extra', PASSWORD);
  });

  it('refuses a 10 MB string with 413 and writes nothing', async () => {
    const before = await userCount();
    const huge = 'A'.repeat(10 * 1024 * 1024);
    const response = await api.post<Detail>('/api/users', { token: admin, json: { username: 'huge', password: PASSWORD, email: huge } });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('body_too_large');
    expect(response.body.detail).toMatch(/too large/i);
    const put = await api.put('/api/branding', { token: admin, json: { app_name: huge } });
    expect(put.status).toBe(413);
    expect(await userCount()).toBe(before);
    expect((await api.get<{ app_name: string }>('/api/branding')).body.app_name).toBe('O.D.I.N.');
  });

  it('refuses over-long strings inside the size limit with 422', async () => {
    const response = await api.put('/api/branding', { token: admin, json: { app_name: 'N'.repeat(5000) } });
    expect(response.status).toBe(422);
  });

  it('stores SQL-looking text literally and keeps the tables intact', async () => {
    const sqlish = "Robert'); DROP TABLE users;--";
    const put = await api.put<{ app_subtitle: string }>('/api/branding', { token: admin, json: { app_subtitle: sqlish } });
    expect(put.status).toBe(200);
    expect((await api.get<{ app_subtitle: string }>('/api/branding')).body.app_subtitle).toBe(sqlish);
    const username = await api.post('/api/users', { token: admin, json: { username: "x' OR '1'='1", password: PASSWORD } });
    expect(username.status).toBe(422);
    const login = await api.post('/api/auth/login', { form: { username: "admin' --", password: 'x' } });
    expect(login.status).toBe(401);
    const search = await api.get<{ total: number }>(`/api/audit-logs?search=${encodeURIComponent("%' OR 1=1 --")}`, { token: admin });
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(0);
    expect(await userCount()).toBeGreaterThan(0);
  });

  it('returns script-looking text as JSON data, never as markup', async () => {
    const script = '<script>alert(document.cookie)</script>';
    const put = await api.put('/api/branding', { token: admin, json: { footer_text: script } });
    expect(put.status).toBe(200);
    const get = await api.get<{ footer_text: string }>('/api/branding');
    expect(get.headers.get('content-type')).toMatch(/^application\/json/);
    expect(get.headers.get('x-content-type-options')).toBe('nosniff');
    expect(get.body.footer_text).toBe(script);
    expect((await api.post('/api/users', { token: admin, json: { username: script, password: PASSWORD } })).status).toBe(422);
  });

  it('answers bad path and query parameters with 422', async () => {
    expect((await api.patch('/api/users/abc', { token: admin, json: { role: 'viewer' } })).status).toBe(422);
    expect((await api.delete('/api/users/99999999999999999999', { token: admin })).status).toBe(422);
    expect((await api.get('/api/audit-logs?limit=-5', { token: admin })).status).toBe(422);
    expect((await api.get('/api/audit-logs?since=yesterday', { token: admin })).status).toBe(422);
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await api.post<Detail>('/api/users', { token: admin, raw: { body: '<user/>', contentType: 'application/xml' } });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('unsupported_media_type');
    expect(response.body.detail).toMatch(/content type/i);
  });

  it('keeps answering normally after all of the above', async () => {
    expect((await api.get('/api/health')).status).toBe(200);
    expect((await api.get('/api/auth/me', { token: admin })).status).toBe(200);
  });
});
