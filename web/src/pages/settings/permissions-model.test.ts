import { describe, expect, it } from 'vitest';

import type { PermissionMatrix } from '@/auth/permissions';

import { buildPermissionsBody, changesBetween, groupsFor, isGranted, labelKey, lockOf, toggle } from './permissions-model';

/** The server's default matrix, cut down to a few names (server/src/modules/permissions/defaults.ts). */
const matrix = (): PermissionMatrix => ({
  page_access: {
    dashboard: ['viewer', 'operator', 'admin'],
    upload: ['operator', 'admin'],
    settings: ['admin'],
    admin: ['admin'],
  },
  action_access: {
    'printers.control': ['operator', 'admin'],
    'users.manage': ['admin'],
  },
});

describe('permissions editor model', () => {
  it('never lets admin lose the settings or admin page', () => {
    for (const page of ['settings', 'admin']) {
      expect(lockOf('page', page, 'admin')).toBe('adminKeepsPage');
      const after = toggle(matrix(), 'page', page, 'admin');
      expect(after.page_access[page]).toContain('admin');
      expect(isGranted(after, 'page', page, 'admin')).toBe(true);
    }
    // Even a matrix that lacks them (an old stored one) is saved with admin in both.
    const broken = { ...matrix(), page_access: { ...matrix().page_access, settings: [], admin: ['viewer'] } };
    expect(buildPermissionsBody(broken).page_access['settings']).toEqual(['admin']);
    expect(buildPermissionsBody(broken).page_access['admin']).toEqual(['admin']);
  });

  it('locks what the server would ignore: admin actions, viewer actions, admin-only items', () => {
    expect(lockOf('action', 'printers.control', 'admin')).toBe('adminActs');
    expect(lockOf('action', 'printers.control', 'viewer')).toBe('needsOperator');
    expect(lockOf('action', 'printers.control', 'operator')).toBeNull();
    expect(lockOf('action', 'users.manage', 'operator')).toBe('adminOnly');
    expect(lockOf('page', 'settings', 'operator')).toBe('adminOnly');
    expect(lockOf('page', 'upload', 'viewer')).toBeNull();
    expect(toggle(matrix(), 'action', 'printers.control', 'viewer')).toEqual(matrix());
  });

  it('toggles one cell, immutably, keeping the server role order', () => {
    const before = matrix();
    const after = toggle(before, 'page', 'upload', 'viewer');
    expect(after.page_access['upload']).toEqual(['viewer', 'operator', 'admin']);
    expect(before.page_access['upload']).toEqual(['operator', 'admin']);
    expect(toggle(after, 'page', 'upload', 'viewer').page_access['upload']).toEqual(['operator', 'admin']);
  });

  it('builds the PUT body: every name, locked cells at their enforced value, roles in server order', () => {
    let draft = toggle(matrix(), 'page', 'upload', 'viewer');
    draft = toggle(draft, 'action', 'printers.control', 'operator');
    draft = toggle(draft, 'page', 'dashboard', 'viewer');
    expect(buildPermissionsBody(draft)).toEqual({
      page_access: {
        dashboard: ['operator', 'admin'],
        upload: ['viewer', 'operator', 'admin'],
        settings: ['admin'],
        admin: ['admin'],
      },
      action_access: {
        'printers.control': ['admin'],
        'users.manage': ['admin'],
      },
    });
  });

  it('lists what saving changes, cell by cell', () => {
    const draft = toggle(toggle(matrix(), 'page', 'upload', 'viewer'), 'action', 'printers.control', 'operator');
    expect(changesBetween(matrix(), draft)).toEqual([
      { kind: 'page', name: 'upload', role: 'viewer', granted: true },
      { kind: 'action', name: 'printers.control', role: 'operator', granted: false },
    ]);
    expect(changesBetween(matrix(), matrix())).toEqual([]);
  });

  it('groups names with words for them, and keeps names it has no words for', () => {
    const withNew = { ...matrix(), page_access: { ...matrix().page_access, spaceship: ['admin'] } };
    const groups = groupsFor(withNew, 'page');
    expect(groups.map((group) => group.id)).toEqual(['monitoring', 'production', 'administration', 'misc']);
    expect(groups.at(-1)?.names).toEqual(['spaceship']);
    expect(labelKey('page', 'print_history')).toBe('settings.permissions.pageNames.print_history');
    expect(labelKey('action', 'printers.control')).toBe('settings.permissions.actionNames.printers.control');
    expect(labelKey('page', 'spaceship')).toBeNull();
  });
});
