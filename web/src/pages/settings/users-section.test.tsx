import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { writeToken } from '@/auth/token-store';

import { polyfillDialog, type RealServer, renderApp, startRealServer } from './test-support';
import { UsersSection } from './users-section';

interface UserRow {
  id: number;
  username: string;
  role: string;
  is_active: boolean;
}

describe('users (real server)', () => {
  let server: RealServer;
  let token: string;
  beforeAll(async () => {
    polyfillDialog();
    server = await startRealServer();
    token = await server.setupAdmin();
    await server.createUser(token, 'bob', 'operator');
  });
  afterAll(() => server.close());
  beforeEach(() => writeToken(token));
  afterEach(() => {
    cleanup();
    writeToken(null);
  });

  const users = async () => (await server.call<UserRow[]>('GET', '/api/users', { token })).body;
  const row = (username: string) => document.querySelector<HTMLElement>(`[data-user="${username}"]`);

  it('adds a user once the password meets the policy', async () => {
    renderApp(<UsersSection />);
    await screen.findByText('bob');
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Username'), { target: { value: 'erika' } });
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'erika' } });
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'operator' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add user' }));
    // Refused in the browser: nothing was sent.
    expect((await users()).some((user) => user.username === 'erika')).toBe(false);
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'Erika2024pass' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add user' }));
    await screen.findByText('erika can log in now.');
    expect((await users()).find((user) => user.username === 'erika')?.role).toBe('operator');
    await waitFor(() => expect(row('erika')).toBeTruthy());
  });

  it('shows the server refusing a taken username in words, and keeps the dialog open', async () => {
    renderApp(<UsersSection />);
    await screen.findByText('bob');
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Username'), { target: { value: 'BOB' } });
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'Another1pass' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect(await within(dialog).findByText(/That username is taken already/)).toBeTruthy();
  });

  it('will not let the last admin demote themselves: asks first, then explains the refusal', async () => {
    renderApp(<UsersSection />);
    await screen.findByText('bob');
    fireEvent.change(screen.getByLabelText('Role of admin'), { target: { value: 'viewer' } });
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/lose access to these settings/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Change my role' }));
    expect(await screen.findByText(/This is the last active admin/)).toBeTruthy();
    expect((await users()).find((user) => user.username === 'admin')?.role).toBe('admin');
  });

  it('offers neither delete nor disable on your own account', async () => {
    renderApp(<UsersSection />);
    await screen.findByText('bob');
    const own = row('admin');
    expect(own).toBeTruthy();
    expect(within(own!).getByRole<HTMLButtonElement>('button', { name: 'Delete admin' }).disabled).toBe(true);
    expect(within(own!).getByRole<HTMLButtonElement>('button', { name: /Disable/ }).disabled).toBe(true);
  });

  it('disables and enables someone else, and deletes them after confirming', async () => {
    renderApp(<UsersSection />);
    await screen.findByText('bob');
    fireEvent.click(within(row('bob')!).getByRole('button', { name: /Disable/ }));
    await screen.findByText('bob is disabled and can no longer log in.');
    expect((await users()).find((user) => user.username === 'bob')?.is_active).toBe(false);
    await waitFor(() => expect(within(row('bob')!).getByText('Disabled')).toBeTruthy());
    fireEvent.click(within(row('bob')!).getByRole('button', { name: /Enable/ }));
    await screen.findByText('bob can log in again.');
    expect((await users()).find((user) => user.username === 'bob')?.is_active).toBe(true);

    fireEvent.click(within(row('bob')!).getByRole('button', { name: 'Delete bob' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete user' }));
    await screen.findByText('bob was deleted.');
    expect((await users()).some((user) => user.username === 'bob')).toBe(false);
  });
});
