import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { writeToken } from '@/auth/token-store';

import { polyfillDialog, type RealServer, renderApp, startRealServer } from '../settings/test-support';
import FilamentsPage from './filaments-page';

describe('filament library (real server)', () => {
  let server: RealServer;
  let token: string;
  let viewer: string;

  beforeAll(async () => {
    polyfillDialog();
    server = await startRealServer();
    token = await server.setupAdmin();
    viewer = (await server.createUser(token, 'looker', 'viewer')).token;
    const filament = await server.call<{ id: number }>('POST', '/api/filaments', {
      token,
      json: { brand: 'Prusament', name: 'Galaxy Black', material: 'PLA', color_hex: '#222222', net_weight_g: 1000 },
    });
    await server.call('POST', '/api/spools', { token, json: { filament_id: filament.body.id, remaining_weight_g: 300 } });
  });
  afterAll(() => server.close());
  afterEach(() => {
    cleanup();
    writeToken(null);
  });

  const row = (name: string) => screen.getByTestId('filaments-table').querySelector<HTMLElement>(`tr[data-filament="${name}"]`);

  it('adds a filament, with its price per kilogram kept per gram', async () => {
    writeToken(token);
    renderApp(<FilamentsPage />);
    // The button appears once the session says who is logged in.
    fireEvent.click(await screen.findByRole('button', { name: 'Add filament' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a filament' });
    fireEvent.change(within(dialog).getByLabelText('Brand'), { target: { value: 'Polymaker' } });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'PolyLite Orange' } });
    fireEvent.change(within(dialog).getByLabelText('Material'), { target: { value: 'petg' } });
    fireEvent.change(within(dialog).getByLabelText('Price per kg'), { target: { value: '24,90' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add filament' }));
    await screen.findByText('Polymaker PolyLite Orange added to the library.');
    const saved = (await server.call<Array<{ name: string; material: string; cost_per_gram: number }>>('GET', '/api/filaments', { token }))
      .body;
    expect(saved.find((filament) => filament.name === 'PolyLite Orange')).toMatchObject({ material: 'PETG', cost_per_gram: 0.0249 });
    await waitFor(() => expect(row('Polymaker PolyLite Orange')).toBeTruthy());
  });

  it('explains in words why a filament with spools cannot be deleted', async () => {
    writeToken(token);
    renderApp(<FilamentsPage />);
    await waitFor(() => expect(row('Prusament Galaxy Black')).toBeTruthy());
    fireEvent.click(within(row('Prusament Galaxy Black')!).getByRole('button', { name: 'Delete Prusament Galaxy Black' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Prusament Galaxy Black?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete filament' }));
    expect(await screen.findByText(/Not deleted: Spools still use this filament/)).toBeTruthy();
  });

  it('marks low stock once a threshold for the material is saved', async () => {
    writeToken(token);
    renderApp(<FilamentsPage />);
    const editor = await screen.findByRole('form', { name: 'Low-stock thresholds' });
    expect(row('Prusament Galaxy Black')?.querySelector('[data-low-stock]')).toBeNull();
    fireEvent.click(within(editor).getByRole('button', { name: 'Add material' }));
    fireEvent.change(within(editor).getByLabelText('Material 1'), { target: { value: 'pla' } });
    fireEvent.change(within(editor).getByLabelText('Warn below (g) pla'), { target: { value: '500' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save thresholds' }));
    await screen.findByText('Thresholds saved.');
    expect((await server.call('GET', '/api/filaments/low-stock-thresholds', { token })).body).toEqual({ PLA: 500 });
    await waitFor(() => expect(row('Prusament Galaxy Black')?.querySelector('[data-low-stock]')).toBeTruthy());
  });

  it('says Spoolman is not connected, and gives a viewer nothing to change', async () => {
    writeToken(viewer);
    renderApp(<FilamentsPage />);
    await waitFor(() => expect(row('Prusament Galaxy Black')).toBeTruthy());
    expect(await screen.findByText(/Spoolman is not connected/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Add filament|Delete|Edit|Sync/ })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Low-stock thresholds' })).toBeNull();
  });
});
