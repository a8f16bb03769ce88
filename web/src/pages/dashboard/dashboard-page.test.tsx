import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '@/api/client';
import type { Printer, Role } from '@/api/types';
import type { PermissionMatrix } from '@/auth/permissions';
import { SessionProvider } from '@/auth/session';
import type { Spool } from '@/components/inventory/inventory-queries';
import { ToastProvider } from '@/components/ui/toast';
import { I18nProvider } from '@/i18n';
import { LiveStoreProvider } from '@/live/live-context';
import { type LivePrinter, LiveStore } from '@/live/live-store';

import DashboardPage from './dashboard-page';
import { liveRow, printerRecord, printing } from './test-fleet';

// The card buttons and the emergency stop send their commands through this module; the test
// decides what the "server" answers.
const sendPrinterCommand = vi.hoisted(() =>
  vi.fn<(printerId: number, command: string) => Promise<{ success: boolean; message: string }>>(),
);
vi.mock('@/components/printer/printer-commands', () => ({ sendPrinterCommand }));

// A token the session can read its user from (`sub`); the session keys the logged-in user by it.
const TOKEN = `e30.${btoa(JSON.stringify({ sub: 'tester' })).replace(/=+$/, '')}.sig`;

/** The server's default matrix for the actions the dashboard asks about. */
const DEFAULT_MATRIX: PermissionMatrix = {
  page_access: { dashboard: ['viewer', 'operator', 'admin'], tv: ['viewer', 'operator', 'admin'] },
  action_access: { 'printers.control': ['operator', 'admin'], 'printers.add': ['operator', 'admin'] },
};

const PRINTERS: Printer[] = [
  printerRecord(1, { name: 'Voron 2.4', model: 'Voron 2.4 350', display_order: 0 }),
  printerRecord(2, { name: 'Prusa MK4', api_type: 'prusalink', display_order: 1 }),
  printerRecord(3, { name: 'X1 Carbon', api_type: 'bambu', display_order: 2 }),
  printerRecord(4, { name: 'A1', api_type: 'bambu', display_order: 3 }),
];

const FLEET: LivePrinter[] = [
  printing(1, 42, 2 * 3600),
  liveRow(2),
  liveRow(3, { status: 'paused', progress: 60, remaining_seconds: 900, file_name: 'sign.3mf' }),
  liveRow(4, { hms_errors: [{ code: '0700_2000_0002_0001', severity: 'serious', message: 'AMS A slot 1 has run out of filament' }] }),
];

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

interface Setup {
  role: Role;
  rows?: LivePrinter[] | null;
  printers?: Printer[];
  matrix?: PermissionMatrix;
  url?: string;
  /** The active spools (GET /api/spools?status=active); none when not given. */
  spools?: Spool[];
}

