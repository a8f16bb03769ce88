/**
 * The actions of the permissions matrix. A route names one in `config.action` (typed by this list,
 * so a typo does not compile); the guard refuses to start for a name that is not here, and the
 * matrix (modules/permissions) denies one it does not hold. Adding an action: add it here, give it
 * its default roles in modules/permissions/defaults.ts (the compiler asks for them), regenerate the
 * web API types.
 */
export const PERMISSION_ACTIONS = [
  'printers.add',
  'printers.edit',
  'printers.delete',
  'printers.control',
  'printers.reorder',
  'jobs.create',
  'jobs.edit',
  'jobs.cancel',
  'jobs.delete',
  'jobs.start',
  'jobs.approve',
  'models.create',
  'models.edit',
  'models.delete',
  'spools.edit',
  'spools.delete',
  'orders.edit',
  'products.edit',
  'maintenance.log',
  'alerts.manage',
  'vision.review',
  'users.manage',
  'settings.edit',
  'branding.edit',
  'backups.manage',
] as const;
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];

export function isPermissionAction(value: unknown): value is PermissionAction {
  return (PERMISSION_ACTIONS as readonly unknown[]).includes(value);
}
