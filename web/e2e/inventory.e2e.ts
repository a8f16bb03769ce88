/**
 * The filament inventory as a farm owner meets it: the built app (web/dist) served by the real
 * server, a simulated Klipper printer and a simulated Bambu P1S with an AMS on real sockets,
 * Debian's Chromium driving the pages.
 *
 * filaments and spools added through the dialogs → a spool weighed → its label printed (the PNG
 * answers) → loaded into a printer slot, seen on the printer page and the dashboard card → the
 * AMS: an RFID spool found by itself, an untagged tray matched to a spool and confirmed → the
 * spools (table and swatches) and filaments pages photographed on a desktop and a phone, in light
 * and dark, and checked with axe-core.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, setupAdmin } from '../../server/test/client.js';
import { startTestServer, tempDir, type TestServer } from '../../server/test/harness.js';
import { BambuSimulator, createSimulatorCa } from '../../simulators/src/bambu/index.js';
import { MoonrakerSimulator } from '../../simulators/src/moonraker/index.js';
import { DESKTOP, launchBrowser, newContext, PHONE, screenshot, seriousA11yViolations, watchErrors, WEB_DIST } from './browser.js';

const VORON = 'Voron 2.4';
const P1S = 'P1S Farm 1';
const ORANGE_TAG = '1A2B3C4D5E6F7081';

interface SpoolRow {
  id: number;
  qr_code: string;
  material: string;
  filament_name: string;
  remaining_weight_g: number;
  location_printer_id: number | null;
  location_slot: number | null;
  source: string;
}
interface SlotRow {
  slot_number: number;
  assigned_spool_id: number | null;
  spool_confirmed: boolean;
  attention: string | null;
}

describe('the filament inventory in Chromium against the real server and simulated printers', () => {
  const ca = createSimulatorCa();
  let server: TestServer;
  let klipper: MoonrakerSimulator;
  let bambu: BambuSimulator;
  let browser: Browser;
  let api: ApiClient;
  let token = '';
  let voronId = 0;
  let p1sId = 0;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
      throw new Error('web/dist is missing: run `npm run build -w @odin/web` first (npm test does)');
    const caFile = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(caFile, ca.caPem);
    klipper = new MoonrakerSimulator({ speed: 1, name: VORON });
    await klipper.start();
    bambu = new BambuSimulator({
      serial: '01P00A350100042',
      accessCode: 'abcd1234',
      model: 'P1S',
      ca,
      speed: 1,
      pushIntervalMs: 200,
      amsUnits: 1,
    });
    await bambu.start();
    for (let tray = 0; tray < 4; tray++) bambu.setTray(0, tray, null);
    // A Bambu spool with its RFID tag, and an untagged black PETG spool ODIN has to match.
    bambu.setTray(0, 0, { type: 'PLA', color: 'FF6A13FF', remain: 80, tagUid: ORANGE_TAG, filamentId: 'GFA00' });
    bambu.setTray(0, 1, { type: 'PETG', color: '1A1A1AFF', remain: -1 });
    server = await startTestServer({
      env: {
        ODIN_WEB_DIR: WEB_DIST,
        ODIN_BAMBU_CA_FILE: caFile,
        ODIN_RECONNECT_BASE_MS: '50',
        ODIN_RECONNECT_MAX_SECONDS: '1',
      },
    });
    api = new ApiClient(server.url);
    token = await setupAdmin(api);
    const voron = await api.post<{ id: number }>('/api/printers', {
      token,
      json: { name: VORON, api_type: 'moonraker', api_host: `127.0.0.1:${klipper.port}` },
    });
    expect(voron.status, voron.text).toBe(201);
    voronId = voron.body.id;
    const p1s = await api.post<{ id: number }>('/api/printers', {
      token,
      json: { name: P1S, api_type: 'bambu', api_host: `127.0.0.1:${bambu.mqttPort}`, serial: bambu.serial, access_code: 'abcd1234' },
    });
    expect(p1s.status, p1s.text).toBe(201);
    p1sId = p1s.body.id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await klipper?.stop();
    await bambu?.stop();
  });

  const spools = async () => (await api.get<SpoolRow[]>('/api/spools?status=all', { token })).body;
  const slots = async (printerId: number) => (await api.get<SlotRow[]>(`/api/printers/${printerId}/slots`, { token })).body;
  const spoolRow = (page: Page, code: string): Locator => page.getByTestId('spools-table').locator(`tr[data-spool="${code}"]`);
  const toast = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text });

  async function loggedIn(viewport: { width: number; height: number }, theme: 'light' | 'dark' = 'light') {
    const context = await newContext(browser, viewport, theme);
    await context.addInitScript((saved) => localStorage.setItem('odin.token', saved), token);
    const page = await context.newPage();
    return { context, page, errors: watchErrors(page) };
  }

  it('adds filaments and spools through the dialogs, weighs one, prints its label and loads it into a printer', async () => {
    const { context, page, errors } = await loggedIn(DESKTOP);

    // The library: two filaments, one with its weights and price.
    await page.goto(`${server.url}/filaments`);
    await page.getByRole('button', { name: 'Add filament' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add a filament' });
    await dialog.getByLabel('Brand').fill('Prusament');
    await dialog.getByLabel('Name', { exact: true }).fill('Galaxy Black');
    await dialog.getByLabel('Material').fill('PLA');
    await dialog.getByLabel('Colour', { exact: true }).fill('#3B3B46');
    await dialog.getByLabel('Filament on a new spool (g)').fill('1000');
    await dialog.getByLabel('Empty spool (g)').fill('200');
    await dialog.getByLabel('Price per kg').fill('29.99');
    await screenshot(page, 'filament-dialog-desktop');
    await dialog.getByRole('button', { name: 'Add filament' }).click();
    await expect.poll(() => toast(page, 'Prusament Galaxy Black added to the library.').count()).toBe(1);
    await page.getByRole('button', { name: 'Add filament' }).click();
    dialog = page.getByRole('dialog', { name: 'Add a filament' });
    await dialog.getByLabel('Brand').fill('Sunlu');
    await dialog.getByLabel('Name', { exact: true }).fill('PETG Black');
    await dialog.getByLabel('Material').fill('PETG');
    await dialog.getByLabel('Colour', { exact: true }).fill('#262626');
    await dialog.getByRole('button', { name: 'Add filament' }).click();
    await expect.poll(() => page.getByTestId('filaments-table').locator('tr[data-filament="Sunlu PETG Black"]').count()).toBe(1);

    // Three identical spools on a shelf, and one PETG spool.
    await page.goto(`${server.url}/spools`);
    await page.getByRole('button', { name: 'Add spools' }).first().click();
    dialog = page.getByRole('dialog', { name: 'Add spools' });
    await dialog.getByLabel('Filament', { exact: true }).selectOption({ label: 'Prusament Galaxy Black · PLA' });
    await expect.poll(() => dialog.getByLabel('Empty spool (g)').inputValue()).toBe('200');
    await dialog.getByLabel('How many spools').fill('3');
    await dialog.getByLabel('Price per spool').fill('29.99');
    await dialog.getByLabel('Bought from').fill('Prusa Research');
    await dialog.getByLabel('Lot / batch').fill('L2026-03');
    await dialog.getByLabel('Storage place').fill('Shelf A');
    await screenshot(page, 'spools-add-desktop');
    await dialog.getByRole('button', { name: 'Add 3 spools' }).click();
    await expect.poll(() => page.getByRole('region', { name: '3 spools selected' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add spools' }).first().click();
    dialog = page.getByRole('dialog', { name: 'Add spools' });
    await dialog.getByLabel('Filament', { exact: true }).selectOption({ label: 'Sunlu PETG Black · PETG' });
    await dialog.getByLabel('Storage place').fill('Dry box 2');
    await dialog.getByRole('button', { name: 'Add spool' }).click();
    const added = (await spools()).filter((spool) => spool.source === 'manual');
    expect(added.map((spool) => spool.material).sort()).toEqual(['PETG', 'PLA', 'PLA', 'PLA']);
    const galaxy = added.find((spool) => spool.material === 'PLA')!;
    await expect.poll(() => spoolRow(page, galaxy.qr_code).isVisible()).toBe(true);

    // Weigh it: the dialog shows the empty spool and what is left before anything is saved.
    await spoolRow(page, galaxy.qr_code)
      .getByRole('button', { name: `More for ${galaxy.qr_code}` })
      .click();
    await page.getByRole('menuitem', { name: 'Weigh' }).click();
    dialog = page.getByRole('dialog', { name: `Weigh ${galaxy.qr_code}` });
    expect(await dialog.getByTestId('empty-spool-weight').innerText()).toBe('200 g');
    await dialog.getByLabel('Scale reading (g)').fill('712');
    await expect.poll(() => dialog.getByTestId('weigh-result').innerText()).toContain('512 g · 51 %');
    await screenshot(page, 'spools-weigh-desktop');
    await dialog.getByRole('button', { name: 'Save weight' }).click();
    await expect.poll(() => toast(page, `${galaxy.qr_code}: 512 g left.`).count()).toBe(1);
    expect((await spools()).find((spool) => spool.id === galaxy.id)?.remaining_weight_g).toBe(512);

    // Its label: the size is chosen, the preview shows, the PNG behind "Open PNG" answers.
    await spoolRow(page, galaxy.qr_code)
      .getByRole('button', { name: `More for ${galaxy.qr_code}` })
      .click();
    await page.getByRole('menuitem', { name: 'Print label' }).click();
    dialog = page.getByRole('dialog', { name: `Label for ${galaxy.qr_code}` });
    await dialog.getByLabel('Label size').selectOption('dk-11209');
    await expect
      .poll(() => dialog.getByRole('img', { name: 'Preview of the label' }).evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await screenshot(page, 'spools-label-desktop');
    const png = await dialog.getByRole('link', { name: 'Open PNG' }).getAttribute('href');
    expect(png).toBe(`/api/spools/${galaxy.id}/label?size=dk-11209&format=png`);
    const label = await page.request.get(`${server.url}${png}`);
    expect(label.status()).toBe(200);
    expect(label.headers()['content-type']).toBe('image/png');
    const pdf = await page.request.get(`${server.url}${await dialog.getByRole('link', { name: 'Open PDF' }).getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    // Into the Klipper printer's second slot.
    await spoolRow(page, galaxy.qr_code)
      .getByRole('button', { name: `More for ${galaxy.qr_code}` })
      .click();
    await page.getByRole('menuitem', { name: 'Load' }).click();
    dialog = page.getByRole('dialog', { name: `Load ${galaxy.qr_code}` });
    await dialog.getByLabel('Printer').selectOption({ label: VORON });
    await dialog.getByLabel('Slot').selectOption({ label: 'Slot 2' });
    await expect.poll(() => dialog.getByText('This slot is free.').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Load' }).click();
    await expect.poll(() => toast(page, `${galaxy.qr_code} is in ${VORON}, Slot 2.`).count()).toBe(1);
    expect((await spools()).find((spool) => spool.id === galaxy.id)).toMatchObject({ location_printer_id: voronId, location_slot: 2 });
    await expect.poll(() => spoolRow(page, galaxy.qr_code).innerText()).toContain(`${VORON} · Slot 2`);

    // The spool's page: its history has the weighing.
    await spoolRow(page, galaxy.qr_code).getByRole('button', { name: 'Prusament PLA Galaxy Black' }).click();
    const drawer = page.getByRole('dialog', { name: 'Prusament PLA Galaxy Black' });
    await expect.poll(() => drawer.getByTestId('spool-usage').innerText()).toContain('Weighed');
    await expect.poll(() => drawer.getByRole('img', { name: `QR code ${galaxy.qr_code}` }).isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.get('spool')).toBe(String(galaxy.id));
    await screenshot(page, 'spools-drawer-desktop');
    await drawer.getByRole('button', { name: 'Close' }).first().click();

    // The printer's page shows the spool in its slot, the dashboard card its grams.
    await page.goto(`${server.url}/printers/${voronId}`);
    const slot = page.locator('[data-slot="2"]');
    await expect.poll(() => slot.innerText(), { timeout: 10_000 }).toContain('Prusament PLA Galaxy Black');
    expect(await slot.innerText()).toContain('512 g · 51 %');
    await page.goto(`${server.url}/`);
    const chip = page.locator(`article[data-printer-id="${voronId}"] li[data-spool="${galaxy.qr_code}"]`);
    await expect.poll(() => chip.getAttribute('title'), { timeout: 15_000 }).toContain(`512 g left on ${galaxy.qr_code}`);
    expect(await chip.innerText()).toBe('512 g');
    await screenshot(page, 'dashboard-spools-desktop');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds the RFID spool in the AMS by itself, and has the untagged tray confirmed on the printer page', async () => {
    expect(p1sId).toBeGreaterThan(0);
    // The tagged tray became a spool of its own, in AMS 1 · 1.
    await expect.poll(async () => (await spools()).find((spool) => spool.source === 'rfid')?.location_slot, { timeout: 20_000 }).toBe(1);
    const { context, page, errors } = await loggedIn(DESKTOP);
    await page.goto(`${server.url}/printers/${p1sId}`);
    await expect.poll(() => page.locator('[data-slot="1"]').innerText(), { timeout: 15_000 }).toContain('AMS 1 · 1');
    // The PETG tray is loaded but unknown; "Sync AMS" matches it to the black PETG spool by colour.
    await expect.poll(() => page.getByRole('button', { name: 'Sync AMS' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Sync AMS' }).click();
    const attention = page.getByRole('region', { name: 'Slots that need a look' });
    const item = attention.locator('[data-attention-slot="2"]');
    await expect.poll(() => item.innerText(), { timeout: 10_000 }).toContain('ODIN suggests a spool. Is it this one?');
    expect(await item.innerText()).toContain('AMS 1 · 2');
    expect(await item.innerText()).toContain('Sunlu PETG Black');
    await screenshot(page, 'printer-slots-attention-desktop');
    await item.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => toast(page, 'AMS 1 · 2 confirmed.').count()).toBe(1);
    await expect
      .poll(async () => (await slots(p1sId)).find((slot) => slot.slot_number === 2))
      .toMatchObject({ spool_confirmed: true, attention: null });
    await expect.poll(() => attention.count()).toBe(0);
    await screenshot(page, 'printer-slots-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  const PAGES = [
    { name: 'spools-table', path: '/spools', view: 'table' },
    { name: 'spools-grid', path: '/spools', view: 'grid' },
    { name: 'filaments', path: '/filaments' },
    { name: 'printer-slots', path: () => `/printers/${p1sId}` },
  ] as const;

  // Sixteen pages, each checked with axe: on a busy machine that takes longer than the default 90 s.
  it('shows the spools (table and swatches) and filaments pages on a desktop and a phone, in light and dark, with no serious accessibility problem', async () => {
    const problems: string[] = [];
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const theme of ['light', 'dark'] as const) {
        const { context, page, errors } = await loggedIn(viewport, theme);
        for (const entry of PAGES) {
          if ('view' in entry) await context.addInitScript((view) => localStorage.setItem('odin.spools.view', view), entry.view);
          const target = typeof entry.path === 'function' ? entry.path() : entry.path;
          await page.goto(`${server.url}${target}`);
          await page.waitForLoadState('networkidle');
          await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count(), { timeout: 10_000 }).toBe(0);
          if ('view' in entry)
            await expect
              .poll(() => page.getByRole('button', { name: entry.view === 'grid' ? 'Swatches' : 'Table' }).getAttribute('aria-pressed'))
              .toBe('true');
          await screenshot(page, `${entry.name}-${label}-${theme}`);
          // Nothing wider than the screen (a phone would scroll sideways).
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${entry.name} ${label}`).toBeLessThanOrEqual(
            viewport.width,
          );
          for (const violation of await seriousA11yViolations(page)) {
            problems.push(
              `${entry.name} (${label}, ${theme}): ${violation.impact} ${violation.id} — ${violation.help} at ${violation.nodes.join(', ')}`,
            );
          }
        }
        expect(errors, `${label} ${theme}`).toEqual([]);
        await context.close();
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('reads in German too (longer words must still fit)', async () => {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { context, page, errors } = await loggedIn(viewport);
      await context.addInitScript(() => localStorage.setItem('odin.locale', 'de'));
      for (const entry of [
        { name: 'spools-table', path: '/spools' },
        { name: 'filaments', path: '/filaments' },
        { name: 'printer-slots', path: `/printers/${p1sId}` },
      ]) {
        await page.goto(`${server.url}${entry.path}`);
        await page.waitForLoadState('networkidle');
        await expect
          .poll(
            () =>
              page
                .getByRole('status')
                .filter({ hasText: /geladen|Lädt/ })
                .count(),
            { timeout: 10_000 },
          )
          .toBe(0);
        await screenshot(page, `${entry.name}-${label}-de`);
        // Nothing wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), entry.name).toBeLessThanOrEqual(viewport.width);
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