function renderDashboard({ role, rows = FLEET, printers = PRINTERS, matrix = DEFAULT_MATRIX, url = '/', spools = [] }: Setup) {
  localStorage.setItem('odin.token', TOKEN);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  // What the session and the permission hook read: the logged-in user and the matrix.
  queryClient.setQueryData(['auth', 'me', 'tester'], { id: 7, username: `${role}1`, email: null, role });
  queryClient.setQueryData(['permissions'], matrix);
  queryClient.setQueryData(['printers'], printers);
  queryClient.setQueryData(['spools', 'list', { status: 'active' }], spools);
  // A store fed by hand: nothing connects, notifications are delivered at once.
  const store = new LiveStore({ getToken: () => null, schedule: (flush) => flush() });
  if (rows) store.applyRows(rows, true);
  const view = render(
    <QueryClientProvider client={queryClient}>
      <I18nProvider initial="en">
        <SessionProvider>
          <ToastProvider>
            <LiveStoreProvider store={store}>
              <MemoryRouter initialEntries={[url]}>
                <Routes>
                  <Route path="/" element={<DashboardPage />} />
                  <Route path="/printers" element={<p>Printers page</p>} />
                </Routes>
                <LocationProbe />
              </MemoryRouter>
            </LiveStoreProvider>
          </ToastProvider>
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
  return { ...view, store, queryClient };
}

function cards(): HTMLElement[] {
  return screen.queryAllByRole('article');
}

function cardOf(name: string): HTMLElement {
  const card = cards().find((article) => within(article).queryByRole('link', { name }));
  if (!card) throw new Error(`no card for ${name}`);
  return card;
}

beforeAll(() => {
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

beforeEach(() => {
  sendPrinterCommand.mockReset();
  sendPrinterCommand.mockResolvedValue({ success: true, message: 'ok' });
});

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('dashboard controls and permissions', () => {
  it('shows a viewer every printer but no pause, resume, stop or emergency stop', () => {
    renderDashboard({ role: 'viewer' });
    expect(cards()).toHaveLength(4);
    expect(within(cardOf('Voron 2.4')).getByText('42 %')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^(Pause|Resume|Stop) / })).toBeNull();
    expect(screen.queryByTestId('emergency-stop-all')).toBeNull();
  });

  it('gives an operator pause or resume and stop on printers with a print under way', () => {
    renderDashboard({ role: 'operator' });
    expect(within(cardOf('Voron 2.4')).getByRole('button', { name: 'Pause Voron 2.4' })).toBeTruthy();
    expect(within(cardOf('Voron 2.4')).getByRole('button', { name: 'Stop Voron 2.4' })).toBeTruthy();
    expect(within(cardOf('X1 Carbon')).getByRole('button', { name: 'Resume X1 Carbon' })).toBeTruthy();
    // Nothing to pause on an idle printer.
    expect(within(cardOf('Prusa MK4')).queryByRole('button')).toBeNull();
    expect(screen.getByTestId('emergency-stop-all')).toHaveProperty('disabled', false);
  });

  it('follows the permission matrix, not just the role: control given to admins only hides it from operators', () => {
    renderDashboard({
      role: 'operator',
      matrix: { ...DEFAULT_MATRIX, action_access: { ...DEFAULT_MATRIX.action_access, 'printers.control': ['admin'] } },
    });
    expect(screen.queryByRole('button', { name: /^(Pause|Resume|Stop) / })).toBeNull();
    expect(screen.queryByTestId('emergency-stop-all')).toBeNull();
  });

  it('asks before stopping a print and says what the server answered when it fails', async () => {
    const user = userEvent.setup();
    sendPrinterCommand.mockRejectedValueOnce(new ApiError(409, 'Printer is not printing'));
    renderDashboard({ role: 'operator' });
    await user.click(within(cardOf('Voron 2.4')).getByRole('button', { name: 'Stop Voron 2.4' }));
    const dialog = screen.getByRole('dialog', { name: 'Stop the print on Voron 2.4?' });
    expect(sendPrinterCommand).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Stop print' }));
    expect(sendPrinterCommand).toHaveBeenCalledWith(1, 'stop');
    expect((await screen.findByRole('alert')).textContent).toContain('Could not stop Voron 2.4: Printer is not printing');
  });

  it('emergency stop names the printers it will stop, stops them all at once and reports each failure', async () => {
    const user = userEvent.setup();
    sendPrinterCommand.mockImplementation((id) =>
      id === 3
        ? Promise.reject(new ApiError(504, 'The printer did not answer the command in time', 'printer_timeout'))
        : Promise.resolve({ success: true, message: 'ok' }),
    );
    renderDashboard({ role: 'admin' });
    await user.click(screen.getByTestId('emergency-stop-all'));
    const dialog = screen.getByRole('dialog', { name: 'Stop every running print?' });
    expect(within(dialog).getByText('This cancels the prints on 2 printers right now:')).toBeTruthy();
    expect(
      within(dialog)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Voron 2.4', 'X1 Carbon']);
    await user.click(within(dialog).getByRole('button', { name: 'Stop 2 printers' }));
    expect(sendPrinterCommand.mock.calls).toEqual([
      [1, 'stop'],
      [3, 'stop'],
    ]);
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Stopped 1 of 2 printers. Failed: X1 Carbon (The printer did not answer in time. Check it and try again.)',
    );
  });
});

describe('dashboard counters, filters and states', () => {
  it('counts the fleet by group and filters to a group when its counter is clicked', async () => {
    const user = userEvent.setup();
    renderDashboard({ role: 'viewer' });
    const printingCounter = screen.getByRole('button', { name: /^Printing\W+1$/ });
    expect(screen.getByRole('button', { name: /^Error\W+1$/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Paused\W+1$/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Idle\W+1$/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Offline\W+0$/ })).toBeTruthy();

    await user.click(printingCounter);
    expect(cards().map((card) => card.dataset['printerId'])).toEqual(['1']);
    expect(printingCounter.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('location').textContent).toBe('/?status=printing');

    await user.click(printingCounter);
    expect(cards()).toHaveLength(4);
    expect(screen.getByTestId('location').textContent).toBe('/');
  });

  it('restores filters and sort from the URL (a reload keeps the view)', () => {
    renderDashboard({ role: 'viewer', url: '/?protocol=bambu&sort=name' });
    expect(cards().map((card) => card.dataset['printerId'])).toEqual(['4', '3']);
    expect(screen.getByLabelText<HTMLSelectElement>('Protocol').value).toBe('bambu');
    expect(screen.getByLabelText<HTMLSelectElement>('Sort by').value).toBe('name');
  });

  it('searches by name from a search field the "/" shortcut can find', async () => {
    const user = userEvent.setup();
    renderDashboard({ role: 'viewer' });
    const search = screen.getByRole('searchbox', { name: 'Search printers' });
    await user.type(search, 'prusa');
    expect(cards().map((card) => card.dataset['printerId'])).toEqual(['2']);
    await user.clear(search);
    await user.type(search, 'nothing like this');
    expect(screen.getByText('No printer matches these filters')).toBeTruthy();
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0] as HTMLElement);
    expect(cards()).toHaveLength(4);
  });

  it('updates a card when its printer changes, leaving the list as it was', () => {
    const { store } = renderDashboard({ role: 'viewer' });
    act(() => store.applyRows([printing(1, 43, 7000)]));
    expect(within(cardOf('Voron 2.4')).getByText('43 %')).toBeTruthy();
    expect(cards()).toHaveLength(4);
  });

  it('shows words for health messages and a clear offline state', () => {
    renderDashboard({
      role: 'viewer',
      rows: [...FLEET.slice(0, 3), liveRow(4, { ...FLEET[3], status: 'offline', online: false, stage: 'Connection refused by 10.0.0.9' })],
    });
    expect(within(cardOf('A1')).getByText('Not reachable')).toBeTruthy();
    expect(within(cardOf('A1')).getByText('Connection refused by 10.0.0.9')).toBeTruthy();
    renderDashboard({ role: 'viewer' });
    expect(screen.getByText('AMS A slot 1 has run out of filament')).toBeTruthy();
  });

  it('fetches the printer list again, once, when a printer appears that it does not know', async () => {
    const { store, queryClient } = renderDashboard({ role: 'viewer' });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries').mockResolvedValue();
    act(() => store.applyRows([liveRow(99, { name: 'Just added' })]));
    // Hidden until its record arrives (it could as well be a printer deleted a moment ago).
    expect(cards()).toHaveLength(4);
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['printers'], exact: true });
    // More news about the same unknown printer does not ask again.
    act(() => store.applyRows([liveRow(99, { name: 'Just added', nozzle_temp: 30 })]));
    expect(invalidate).toHaveBeenCalledTimes(1);
    act(() => {
      queryClient.setQueryData(['printers'], [...PRINTERS, printerRecord(99, { name: 'Just added', display_order: 9 })]);
    });
    await waitFor(() => expect(cards()).toHaveLength(5));
  });

  it('waits for the first snapshot before drawing cards', () => {
    renderDashboard({ role: 'viewer', rows: null });
    expect(screen.getByRole('status', { name: 'Connecting to the farm…' })).toBeTruthy();
    expect(cards()).toHaveLength(0);
  });

  it('tells an operator to add a printer when there is none, and a viewer whom to ask', () => {
    renderDashboard({ role: 'operator', rows: [], printers: [] });
    expect(screen.getByText('No printers yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Add a printer' }).getAttribute('href')).toBe('/printers');
    cleanup();
    renderDashboard({ role: 'viewer', rows: [], printers: [] });
    expect(screen.queryByRole('link', { name: 'Add a printer' })).toBeNull();
    expect(screen.getByText(/Ask an operator or admin/)).toBeTruthy();
  });
});

