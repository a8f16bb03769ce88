import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { PermissionMatrix } from '@/auth/permissions';
import { writeToken } from '@/auth/token-store';

import { PermissionsSection } from './permissions-section';
import { polyfillDialog, type RealServer, renderApp, startRealServer } from './test-support';

describe('permissions editor (real server)', () => {
  let server: RealServer;
  let token: string;
  beforeAll(async () => {
    polyfillDialog();
    server = await startRealServer();
    token = await server.setupAdmin();
  });
  afterAll(() => server.close());
  beforeEach(() => writeToken(token));
  afterEach(async () => {
    cleanup();
    writeToken(null);
    await server.call('POST', '/api/permissions/reset', { token });
  });

  const box = (name: string) => screen.getByLabelText<HTMLInputElement>(name);
  const serverMatrix = async () => (await server.call<PermissionMatrix>('GET', '/api/permissions')).body;

  it('never lets admin lose the settings or admin page, and says why', async () => {
    renderApp(<PermissionsSection />);
    await screen.findByText('Pages');
    for (const name of ['Admin: Settings', 'Admin: Admin']) {
      expect(box(name).checked).toBe(true);
      expect(box(name).disabled).toBe(true);
      const reason = document.getElementById(box(name).getAttribute('aria-describedby') ?? '');
      expect(reason?.textContent).toMatch(/Admins always keep Settings and Admin/);
      fireEvent.click(box(name));
      expect(box(name).checked).toBe(true);
    }
    // Viewers can never be given an action: every action route needs an operator.
    expect(box('Viewer: Add printers').disabled).toBe(true);
    expect(screen.queryByText(/unsaved change/)).toBeNull();
  });

  it('saves the ticked boxes after confirming, and the app’s matrix follows at once', async () => {
    const { queryClient } = renderApp(<PermissionsSection />);
    await screen.findByText('Pages');
    fireEvent.click(box('Viewer: Upload'));
    fireEvent.click(box('Operator: Remove printers'));
    expect(screen.getByText('2 unsaved changes')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Save permissions' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Viewer gets “Upload”')).toBeTruthy();
    expect(within(dialog).getByText('Operator loses “Remove printers”')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save permissions' }));

    await screen.findByText(/Permissions saved/);
    const saved = await serverMatrix();
    expect(saved.page_access['upload']).toEqual(['viewer', 'operator', 'admin']);
    expect(saved.action_access['printers.delete']).toEqual(['admin']);
    expect(saved.page_access['settings']).toEqual(['admin']);
    await waitFor(() => expect(queryClient.getQueryData<PermissionMatrix>(['permissions'])?.page_access['upload']).toContain('viewer'), {
      timeout: 5_000,
    });
    expect(screen.queryByText(/unsaved change/)).toBeNull();
  });

  it('puts the defaults back after asking', async () => {
    await server.call('PUT', '/api/permissions', { token, json: { page_access: { dashboard: ['admin'] } } });
    renderApp(<PermissionsSection />);
    await screen.findByText('Pages');
    expect(box('Viewer: Dashboard').checked).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Restore defaults' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore defaults' }));
    await screen.findByText('Default permissions restored.');
    expect((await serverMatrix()).page_access['dashboard']).toEqual(['viewer', 'operator', 'admin']);
    await waitFor(() => expect(box('Viewer: Dashboard').checked).toBe(true), { timeout: 5_000 });
  });
});
