import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { readToken, writeToken } from '@/auth/token-store';

import { ADMIN, type RealServer, renderApp, startRealServer } from '../settings/test-support';
import SetupPage from './setup-page';

interface Status {
  needs_setup: boolean;
  has_users: boolean;
  is_complete: boolean;
}

function renderSetup() {
  return renderApp(
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/" element={<p>dashboard</p>} />
      <Route path="/login" element={<p>login page</p>} />
    </Routes>,
    { route: '/setup' },
  );
}

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

afterEach(() => {
  cleanup();
  writeToken(null);
});

describe('setup wizard (real server)', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer();
  });
  afterAll(() => server.close());
  const status = async () => (await server.call<Status>('GET', '/api/setup/status')).body;

  it('creates the admin, keeps the session, skips the printer and finishes on the dashboard', async () => {
    renderSetup();
    await screen.findByText('Create your admin account');
    // The policy is on screen before anything is typed.
    expect(screen.getByText('at least 8 characters')).toBeTruthy();
    type('Username', 'ada');
    type('Password', 'Adm1nPassword');
    type('Repeat password', 'Adm1nPasswort');
    expect(screen.getByText('The two passwords are not the same.')).toBeTruthy();
    type('Repeat password', 'Adm1nPassword');
    fireEvent.click(screen.getByRole('button', { name: 'Create admin account' }));

    await screen.findByText('Add your first printer');
    expect(readToken()).toBeTruthy();
    expect(await status()).toEqual({ needs_setup: true, has_users: true, is_complete: false });

    // A printer that is not there: the test says so in words.
    type('Address', '127.0.0.1:1');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('Could not connect', {}, { timeout: 15_000 })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Skip for now' }));
    await screen.findByText('ODIN is ready');
    expect(screen.getByText(/No printer yet/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Finish and open the dashboard' }));
    await screen.findByText('dashboard');
    expect(await status()).toEqual({ needs_setup: false, has_users: true, is_complete: true });
  });

  it('is closed once setup is complete', async () => {
    renderSetup();
    expect(await screen.findByText('login page')).toBeTruthy();
  });
});

describe('setup wizard after a reload', () => {
  let server: RealServer;
  let token: string;
  beforeAll(async () => {
    server = await startRealServer();
    token = await server.setupAdmin(false);
  });
  afterAll(() => server.close());

  it('continues at the printer step with the session it has', async () => {
    writeToken(token);
    renderSetup();
    expect(await screen.findByText('Add your first printer')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(await screen.findByText(`The admin account “${ADMIN.username}” is set up, and you are logged in as it.`)).toBeTruthy();
  });

  it('asks for what the chosen protocol needs before testing, then adds the printer', async () => {
    writeToken(token);
    renderSetup();
    await screen.findByText('Add your first printer');
    fireEvent.click(screen.getByText('Bambu Lab'));
    type('Address', '127.0.0.1:1');
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    // Serial number and access code are missing; a name is not needed for a test.
    expect(await screen.findAllByText('Please fill this in.')).toHaveLength(2);

    fireEvent.click(screen.getByText('Elegoo (SDCP)'));
    expect(screen.getByText('Elegoo printers need only their address.')).toBeTruthy();
    expect(screen.queryAllByText('Please fill this in.')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Add printer' }));
    expect(await screen.findByText('Please fill this in.')).toBeTruthy();
    type('Name', 'CC1');
    fireEvent.click(screen.getByRole('button', { name: 'Add printer' }));
    expect(await screen.findByText('Printer: CC1')).toBeTruthy();
    const printers = await server.call<{ name: string; api_type: string; api_host: string }[]>('GET', '/api/printers', { token });
    expect(printers.body).toEqual([expect.objectContaining({ name: 'CC1', api_type: 'elegoo', api_host: '127.0.0.1:1' })]);
  });

  it('asks a browser without the session to log in as that admin, then goes on', async () => {
    renderSetup();
    await screen.findByText('Continue the setup');
    type('Username', ADMIN.username);
    type('Password', ADMIN.password);
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('Add your first printer')).toBeTruthy();
    await waitFor(() => expect(readToken()).toBeTruthy());
  });
});