describe('dashboard filament chips', () => {
  type Slot = Printer['filament_slots'][number];
  const slot = (slot_number: number, filament_type: string, color_hex: string) =>
    ({
      id: slot_number,
      printer_id: 2,
      slot_number,
      filament_type,
      color: null,
      color_hex,
      assigned_spool_id: null,
      spool_confirmed: true,
    }) as Slot;
  const spool = (qr_code: string, location_slot: number, remaining_weight_g: number, remaining_percent: number) =>
    ({
      id: location_slot,
      qr_code,
      location_printer_id: 2,
      location_slot,
      remaining_weight_g,
      remaining_percent,
      status: 'active',
    }) as Spool;

  it('shows what is left on the spool in each slot, from one spools query for the whole fleet', () => {
    const printers = PRINTERS.map((printer) =>
      printer.id === 2 ? { ...printer, filament_slots: [slot(1, 'PETG', '#112233'), slot(2, 'PLA', '#FF6A13')] } : printer,
    );
    const { queryClient } = renderDashboard({
      role: 'viewer',
      printers,
      spools: [spool('SPL-AAAA2222', 1, 312.4, 31.2), spool('SPL-BBBB3333', 2, 90, 9)],
    });
    const chips = within(cardOf('Prusa MK4')).getAllByRole('listitem');
    expect(chips.map((chip) => chip.textContent)).toEqual(['312 g', '90 g']);
    expect(chips[0]!.getAttribute('title')).toBe('Slot 1 · PETG · 312 g left on SPL-AAAA2222');
    expect(chips[1]!.querySelector('.bg-red-500')).toBeTruthy();
    expect(queryClient.getQueryCache().findAll({ queryKey: ['spools'] })).toHaveLength(1);
  });
});
