import type { PermissionAction } from '../../core/auth/permission-actions.js';
import type { Role } from '../../core/auth/roles.js';

export type AccessMap = Record<string, Role[]>;
export type ActionAccess = Record<PermissionAction, Role[]>;

export interface PermissionMatrix {
  page_access: AccessMap;
  /** Every action of PERMISSION_ACTIONS, always (the defaults fill what was never stored). */
  action_access: ActionAccess;
}

const everyone: Role[] = ['admin', 'operator', 'viewer'];
const staff: Role[] = ['admin', 'operator'];
const admins: Role[] = ['admin'];

/** Pages of the web app and who sees them out of the box. */
export const DEFAULT_PAGE_ACCESS: AccessMap = {
  dashboard: everyone,
  tv: everyone,
  printers: everyone,
  jobs: everyone,
  timeline: everyone,
  print_history: everyone,
  models: everyone,
  upload: staff,
  spools: everyone,
  cameras: everyone,
  analytics: everyone,
  calculator: everyone,
  orders: everyone,
  products: everyone,
  maintenance: staff,
  alerts: everyone,
  detections: everyone,
  settings: admins,
  admin: admins,
};

/**
 * Actions (core/auth/permission-actions.ts) and who may do them. Routes that name an action are
 * checked against this map on top of their declared role, so the matrix can narrow what a role
 * does — it never widens it. Typed by the action list: an action without defaults does not compile.
 */
export const DEFAULT_ACTION_ACCESS: ActionAccess = {
  'printers.add': staff,
  'printers.edit': staff,
  'printers.delete': staff,
  'printers.control': staff,
  'printers.reorder': staff,
  'jobs.create': staff,
  'jobs.edit': staff,
  'jobs.cancel': staff,
  'jobs.delete': staff,
  'jobs.start': staff,
  'jobs.approve': staff,
  'models.create': staff,
  'models.edit': staff,
  'models.delete': staff,
  'spools.edit': staff,
  'spools.delete': staff,
  'orders.edit': staff,
  'products.edit': staff,
  'maintenance.log': staff,
  'alerts.manage': staff,
  'vision.review': staff,
  'users.manage': admins,
  'settings.edit': admins,
  'branding.edit': admins,
  'backups.manage': admins,
};

/** Pages the admin role can never be locked out of (or nobody could undo the lock-out). */
export const ADMIN_ONLY_GUARANTEED_PAGES = ['admin', 'settings'] as const;

export function defaultMatrix(): PermissionMatrix {
  return {
    page_access: structuredClone(DEFAULT_PAGE_ACCESS),
    action_access: structuredClone(DEFAULT_ACTION_ACCESS),
  };
}
