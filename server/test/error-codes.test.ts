import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ERROR_CODE_LIST } from '../src/core/errors.js';
import { ApiClient, type ErrorReply, PASSWORD, setupAdmin } from './client.js';
import { startTestServer, type TestServer } from './harness.js';

interface SchemaObject {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, SchemaObject>;
  enum?: string[];
}
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { 'x-access'?: string; responses?: Record<string, { content?: Record<string, { schema: SchemaObject }> }> }>
  >;
  components: { schemas: Record<string, SchemaObject> };
}

/** The health check's 503 is its report (status, version, database), meant for monitors, not an error reply. */
const NOT_ERROR_REPLIES = new Set(['GET /api/health 503', 'GET /health 503']);

describe('error codes', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer({ env: { ODIN_BODY_LIMIT_BYTES: '4096' } });
    api = new ApiClient(server.url);
    admin = await setupAdmin(api);
    document = (await api.get<OpenApiDocument>('/api/openapi.json')).body;
  });
  afterAll(() => server.close());

  describe('in the OpenAPI document', () => {
    const resolve = (schema: SchemaObject): SchemaObject => {
      const name = schema.$ref?.replace('#/components/schemas/', '');
      return name ? (document.components.schemas[name] ?? {}) : schema;
    };

    it('declares one ErrorReply whose code lists every error code', () => {
      const reply = document.components.schemas['ErrorReply'];
      expect(reply?.required).toEqual(expect.arrayContaining(['detail', 'code']));
      expect(reply?.properties?.['code']?.enum).toEqual(ERROR_CODE_LIST);
      expect(new Set(ERROR_CODE_LIST).size).toBe(ERROR_CODE_LIST.length);
      for (const code of ERROR_CODE_LIST) expect(code).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
    });

    it('gives every declared 4xx/5xx response a JSON schema that requires code', () => {
      const missing: string[] = [];
      let checked = 0;
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const [status, response] of Object.entries(operation.responses ?? {})) {
            const where = `${method.toUpperCase()} ${path} ${status}`;
            if (Number(status) < 400 || NOT_ERROR_REPLIES.has(where)) continue;
            checked += 1;
            const schema = response.content?.['application/json']?.schema;
            if (!schema || !resolve(schema).required?.includes('code')) missing.push(where);
          }
        }
      }
      expect(missing).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    });

    it('documents the refusals every route of its kind can give', () => {
      const gaps: string[] = [];
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const statuses = Object.keys(operation.responses ?? {});
          const access = operation['x-access'];
          const expected = access === 'public' ? ['500'] : access === 'setup' ? ['403', '500'] : ['401', '403', '500'];
          for (const status of expected) if (!statuses.includes(status)) gaps.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
      expect(gaps).toEqual([]);
      const login = document.paths['/api/auth/login']?.['post']?.responses ?? {};
      expect(Object.keys(login)).toEqual(expect.arrayContaining(['401', '422', '423', '429']));
      const pause = document.paths['/api/printers/{printer_id}/pause']?.['post']?.responses ?? {};
      expect(Object.keys(pause)).toEqual(expect.arrayContaining(['404', '409', '501', '502', '504']));
    });
  });

  describe("Fastify's own errors", () => {
    const createUser = (body: string, contentType = 'application/json') =>
      api.post<ErrorReply>('/api/users', { token: admin, raw: { body, contentType } });

    it('unknown routes: 404 route_not_found, for API paths and for non-GET requests elsewhere', async () => {
      for (const [method, path] of [
        ['GET', '/api/no-such-thing'],
        ['DELETE', '/api/users'],
        ['POST', '/some/page'],
      ] as const) {
        const response = await api.request<ErrorReply>(method, path, { token: admin });
        expect(response.status, path).toBe(404);
        expect(response.body, path).toEqual({ code: 'route_not_found', detail: `No route ${method} ${path}` });
      }
    });

    it('413 body_too_large over the body limit', async () => {
      const response = await createUser(JSON.stringify({ username: 'big', password: PASSWORD, email: 'x'.repeat(8000) }));
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('body_too_large');
    });

    it('415 unsupported_media_type for a content type no parser takes', async () => {
      const response = await createUser('<user/>', 'application/xml');
      expect(response.status).toBe(415);
      expect(response.body.code).toBe('unsupported_media_type');
      expect(response.body.detail).toContain('application/xml');
    });

    it('400 malformed_json and empty_json_body', async () => {
      expect((await createUser('{"username": ')).body).toEqual({ code: 'malformed_json', detail: 'Malformed JSON in request body' });
      expect((await createUser('')).body.code).toBe('empty_json_body');
    });

    it('422 validation_failed with a sentence naming the fields and each field in errors', async () => {
      const response = await api.post<ErrorReply>('/api/users', { token: admin, json: { username: 7, role: 'overlord' } });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.detail).toMatch(/^Invalid request: .*body\.username.*/);
      expect(response.body.detail).toContain('body.password is required');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { loc: ['body', 'username'], msg: 'must be string', type: 'type' },
          { loc: ['body', 'password'], msg: 'Field required', type: 'missing' },
          expect.objectContaining({ loc: ['body', 'role'] }),
        ]),
      );
      const query = await api.get<ErrorReply>('/api/audit-logs?since=2024-12-31T23:59:60Z', { token: admin });
      expect(query.status).toBe(422);
      expect(query.body.code).toBe('validation_failed');
      expect(query.body.errors?.[0]?.loc).toEqual(['querystring', 'since']);
    });

    it('400 malformed_url and 414 url_too_long before any route is found', async () => {
      const bad = await api.get<ErrorReply>('/api/printers/%E0%A4%A', { token: admin });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('malformed_url');
      const long = await api.get<ErrorReply>(`/api/printers/${'1'.repeat(150)}`, { token: admin });
      expect(long.status).toBe(414);
      expect(long.body.code).toBe('url_too_long');
    });

    it('multipart refusals: not multipart, file too large', async () => {
      const asJson = await api.post<ErrorReply>('/api/branding/favicon', { token: admin, json: {} });
      expect(asJson.status).toBe(400);
      expect(asJson.body.code).toBe('multipart_required');

      // A multipart body over the JSON body limit is still read: uploads have their own per-asset limit.
      const big = new FormData();
      big.append('file', new Blob([Buffer.alloc(600 * 1024, 0x41)]), 'big.png');
      const tooLarge = await api.post<ErrorReply>('/api/branding/favicon', { token: admin, raw: { body: big } });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.code).toBe('file_too_large');
    });

    it('426 websocket_required for a plain GET of /ws', async () => {
      const response = await api.get<ErrorReply>('/ws');
      expect(response.status).toBe(426);
      expect(response.body.code).toBe('websocket_required');
    });
  });

  it('answers an unexpected failure with 500 internal_error and keeps its cause out of the reply', async () => {
    const { db } = server.odin.database;
    await sql`ALTER TABLE print_jobs RENAME TO print_jobs_away`.execute(db);
    try {
      const response = await api.get<ErrorReply>('/api/print-jobs', { token: admin });
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ code: 'internal_error', detail: 'Internal server error' });
    } finally {
      await sql`ALTER TABLE print_jobs_away RENAME TO print_jobs`.execute(db);
    }
    expect((await api.get('/api/print-jobs', { token: admin })).status).toBe(200);
  });
});
