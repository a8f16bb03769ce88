import { cleanup, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { type RealServer, renderApp, startRealServer } from '@/pages/settings/test-support';

import { allowed, type PermissionAction, type PermissionMatrix, roleAtLeast, usePermissionMatrix, usePermissions } from './permissions';
import { writeToken } from './token-store';

const MATRIX: PermissionMatrix = {
  page_access: { dashboard: ['viewer', 'operator', 'admin'], upload: ['operator', 'admin'], settings: ['admin'] },
  action_access: { 'printers.control': ['admin'], 'jobs.create': ['operator', 'admin'] },
};

describe('roleAtLeast', () => {
  it('orders viewer < operator < admin', () => {
    expect(roleAtLeast('admin', 'viewer')).toBe(true);
    expect(roleAtLeast('operator', 'operator')).toBe(true);
    expect(roleAtLeast('operator', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
    expect(roleAtLeast(undefined, 'viewer')).toBe(false);
  });
});

describe('allowed', () => {
  it('follows the matrix for the pages and actions it names', () => {
    expect(allowed(MATRIX, 'page', 'dashboard', 'viewer')).toBe(true);
    expect(allowed(MATRIX, 'page', 'upload', 'viewer')).toBe(false);
    expect(allowed(MATRIX, 'page', 'upload', 'operator')).toBe(true);
    // The matrix narrows an operator's control of printers to admins only.
    expect(allowed(MATRIX, 'action', 'printers.control', 'operator', 'operator')).toBe(false);
    expect(allowed(MATRIX, 'action', 'jobs.create', 'operator', 'operator')).toBe(true);
  });

  it('never goes below the floor the caller gives, whatever the matrix says', () => {
    const generous: PermissionMatrix = { page_access: { settings: ['viewer', 'operator', 'admin'] }, action_access: {} };
    expect(allowed(generous, 'page', 'settings', 'operator', 'admin')).toBe(false);
    expect(allowed(MATRIX, 'action', 'jobs.create', 'viewer', 'operator')).toBe(false);
  });

  it('falls back to the floor for pages the matrix does not have, and before it has loaded', () => {
    expect(allowed(MATRIX, 'page', 'brand_new_page', 'viewer')).toBe(true);
    expect(allowed(undefined, 'page', 'dashboard', 'viewer')).toBe(true);
    expect(allowed(undefined, 'action', 'printers.control', 'viewer', 'operator')).toBe(false);
    expect(allowed(undefined, 'action', 'printers.control', 'operator', 'operator')).toBe(true);
  });

  it('denies an action the loaded matrix does not have, as the server does (fail closed)', () => {
    expect(allowed(MATRIX, 'action', 'printers.teleport', 'operator', 'operator')).toBe(false);
    expect(allowed(MATRIX, 'action', 'printers.teleport', 'admin', 'operator')).toBe(false);
  });

  it("takes action names from the server's list only", () => {
    const known: PermissionAction[] = ['printers.control', 'printers.reorder', 'maintenance.log'];
    // @ts-expect-error — a name the server's matrix does not have is a compile error (the type is generated).
    const typo: PermissionAction = 'printers.controll';
    expect([...known, typo]).toHaveLength(4);
  });

  it('allows nothing without a role (not logged in)', () => {
    expect(allowed(MATRIX, 'page', 'dashboard', undefined)).toBe(false);
  });
});

/** A menu like the app's: one entry per page the user's role may see. */
function Menu() {
  const can = usePermissions();
  const matrix = usePermissionMatrix();
  const pages = ['dashboard', 'printers', 'upload', 'settings'];
  if (!can.role || !matrix.isSuccess) return <p>loading</p>;
  return (
    <ul aria-label="menu">
      {pages
        .filter((page) => can.page(page, page === 'settings' ? 'admin' : 'viewer'))
        .map((page) => (
          <li key={page}>{page}</li>
        ))}
      {can.action('printers.control') ? <li>control</li> : null}
    </ul>
  );
}

describe('what the matrix denies is hidden (real server)', () => {
  let server: RealServer;
  let adminToken: string;
  beforeAll(async () => {
    server = await startRealServer();
    adminToken = await server.setupAdmin();
  });
  afterAll(() => server.close());
  afterEach(() => {
    cleanup();
    writeToken(null);
  });

  async function menuFor(token: string): Promise<string[]> {
    writeToken(token);
    renderApp(<Menu />);
    const menu = await screen.findByRole('list', { name: 'menu' });
    return [...menu.querySelectorAll('li')].map((item) => item.textContent ?? '');
  }

  it('shows each role what the default matrix gives it', async () => {
    const viewer = await server.createUser(adminToken, 'vera', 'viewer');
    const operator = await server.createUser(adminToken, 'otto', 'operator');
    expect(await menuFor(viewer.token)).toEqual(['dashboard', 'printers']);
    cleanup();
    expect(await menuFor(operator.token)).toEqual(['dashboard', 'printers', 'upload', 'control']);
    cleanup();
    expect(await menuFor(adminToken)).toEqual(['dashboard', 'printers', 'upload', 'settings', 'control']);
  });

  it('hides a page and an action as soon as an admin takes them away', async () => {
    const put = await server.call('PUT', '/api/permissions', {
      token: adminToken,
      json: { page_access: { printers: ['admin'] }, action_access: { 'printers.control': ['admin'] } },
    });
    expect(put.status).toBe(200);
    const operator = await server.createUser(adminToken, 'olga', 'operator');
    expect(await menuFor(operator.token)).toEqual(['dashboard', 'upload']);
  });
});
