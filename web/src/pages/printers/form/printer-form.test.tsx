import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import { buildUpdateBody, initialValues, type PrinterFormValues, type PrinterSettings } from '@/components/printer/printer-fields';
import { I18nProvider } from '@/i18n';

import { PrinterForm, type TestOutcome } from './printer-form';

const bambuPrinter: PrinterSettings = {
  id: 3,
  name: 'P1S',
  model: 'Bambu Lab P1S',
  api_type: 'bambu',
  api_host: '10.0.0.20',
  api_key_set: true,
  username: null,
  password_set: false,
  serial: '01P00A3B0700002',
  access_code_set: true,
  tls_insecure: false,
  slot_count: 4,
  camera_url: null,
  camera_discovered: false,
  is_active: true,
};

/** The form with its state, as the dialog holds it; the latest values are handed out for checks. */
function Harness({
  printer,
  outcome = null,
  onValues,
}: {
  printer?: PrinterSettings;
  outcome?: TestOutcome | null;
  onValues?: (values: PrinterFormValues) => void;
}) {
  const [values, setValues] = useState(() => initialValues(printer));
  return (
    <I18nProvider initial="en">
      <PrinterForm
        values={values}
        onChange={(patch) =>
          setValues((current) => {
            const next = { ...current, ...patch };
            onValues?.(next);
            return next;
          })
        }
        errors={{}}
        printer={printer}
        onTest={() => {}}
        testing={false}
        testOutcome={outcome}
      />
    </I18nProvider>
  );
}

/** An input by its label (secrets are password inputs; the "API key" radio has the same label). */
const field = (name: string) => screen.queryByLabelText(name, { exact: true, selector: 'input:not([type="radio"])' });

afterEach(cleanup);

describe('the printer form', () => {
  it('shows the fields each protocol needs as the protocol changes', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    // Klipper (the default): address and an optional API key.
    expect(field('API key')).not.toBeNull();
    expect(field('Serial number')).toBeNull();
    expect(screen.getByText(/default port 7125/)).toBeTruthy();

    await user.click(screen.getByText('Bambu Lab'));
    expect(field('API key')).toBeNull();
    expect(field('Serial number')).not.toBeNull();
    expect(field('LAN access code')).not.toBeNull();
    expect(screen.getByRole('checkbox', { name: /Don’t verify the printer’s certificate/ })).toBeTruthy();
    expect(screen.getByText(/default port 8883/)).toBeTruthy();

    await user.click(screen.getByText('Prusa (PrusaLink)'));
    expect(field('User name')).not.toBeNull();
    expect(field('Password')).not.toBeNull();
    expect(field('API key')).toBeNull();
    await user.click(screen.getByRole('radio', { name: 'API key' }));
    expect(field('Password')).toBeNull();
    expect(field('API key')).not.toBeNull();

    await user.click(screen.getByText('Elegoo (SDCP)'));
    expect(screen.getByText('Elegoo printers need only their address.')).toBeTruthy();
    expect(screen.queryAllByDisplayValue('').filter((input) => (input as HTMLInputElement).type === 'password')).toHaveLength(0);
  });

  it('never shows a stored secret: it says "Stored" and keeps it when the field is left empty', async () => {
    const user = userEvent.setup();
    let latest = initialValues(bambuPrinter);
    render(<Harness printer={bambuPrinter} onValues={(values) => (latest = values)} />);
    const code = field('LAN access code') as HTMLInputElement;
    expect(code.value).toBe('');
    expect(code.type).toBe('password');
    expect(screen.getByText('Stored')).toBeTruthy();
    expect(screen.getByText('A value is stored. Leave the field empty to keep it.')).toBeTruthy();
    // Bambu needs its access code: it can be replaced, not removed.
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();

    // Changing something else sends only that: the access code stays on the server.
    await user.clear(field('Name') as HTMLInputElement);
    await user.type(field('Name') as HTMLInputElement, 'P1S left');
    expect(buildUpdateBody(latest, bambuPrinter)).toEqual({ name: 'P1S left' });
    // A typed code replaces the stored one.
    await user.type(code, 'new-code');
    expect(buildUpdateBody(latest, bambuPrinter)).toEqual({ name: 'P1S left', access_code: 'new-code' });
  });

  it('an optional Moonraker key can be removed on purpose, and kept again', async () => {
    const user = userEvent.setup();
    const voron: PrinterSettings = {
      ...bambuPrinter,
      name: 'Voron',
      api_type: 'moonraker',
      serial: null,
      access_code_set: false,
      api_key_set: true,
    };
    let latest = initialValues(voron);
    render(<Harness printer={voron} onValues={(values) => (latest = values)} />);
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.queryByText('Stored')).toBeNull();
    expect(screen.getByText('The stored value will be removed when you save.')).toBeTruthy();
    expect(buildUpdateBody(latest, voron)).toEqual({ api_key: '' });
    await user.click(screen.getByRole('button', { name: 'Keep' }));
    expect(screen.getByText('Stored')).toBeTruthy();
    expect(buildUpdateBody(latest, voron)).toEqual({});
  });

  it('says in words whether the connection test worked, with what the printer told', () => {
    const { rerender } = render(
      <Harness outcome={{ success: true, message: 'Moonraker v0.9 on voron.', info: { klippy_state: 'ready', hostname: 'voron' } }} />,
    );
    const result = screen.getByTestId('test-result');
    expect(result.getAttribute('data-success')).toBe('true');
    expect(within(result).getByText(/Connected\./)).toBeTruthy();
    expect(within(result).getByText('klippy state')).toBeTruthy();
    expect(within(result).getByText('ready')).toBeTruthy();
    rerender(<Harness outcome={{ success: false, message: 'Nothing answers at 10.0.0.9:7125.' }} />);
    expect(screen.getByTestId('test-result').textContent).toContain('Not connected.');
  });
});
