import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { writeToken } from '@/auth/token-store';
import type { Language } from '@/i18n';

import { ADMIN, PASSWORD, type RealServer, renderApp, startRealServer } from '../settings/test-support';
import LoginPage from './login-page';

function renderLogin(route = '/login', language: Language = 'en') {
  return renderApp(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/setup" element={<p>setup wizard</p>} />
      <Route path="/" element={<p>dashboard</p>} />
      <Route path="/printers" element={<p>printers page</p>} />
    </Routes>,
    { route, language },
  );
}

async function attempt(username: string, password: string) {
  const user = await screen.findByLabelText(/Username|Benutzername/);
  fireEvent.change(user, { target: { value: username } });
  fireEvent.change(screen.getByLabelText(/^(Password|Passwort)$/), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: /^(Log in|Anmelden)$/ }));
}

async function errorText(): Promise<string> {
  const alert = await screen.findByRole('alert');
  return alert.textContent ?? '';
}

afterEach(() => {
  cleanup();
  writeToken(null);
});

describe('login on a farm that is not set up yet', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer();
  });
  afterAll(() => server.close());

  it('goes to the setup wizard', async () => {
    renderLogin();
    expect(await screen.findByText('setup wizard')).toBeTruthy();
  });
});

describe('login against the real server', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer();
    const token = await server.setupAdmin();
    await server.createUser(token, 'lena', 'operator');
    await server.createUser(token, 'paul', 'viewer');
    await server.createUser(token, 'mia', 'operator');
    await server.call('PUT', '/api/branding', { token, json: { app_name: 'Makerspace Nord', app_subtitle: 'Hall 2' } });
  });
  afterAll(() => server.close());

  it('shows the farm’s branding, offers password-manager fields, and honours ?next=', async () => {
    renderLogin('/login?next=%2Fprinters');
    await screen.findByLabelText('Username');
    expect(screen.getByText('Makerspace Nord')).toBeTruthy();
    expect(screen.getByText('Hall 2')).toBeTruthy();
    expect(screen.getByLabelText('Username').getAttribute('autocomplete')).toBe('username');
    expect(screen.getByLabelText('Password').getAttribute('autocomplete')).toBe('current-password');
    await attempt(ADMIN.username, ADMIN.password);
    expect(await screen.findByText('printers page')).toBeTruthy();
  });

  it('sends someone already logged in straight on', async () => {
    const login = await server.call<{ access_token: string }>('POST', '/api/auth/login', {
      form: { username: 'paul', password: PASSWORD },
    });
    writeToken(login.body.access_token);
    renderLogin('/login');
    expect(await screen.findByText('dashboard')).toBeTruthy();
  });

  it('401: says the username or password is wrong', async () => {
    renderLogin();
    await attempt('lena', 'not-her-password');
    expect(await errorText()).toMatch(/Wrong username or password/);
    // The password field is emptied for the next try.
    expect(screen.getByLabelText<HTMLInputElement>('Password').value).toBe('');
  });

  it('423: after five wrong passwords the account is locked for 15 minutes, in German too', async () => {
    renderLogin('/login', 'de');
    for (let i = 0; i < 5; i++) {
      await attempt('mia', 'not-her-password');
      await waitFor(() => expect(screen.getByRole('button', { name: 'Anmelden' }).getAttribute('aria-busy')).toBeNull());
    }
    // Locked now, even with the right password.
    await attempt('mia', PASSWORD);
    await waitFor(async () => expect(await errorText()).toMatch(/noch 15 Minuten gesperrt/));
  });
});

describe('login from a network that keeps failing', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer();
    await server.setupAdmin();
  });
  afterAll(() => server.close());

  it('429: after ten failures from one address even the right password waits, and the page says how long', async () => {
    renderLogin();
    // Different usernames each time, so no single account gets locked (that would be a 423).
    for (let i = 0; i < 10; i++) {
      await attempt(`nobody${i}`, 'wrong-password');
      await waitFor(() => expect(screen.getByRole('button', { name: 'Log in' }).getAttribute('aria-busy')).toBeNull());
    }
    await attempt(ADMIN.username, ADMIN.password);
    await waitFor(async () =>
      expect(await errorText()).toMatch(/Too many failed logins from your network\. Wait [1-5] minutes?, then try again/),
    );
  });
});
