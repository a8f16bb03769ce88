import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { writeToken } from '@/auth/token-store';

import { polyfillDialog, type RealServer, renderApp, startRealServer } from '../../settings/test-support';
import { type Slot, SlotSpools } from './slot-spools';

interface SpoolRow {
  id: number;
  qr_code: string;
  location_printer_id: number | null;
  location_slot: number | null;
}

describe('spools in a printer’s slots (real server)', () => {
  let server: RealServer;
  let token: string;
  let printerId: number;
  const spools: SpoolRow[] = [];

  beforeAll(async () => {
    polyfillDialog();
    server = await startRealServer();
    token = await server.setupAdmin();
    const post = async <T,>(path: string, json?: unknown) => {
      const response = await server.call<T>('POST', path, { token, json });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const orange = await post<{ id: number }>('/api/filaments', {
      brand: 'Bambu',
      name: 'Basic Orange',
      material: 'PLA',
      color_hex: '#FF6A13',
    });
    const red = await post<{ id: number }>('/api/filaments', { brand: 'Bambu', name: 'Basic Red', material: 'PLA', color_hex: '#C12E1F' });
    printerId = (await post<{ id: number }>('/api/printers', { name: 'Prusa XL', slot_count: 3 })).id;
    spools.push(await post<SpoolRow>('/api/spools', { filament_id: orange.id }));
    spools.push(await post<SpoolRow>('/api/spools', { filament_id: red.id }));
    // The printer reports orange PLA in slot 1 and ODIN suggested the orange spool: not confirmed yet.
    const patched = await server.call('PATCH', `/api/printers/${printerId}/slots/1`, {
      token,
      json: { filament_type: 'PLA', color_hex: '#FF6A10', assigned_spool_id: spools[0]!.id, spool_confirmed: false },
    });
    expect(patched.status).toBe(200);
  });
  afterAll(() => server.close());
  afterEach(() => {
    cleanup();
    writeToken(null);
  });

  const slots = async () => (await server.call<Slot[]>('GET', `/api/printers/${printerId}/slots`, { token })).body;

  it('asks to confirm the suggested spool, and confirming settles the slot', async () => {
    writeToken(token);
    renderApp(<SlotSpools printerId={printerId} apiType={null} slots={await slots()} canEdit />);
    const attention = await screen.findByRole('region', { name: 'Slots that need a look' });
    const item = within(attention).getByText('ODIN suggests a spool. Is it this one?').closest('li')!;
    expect(within(item).getByText('Slot 1')).toBeTruthy();
    expect(within(item).getByText(spools[0]!.qr_code)).toBeTruthy();
    fireEvent.click(within(item).getByRole('button', { name: 'Confirm' }));
    await screen.findByText('Slot 1 confirmed.');
    const slot = (await slots()).find((entry) => entry.slot_number === 1);
    expect(slot).toMatchObject({ assigned_spool_id: spools[0]!.id, spool_confirmed: true, attention: null });
  });

  it('shows each slot’s spool with what is left, and assigns another spool to a slot', async () => {
    writeToken(token);
    renderApp(<SlotSpools printerId={printerId} apiType={null} slots={await slots()} canEdit />);
    const first = document.querySelector<HTMLElement>('[data-slot="1"]')!;
    await waitFor(() => expect(within(first).getByText('Bambu PLA Basic Orange')).toBeTruthy());
    expect(first.textContent).toContain('1,000 g · 100 %');
    fireEvent.click(screen.getByRole('button', { name: 'Assign a spool to Slot 3' }));
    const dialog = await screen.findByRole('dialog', { name: 'Spool for Slot 3' });
    fireEvent.change(within(dialog).getByLabelText('Spool'), { target: { value: String(spools[1]!.id) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Assign' }));
    await screen.findByText(`${spools[1]!.qr_code} assigned to Slot 3.`);
    const spool = (await server.call<SpoolRow>('GET', `/api/spools/${spools[1]!.id}`, { token })).body;
    expect(spool).toMatchObject({ location_printer_id: printerId, location_slot: 3 });
  });

  it('assigns the spool whose label is scanned into a slot', async () => {
    writeToken(token);
    renderApp(<SlotSpools printerId={printerId} apiType={null} slots={await slots()} canEdit />);
    fireEvent.click(screen.getByRole('button', { name: 'Scan the spool for Slot 2' }));
    const dialog = await screen.findByRole('dialog', { name: 'Scan the spool for Slot 2' });
    const field = within(dialog).getByLabelText('Spool code');
    fireEvent.change(field, { target: { value: spools[1]!.qr_code } });
    fireEvent.submit(field.closest('form')!);
    await screen.findByText(`${spools[1]!.qr_code} assigned to Slot 2.`);
    const spool = (await server.call<SpoolRow>('GET', `/api/spools/${spools[1]!.id}`, { token })).body;
    expect(spool).toMatchObject({ location_printer_id: printerId, location_slot: 2 });
  });

  it('offers a viewer no way to change the slots', async () => {
    writeToken(token);
    renderApp(<SlotSpools printerId={printerId} apiType={null} slots={await slots()} canEdit={false} />);
    await waitFor(() => expect(document.querySelector('[data-slot="1"]')?.textContent).toContain('Basic Orange'));
    expect(screen.queryByRole('button', { name: /Assign|Scan|Confirm/ })).toBeNull();
  });
});
