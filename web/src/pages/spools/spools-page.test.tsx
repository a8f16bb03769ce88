import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { writeToken } from '@/auth/token-store';

import { polyfillDialog, type RealServer, renderApp, startRealServer } from '../settings/test-support';
import SpoolsPage from './spools-page';

interface SpoolRow {
  id: number;
  qr_code: string;
  remaining_weight_g: number;
  location_printer_id: number | null;
}

/*
 * The pages start from `?status=active`, not the unfiltered list: the server sends that one as a
 * cached Buffer, which Fastify only recognises with Node's own ArrayBuffer — and jsdom replaces the
 * global one in this test environment (a browser, the e2e test, gets the cached list).
 */
const ACTIVE = '/spools?status=active';

describe('spools page (real server)', () => {
  let server: RealServer;
  let token: string;
  let viewer: string;
  const codes: Record<'shelf' | 'loaded' | 'petg', string> = { shelf: '', loaded: '', petg: '' };

  beforeAll(async () => {
    polyfillDialog();
    server = await startRealServer();
    token = await server.setupAdmin();
    viewer = (await server.createUser(token, 'wallscreen', 'viewer')).token;
    const post = async <T,>(path: string, json: unknown) => {
      const response = await server.call<T>('POST', path, { token, json });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const pla = await post<{ id: number }>('/api/filaments', {
      brand: 'Prusament',
      name: 'Galaxy Black',
      material: 'PLA',
      color_hex: '#222222',
      net_weight_g: 1000,
      spool_weight_g: 200,
    });
    const petg = await post<{ id: number }>('/api/filaments', { brand: 'Generic', name: 'Orange', material: 'PETG', color_hex: '#FF6A13' });
    const printer = await post<{ id: number }>('/api/printers', { name: 'Voron', slot_count: 4 });
    codes.shelf = (await post<SpoolRow>('/api/spools', { filament_id: pla.id, storage_location: 'Shelf A' })).qr_code;
    const loaded = await post<SpoolRow>('/api/spools', { filament_id: pla.id });
    codes.loaded = loaded.qr_code;
    codes.petg = (await post<SpoolRow>('/api/spools', { filament_id: petg.id })).qr_code;
    await post(`/api/spools/${loaded.id}/load`, { printer_id: printer.id, slot_number: 2 });
  });
  afterAll(() => server.close());
  afterEach(() => {
    cleanup();
    writeToken(null);
    localStorage.clear();
  });

  const spools = async () => (await server.call<SpoolRow[]>('GET', '/api/spools?status=all', { token })).body;
  const shownCodes = () =>
    [...screen.getByTestId('spools-table').querySelectorAll<HTMLElement>('tbody tr[data-spool]')].map((row) => row.dataset['spool']);
  const tableRow = (code: string) => screen.getByTestId('spools-table').querySelector<HTMLElement>(`tr[data-spool="${code}"]`)!;

  it('filters by where the spool is (from the URL), by material and by a search', async () => {
    writeToken(token);
    renderApp(<SpoolsPage />, { route: `${ACTIVE}&location=printer` });
    await waitFor(() => expect(shownCodes()).toEqual([codes.loaded]));
    // The slot is named as on the printer, the printer links to its page.
    expect(within(tableRow(codes.loaded)).getByRole('link', { name: 'Voron' }).getAttribute('href')).toMatch(/^\/printers\/\d+$/);
    expect(tableRow(codes.loaded).textContent).toContain('Slot 2');

    fireEvent.change(screen.getByLabelText('Where'), { target: { value: 'any' } });
    await waitFor(() => expect(shownCodes()).toHaveLength(3));
    // The materials come from the library.
    await within(screen.getByLabelText('Material')).findByRole('option', { name: 'PETG' });
    fireEvent.change(screen.getByLabelText('Material'), { target: { value: 'PETG' } });
    await waitFor(() => expect(shownCodes()).toEqual([codes.petg]));
    fireEvent.change(screen.getByLabelText('Material'), { target: { value: '' } });
    await waitFor(() => expect(shownCodes()).toHaveLength(3));
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'shelf' } });
    await waitFor(() => expect(shownCodes()).toEqual([codes.shelf]));

    // The summary counts the whole stock, whatever the filters.
    expect(screen.getByTestId('spool-summary').textContent).toContain('3');
  });

  it('weighs a spool from its menu, showing the result before it is saved', async () => {
    writeToken(token);
    renderApp(<SpoolsPage />, { route: ACTIVE });
    await waitFor(() => expect(shownCodes()).toHaveLength(3));
    fireEvent.click(within(tableRow(codes.shelf)).getByRole('button', { name: `More for ${codes.shelf}` }));
    fireEvent.click(within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Weigh' }));
    const dialog = await screen.findByRole('dialog', { name: `Weigh ${codes.shelf}` });
    expect(within(dialog).getByTestId('empty-spool-weight').textContent).toBe('200 g');
    fireEvent.change(within(dialog).getByLabelText('Scale reading (g)'), { target: { value: '700' } });
    expect(within(dialog).getByTestId('weigh-result').textContent).toContain('500 g · 50 %');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save weight' }));
    await screen.findByText(`${codes.shelf}: 500 g left.`);
    expect((await spools()).find((spool) => spool.qr_code === codes.shelf)?.remaining_weight_g).toBe(500);
  });

  it('opens a spool by its scanned code, with its history', async () => {
    writeToken(token);
    renderApp(<SpoolsPage />, { route: ACTIVE });
    await waitFor(() => expect(shownCodes()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    const scan = await screen.findByRole('dialog', { name: 'Scan a spool' });
    const field = within(scan).getByLabelText('Spool code');
    fireEvent.change(field, { target: { value: 'SPL-NOPE2345' } });
    fireEvent.submit(field.closest('form')!);
    expect(await within(scan).findByText(/No spool has this code/)).toBeTruthy();
    fireEvent.change(field, { target: { value: codes.shelf.toLowerCase() } });
    fireEvent.submit(field.closest('form')!);
    const drawer = await screen.findByRole('dialog', { name: 'Prusament PLA Galaxy Black' });
    expect(await within(drawer).findByText('Weighed')).toBeTruthy();
    expect(within(drawer).getByText('Shelf A')).toBeTruthy();
  });

  it('adds several identical spools at once and selects them for their labels', async () => {
    writeToken(token);
    renderApp(<SpoolsPage />, { route: ACTIVE });
    await waitFor(() => expect(shownCodes()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'Add spools' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add spools' });
    const filament = within(dialog).getByLabelText('Filament');
    await waitFor(() => expect(within(filament).getAllByRole('option')).toHaveLength(3));
    fireEvent.change(filament, {
      target: {
        value: within(filament)
          .getByRole('option', { name: /Galaxy Black/ })
          .getAttribute('value'),
      },
    });
    // The weights start from the filament's.
    expect(within(dialog).getByLabelText<HTMLInputElement>('Empty spool (g)').value).toBe('200');
    fireEvent.change(within(dialog).getByLabelText('How many spools'), { target: { value: '2' } });
    fireEvent.change(within(dialog).getByLabelText('Storage place'), { target: { value: 'Dry box 1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add 2 spools' }));
    await screen.findByText(/2 spools added/);
    expect(screen.getByRole('region', { name: '2 spools selected' })).toBeTruthy();
    await waitFor(() => expect(shownCodes()).toHaveLength(5));
    fireEvent.click(screen.getByRole('button', { name: 'Print labels' }));
    const labels = await screen.findByRole('dialog', { name: 'Labels for 2 spools' });
    expect(within(labels).getByRole('link', { name: 'Open PDF' }).getAttribute('href')).toMatch(
      /^\/api\/spools\/labels\/batch\?ids=\d+%2C\d+&size=50x30&layout=roll$/,
    );
  });

  it('shows a viewer the spools without any way to change them', async () => {
    writeToken(viewer);
    renderApp(<SpoolsPage />, { route: ACTIVE });
    await waitFor(() => expect(shownCodes().length).toBeGreaterThanOrEqual(3));
    expect(screen.queryByRole('button', { name: 'Add spools' })).toBeNull();
    fireEvent.click(within(tableRow(codes.petg)).getByRole('button', { name: `More for ${codes.petg}` }));
    expect(
      within(screen.getByRole('menu'))
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Print label', 'Details']);
    expect(screen.queryByRole('button', { name: /as CSV/ })).toBeNull();
  });
});
