import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Printer } from '@/api/types';
import { SessionProvider } from '@/auth/session';
import { ToastProvider } from '@/components/ui/toast';
import { I18nProvider } from '@/i18n';
import { printerRecord } from '@/pages/dashboard/test-fleet';
import { polyfillDialog } from '@/pages/settings/test-support';

import { PrinterDialog } from './printer-dialog';

/** The app's providers, kept around every rerender (nothing here reaches a server). */
function renderWithProviders(ui: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <I18nProvider initial="en">
        <SessionProvider>
          <ToastProvider>{children}</ToastProvider>
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
  return render(ui, { wrapper });
}

const voron = printerRecord(1, { name: 'Voron 2.4' });
const prusa = printerRecord(2, { name: 'Prusa MK4', api_type: 'prusalink' });

function dialog(open: boolean, printer: Printer) {
  return <PrinterDialog open={open} onClose={() => {}} printer={printer} />;
}

const nameInput = () => screen.getByRole<HTMLInputElement>('textbox', { name: /^Name/ });

describe('printer dialog', () => {
  beforeAll(polyfillDialog);
  afterEach(cleanup);

  it('starts every opening from the printer as saved, dropping what was typed before it was closed', async () => {
    const user = userEvent.setup();
    const { rerender } = renderWithProviders(dialog(true, voron));
    await user.clear(nameInput());
    await user.type(nameInput(), 'Half-typed');
    rerender(dialog(false, voron));
    rerender(dialog(true, voron));
    expect(nameInput().value).toBe('Voron 2.4');
  });

  it('keeps what is typed when the same printer is fetched again while the dialog is open', async () => {
    const user = userEvent.setup();
    const { rerender } = renderWithProviders(dialog(true, voron));
    await user.clear(nameInput());
    await user.type(nameInput(), 'Renamed');
    rerender(dialog(true, { ...voron, last_seen: '2026-01-01T10:05:00.000Z' }));
    expect(nameInput().value).toBe('Renamed');
  });

  it('shows the other printer when it is given another one while open', async () => {
    const user = userEvent.setup();
    const { rerender } = renderWithProviders(dialog(true, voron));
    await user.type(nameInput(), ' X');
    rerender(dialog(true, prusa));
    expect(nameInput().value).toBe('Prusa MK4');
  });
});
