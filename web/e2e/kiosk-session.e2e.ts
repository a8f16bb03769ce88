/**
 * A TV on the wall in Chromium: the built app against the real server and a simulated Klipper
 * printer. The kiosk's saved access token expired while it was off (a power cut over the weekend);
 * its refresh token is still good, so the TV page comes back live without anyone logging in.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, PASSWORD, setupAdmin, userWithRole } from '../../server/test/client.js';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { MoonrakerSimulator } from '../../simulators/src/moonraker/index.js';
import { DESKTOP, launchBrowser, newContext, watchErrors, WEB_DIST } from './browser.js';

const JWT_SECRET = 'kiosk-test-secret-known-so-an-expired-token-can-be-made';
const PRINTER = 'Wall Voron';

/** A token of ours that expired an hour ago, as the kiosk would have kept it. */
function expiredToken(username: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: username, role: 'viewer', jti: 'weekend', iat: now - 90_000, exp: now - 3600 })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

describe('a wall kiosk in Chromium', () => {
  let server: TestServer;
  let sim: MoonrakerSimulator;
  let browser: Browser;
  let api: ApiClient;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
      throw new Error('web/dist is missing: run `npm run build -w @odin/web` first (npm test does)');
    sim = new MoonrakerSimulator({ speed: 1, name: PRINTER });
    await sim.start();
    server = await startTestServer({ env: { ODIN_WEB_DIR: WEB_DIST, ODIN_JWT_SECRET: JWT_SECRET } });
    api = new ApiClient(server.url);
    const adminToken = await setupAdmin(api);
    const created = await api.post('/api/printers', {
      token: adminToken,
      json: { name: PRINTER, api_type: 'moonraker', api_host: `127.0.0.1:${sim.port}` },
    });
    expect(created.status, created.text).toBe(201);
    await userWithRole(api, adminToken, 'viewer', 'wallscreen');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sim?.stop();
  });

  it('comes back live on the TV page after its access token expired, by refreshing the session', async () => {
    const login = await api.post<{ refresh_token: string }>('/api/auth/login', { form: { username: 'wallscreen', password: PASSWORD } });
    expect(login.status).toBe(200);
    const expired = expiredToken('wallscreen');

    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const errors = watchErrors(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).searchParams.get('token') ?? ''));

    // What the kiosk had saved before the power cut.
    await page.goto(`${server.url}/health`);
    await page.evaluate(
      ([access, refresh]) => {
        localStorage.setItem('odin.token', access);
        localStorage.setItem('odin.refresh', refresh);
      },
      [expired, login.body.refresh_token] as const,
    );

    await page.goto(`${server.url}/tv`);
    const card = page.locator('article[data-printer-id]', { hasText: PRINTER });
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 20_000 }).toBe('idle');
    expect(page.url()).toMatch(/\/tv$/);

    const stored = await page.evaluate(() => [localStorage.getItem('odin.token'), localStorage.getItem('odin.refresh')]);
    const [access = null, refresh = null] = stored;
    expect(access).not.toBe(expired);
    expect(refresh).not.toBe(login.body.refresh_token);
    expect((await api.get('/api/auth/me', { token: access ?? '' })).status).toBe(200);
    // The live socket runs on the refreshed token.
    expect(sockets).toContain(access);
    // The browser logs the expired token's 401s; nothing else may go wrong.
    expect(errors.filter((error) => !/401/.test(error))).toEqual([]);
    await context.close();
  });
});
