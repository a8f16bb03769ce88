import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, setupAdmin } from './client.js';
import { startTestServer, tempDir, type TestServer } from './harness.js';

const BIG_ASSET = `console.log(${JSON.stringify('farm '.repeat(2000))});`;

describe('web app, API docs and unknown paths', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    const webDir = tempDir('odin-web-');
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>ODIN app</title><div id="root"></div>');
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'assets', 'app-1234.js'), 'console.log("odin")');
    // What the build's precompress step writes beside a large asset.
    fs.writeFileSync(path.join(webDir, 'assets', 'big-5678.js'), BIG_ASSET);
    fs.writeFileSync(path.join(webDir, 'assets', 'big-5678.js.br'), zlib.brotliCompressSync(BIG_ASSET));
    fs.writeFileSync(path.join(webDir, 'assets', 'big-5678.js.gz'), zlib.gzipSync(BIG_ASSET));
    server = await startTestServer({ env: { ODIN_WEB_DIR: webDir } });
    api = new ApiClient(server.url);
  });
  afterAll(() => server.close());

  it('serves the built web app at / and for every client-side route', async () => {
    for (const route of ['/', '/printers/12', '/settings/users?tab=roles']) {
      const response = await api.get(route);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type'), route).toMatch(/text\/html/);
      expect(response.text, route).toContain('ODIN app');
    }
  });

  it('serves built assets with a long cache lifetime', async () => {
    const response = await api.get('/assets/app-1234.js');
    expect(response.status).toBe(200);
    expect(response.text).toContain('console.log');
    expect(response.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('sends the precompressed asset to browsers that accept it, and the plain file to those that do not', async () => {
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const response = await fetch(`${server.url}/assets/big-5678.js`, { headers: { 'accept-encoding': accept } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding'), accept).toBe(encoding);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      // fetch decodes the body by the header, so this also proves the bytes were that encoding.
      expect(await response.text()).toBe(BIG_ASSET);
    }
    const plain = await new Promise<{ encoding: string | undefined; body: string }>((resolve, reject) => {
      http
        .get(`${server.url}/assets/big-5678.js`, { headers: { 'accept-encoding': 'identity' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body }));
        })
        .on('error', reject);
    });
    expect(plain.encoding).toBeUndefined();
    expect(plain.body).toBe(BIG_ASSET);
  });

  it('answers unknown /api paths with a JSON 404, never the web app', async () => {
    for (const [method, route] of [
      ['GET', '/api/nope'],
      ['POST', '/api/printers-that-do-not-exist'],
      ['GET', '/api'],
      ['DELETE', '/api/users'],
    ] as const) {
      const response = await api.request<{ detail: string }>(method, route);
      expect(response.status, route).toBe(404);
      expect(response.headers.get('content-type'), route).toMatch(/application\/json/);
      expect(response.body.detail, route).toMatch(/no route/i);
    }
  });

  it('publishes the OpenAPI document with each route, its role and its schemas', async () => {
    const response = await api.get<{
      openapi: string;
      paths: Record<string, Record<string, { 'x-access': string; security: unknown[]; requestBody?: unknown }>>;
    }>('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    const users = response.body.paths['/api/users']!;
    expect(users['get']!['x-access']).toBe('admin');
    expect(users['get']!.security).toEqual([{ bearer: [] }]);
    expect(users['post']!.requestBody).toBeTruthy();
    expect(response.body.paths['/api/users/{user_id}']).toBeTruthy();
    expect(response.body.paths['/api/branding']!['get']!['x-access']).toBe('public');
  });

  it('serves Swagger UI and ReDoc from local files, with no links off this machine', async () => {
    const swagger = await api.get('/api/docs/');
    expect(swagger.status).toBe(200);
    expect(swagger.text).toMatch(/swagger-ui/i);
    const scripts = [...swagger.text.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      const asset = await api.get(new URL(src, `${server.url}/api/docs/`).pathname);
      expect(asset.status, src).toBe(200);
    }

    const redoc = await api.get('/api/redoc');
    expect(redoc.status).toBe(200);
    expect(redoc.text).toContain('/api/openapi.json');
    expect(redoc.text).not.toMatch(/src="https?:/);
    const bundle = await api.get('/api/redoc/redoc.standalone.js');
    expect(bundle.status).toBe(200);
    expect(bundle.text.length).toBeGreaterThan(100_000);
  });
});

describe('without a web build', () => {
  it('shows a page that says the API is running and where its docs are', async () => {
    const server = await startTestServer();
    try {
      const response = await new ApiClient(server.url).get('/');
      expect(response.status).toBe(200);
      expect(response.text).toContain('ODIN is running');
      expect(response.text).toContain('/api/docs');
    } finally {
      await server.close();
    }
  });
});

describe('perimeter API key', () => {
  let server: TestServer;
  const key = 'outer-fence';

  beforeAll(async () => {
    // The original's variable name works as an alias.
    server = await startTestServer({ env: { API_KEY: key } });
  });
  afterAll(() => server.close());

  it('is demanded on protected routes, even with a valid token', async () => {
    const keyed = new ApiClient(server.url, { apiKey: key });
    const admin = await setupAdmin(keyed);
    const bare = new ApiClient(server.url);
    const noKey = await bare.get<{ detail: string }>('/api/users', { token: admin });
    expect(noKey.status).toBe(401);
    expect(noKey.body.detail).toBe('Invalid or missing API key');
    expect((await bare.get('/api/users', { token: admin, headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    expect((await keyed.get('/api/users', { token: admin })).status).toBe(200);
  });

  it('is never an identity on its own', async () => {
    const keyed = new ApiClient(server.url, { apiKey: key });
    expect((await keyed.get('/api/users')).status).toBe(401);
    expect((await keyed.get('/api/config')).status).toBe(401);
  });

  it('is not asked for by public routes, login, or OPTIONS', async () => {
    const bare = new ApiClient(server.url);
    expect((await bare.get('/health')).status).toBe(200);
    expect((await bare.get('/api/branding')).status).toBe(200);
    expect((await bare.get('/api/setup/status')).status).toBe(200);
    expect((await bare.post('/api/auth/login', { form: { username: 'admin', password: 'Adm1nPassword' } })).status).toBe(200);
    expect((await bare.request('OPTIONS', '/api/users')).status).not.toBe(401);
  });
});
