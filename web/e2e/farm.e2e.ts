/**
 * The web app as a farm owner meets it: the built app (web/dist) served by the real server, a
 * simulated Klipper printer on a real socket, Debian's Chromium driving the pages.
 *
 * setup wizard → add the printer → watch it print live → pause → "paused" → a viewer logs in and
 * sees the farm without a single control; then every main page is photographed on a desktop and a
 * phone, in both themes, and checked with axe-core.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, PASSWORD, userWithRole } from '../../server/test/client.js';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { MoonrakerSimulator } from '../../simulators/src/moonraker/index.js';
import { DESKTOP, launchBrowser, newContext, PHONE, screenshot, seriousA11yViolations, watchErrors, WEB_DIST } from './browser.js';

const ADMIN = { username: 'farmadmin', email: 'owner@farm.example', password: 'Farm0wnerPass' } as const;
const PRINTER = 'Voron 2.4';

describe('the web app in Chromium against the real server and a simulated printer', () => {
  let server: TestServer;
  let sim: MoonrakerSimulator;
  let browser: Browser;
  let api: ApiClient;
  let adminToken = '';
  let printerId = 0;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
      throw new Error('web/dist is missing: run `npm run build -w @odin/web` first (npm test does)');
    sim = new MoonrakerSimulator({ speed: 1, name: PRINTER });
    await sim.start();
    server = await startTestServer({
      env: { ODIN_WEB_DIR: WEB_DIST, ODIN_PRINTER_OFFLINE_SECONDS: '30', ODIN_RECONNECT_MAX_SECONDS: '1' },
    });
    api = new ApiClient(server.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sim?.stop();
  });

  const card = (page: Page) => page.locator('article[data-printer-id]', { hasText: PRINTER });

  it('walks a new owner from the setup wizard to a live print they pause from the dashboard', async () => {
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const errors = watchErrors(page);

    await page.goto(server.url);
    await page.waitForURL('**/setup');
    await page.getByLabel('Username', { exact: true }).fill(ADMIN.username);
    await page.getByLabel('Email (optional)').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat password').fill(ADMIN.password);
    await screenshot(page, 'setup-admin-desktop');
    await page.getByRole('button', { name: 'Create admin account' }).click();

    // The printer step: a Klipper printer at the simulator's address, tested before it is added.
    await page.getByText('Klipper (Moonraker)').click();
    await page.getByLabel('Name', { exact: true }).fill(PRINTER);
    await page.getByLabel('Address').fill(`127.0.0.1:${sim.port}`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByText('Connection works').isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(page, 'setup-printer-desktop');
    await page.getByRole('button', { name: 'Add printer' }).click();
    // The last step sums up what was set up.
    await expect.poll(() => page.getByText(`Printer: ${PRINTER}`).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByRole('button', { name: 'Finish and open the dashboard' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // The printer is on the dashboard, live.
    await expect.poll(() => card(page).getAttribute('data-status'), { timeout: 20_000 }).toBe('idle');
    adminToken = await api.login(ADMIN.username, ADMIN.password);
    const printers = (await api.get<Array<{ id: number; name: string }>>('/api/printers', { token: adminToken })).body;
    printerId = printers.find((printer) => printer.name === PRINTER)?.id ?? 0;
    expect(printerId).toBeGreaterThan(0);

    // Someone presses print on the printer itself: the card follows without a reload.
    sim.startPrint('benchy_0.2mm_PLA.gcode', { durationSeconds: 1800, heatSeconds: 1, totalLayers: 150 });
    await expect.poll(() => card(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('printing');
    await expect.poll(() => card(page).innerText(), { timeout: 10_000 }).toContain('benchy_0.2mm_PLA');
    await screenshot(page, 'dashboard-printing-desktop');

    await card(page)
      .getByRole('button', { name: `Pause ${PRINTER}` })
      .click();
    await expect.poll(() => card(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('paused');
    await expect
      .poll(() =>
        card(page)
          .getByRole('button', { name: `Resume ${PRINTER}` })
          .isVisible(),
      )
      .toBe(true);
    // The printer itself is paused, not just the picture of it.
    const live = (await api.get<{ status: string }>(`/api/printers/${printerId}/live-status`, { token: adminToken })).body;
    expect(live.status).toBe('paused');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a viewer watch the farm without a single control', async () => {
    expect(printerId, 'the first test adds the printer').toBeGreaterThan(0);
    await userWithRole(api, adminToken, 'viewer', 'wallscreen');
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const errors = watchErrors(page);

    await page.goto(`${server.url}/printers/${printerId}`);
    await page.waitForURL('**/login**');
    await page.getByLabel('Username', { exact: true }).fill('wallscreen');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    // Back where the viewer wanted to go, then to the dashboard.
    await page.waitForURL(`**/printers/${printerId}`);
    await page.goto(`${server.url}/`);

    await expect.poll(() => card(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('paused');
    await expect.poll(() => page.getByTestId('current-user').innerText()).toContain('Viewer');
    for (const name of [`Pause ${PRINTER}`, `Resume ${PRINTER}`, `Stop ${PRINTER}`]) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    }
    expect(await page.getByTestId('emergency-stop-all').count()).toBe(0);
    // Nor on the printer's own page, nor a way into the settings.
    await page.goto(`${server.url}/printers/${printerId}`);
    await expect.poll(() => page.getByRole('heading', { name: PRINTER }).first().isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole('button', { name: /^(Pause|Resume|Stop)\b/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await screenshot(page, 'printer-detail-viewer-desktop');

    expect(errors).toEqual([]);
    await context.close();
  });

  const PAGES = [
    { name: 'dashboard', path: '/' },
    { name: 'tv', path: '/tv' },
    { name: 'printers', path: '/printers' },
    { name: 'printer-detail', path: () => `/printers/${printerId}` },
    { name: 'history', path: '/history' },
    { name: 'settings-users', path: '/settings/users' },
    { name: 'settings-permissions', path: '/settings/permissions' },
    { name: 'settings-branding', path: '/settings/branding' },
    { name: 'settings-general', path: '/settings/general' },
    { name: 'settings-audit', path: '/settings/audit' },
  ] as const;

  // Forty page visits, half of them checked with axe (~1.5 s each): more than the default 90 s on a busy machine.
  it('shows every main page on a desktop and a phone, in light and dark, with no serious accessibility problem', async () => {
    expect(adminToken, 'the first test sets up the admin').not.toBe('');
    const problems: string[] = [];
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const theme of ['light', 'dark'] as const) {
        const context = await newContext(browser, viewport, theme);
        await context.addInitScript((token) => localStorage.setItem('odin.token', token), adminToken);
        const page = await context.newPage();
        const errors = watchErrors(page);
        for (const entry of PAGES) {
          const target = typeof entry.path === 'function' ? entry.path() : entry.path;
          await page.goto(`${server.url}${target}`);
          await page.waitForLoadState('networkidle');
          // Whatever page it is, it has finished loading: no spinner left.
          await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count(), { timeout: 10_000 }).toBe(0);
          expect(new URL(page.url()).pathname, `${entry.name} must not bounce to the login page`).not.toBe('/login');
          await screenshot(page, `${entry.name}-${label}-${theme}`);
          if (label === 'desktop' || entry.name === 'dashboard') {
            for (const violation of await seriousA11yViolations(page)) {
              problems.push(
                `${entry.name} (${label}, ${theme}): ${violation.impact} ${violation.id} — ${violation.help} at ${violation.nodes.join(', ')}`,
              );
            }
          }
        }
        expect(errors, `${label} ${theme}`).toEqual([]);
        await context.close();
      }
    }
    // The login page, for someone not logged in.
    const context = await newContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await screenshot(page, 'login-phone-light');
    for (const violation of await seriousA11yViolations(page))
      problems.push(`login: ${violation.impact} ${violation.id} — ${violation.help} at ${violation.nodes.join(', ')}`);
    await context.close();
    expect(problems).toEqual([]);
  }, 240_000);
});
