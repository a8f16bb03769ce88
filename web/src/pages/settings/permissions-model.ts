import type { Role } from '@/api/types';
import type { AccessMap, PermissionMatrix } from '@/auth/permissions';
import type { MessageKey } from '@/i18n';

/**
 * The permission matrix as the editor sees it. The server (server/src/modules/permissions/) adds a few
 * rules on top of what is stored, and the editor shows them instead of letting a checkbox lie:
 * admins always keep the admin and settings pages, admins may always do every action, and routes
 * have a role floor the matrix can narrow but never widen.
 */

/** Same order the server stores roles in. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export type Kind = 'page' | 'action';

/** Why a checkbox cannot be changed; the value it is fixed at follows from the reason. */
export type Lock = 'adminKeepsPage' | 'adminActs' | 'adminOnly' | 'needsOperator';

/** Pages whose routes need an admin whatever the matrix says (the app guards them with floor "admin"). */
const ADMIN_PAGES = new Set(['admin', 'settings']);
/** Actions whose routes are admin-only; giving them to other roles would change nothing. */
const ADMIN_ACTIONS = new Set(['users.manage', 'settings.edit', 'branding.edit', 'backups.manage']);

export function lockOf(kind: Kind, name: string, role: Role): Lock | null {
  if (kind === 'page') {
    if (!ADMIN_PAGES.has(name)) return null;
    return role === 'admin' ? 'adminKeepsPage' : 'adminOnly';
  }
  if (role === 'admin') return 'adminActs';
  if (ADMIN_ACTIONS.has(name)) return 'adminOnly';
  // Every action route needs at least an operator; the matrix only narrows that.
  return role === 'viewer' ? 'needsOperator' : null;
}

function lockedValue(lock: Lock): boolean {
  return lock === 'adminKeepsPage' || lock === 'adminActs';
}

function mapOf(matrix: PermissionMatrix, kind: Kind): AccessMap {
  return kind === 'page' ? matrix.page_access : matrix.action_access;
}

/** What the server will actually do for this cell. */
export function isGranted(matrix: PermissionMatrix, kind: Kind, name: string, role: Role): boolean {
  const lock = lockOf(kind, name, role);
  if (lock) return lockedValue(lock);
  return mapOf(matrix, kind)[name]?.includes(role) ?? false;
}

/** A copy with one cell switched; locked cells stay as they are. */
export function toggle(matrix: PermissionMatrix, kind: Kind, name: string, role: Role): PermissionMatrix {
  if (lockOf(kind, name, role)) return matrix;
  const map = mapOf(matrix, kind);
  const current = map[name] ?? [];
  const next = current.includes(role) ? current.filter((r) => r !== role) : [...current, role];
  const updated = { ...map, [name]: ROLES.filter((r) => next.includes(r)) };
  return kind === 'page' ? { ...matrix, page_access: updated } : { ...matrix, action_access: updated };
}

/** What PUT /api/permissions takes: role names the server knows, not any string. */
export type RoleMap = Record<string, Role[]>;
export interface PermissionsBody {
  page_access: RoleMap;
  action_access: RoleMap;
}

function normalised(matrix: PermissionMatrix, kind: Kind): RoleMap {
  const out: RoleMap = {};
  for (const name of Object.keys(mapOf(matrix, kind))) out[name] = ROLES.filter((role) => isGranted(matrix, kind, name, role));
  return out;
}

/**
 * The PUT /api/permissions body: every page and action with the roles that get it, locked cells at
 * the value the server enforces (so admin is always in `settings` and `admin`), roles in server order.
 */
export function buildPermissionsBody(matrix: PermissionMatrix): PermissionsBody {
  return { page_access: normalised(matrix, 'page'), action_access: normalised(matrix, 'action') };
}

export interface Change {
  kind: Kind;
  name: string;
  role: Role;
  granted: boolean;
}

/** What saving would change, cell by cell (for the confirmation). */
export function changesBetween(saved: PermissionMatrix, draft: PermissionMatrix): Change[] {
  const changes: Change[] = [];
  for (const kind of ['page', 'action'] as const) {
    const names = new Set([...Object.keys(mapOf(saved, kind)), ...Object.keys(mapOf(draft, kind))]);
    for (const name of names) {
      for (const role of ROLES) {
        const before = isGranted(saved, kind, name, role);
        const after = isGranted(draft, kind, name, role);
        if (before !== after) changes.push({ kind, name, role, granted: after });
      }
    }
  }
  return changes;
}

export interface Group {
  id: 'monitoring' | 'production' | 'inventory' | 'business' | 'administration' | 'printers' | 'jobs' | 'models' | 'misc';
  names: string[];
}

const PAGE_GROUPS: Group[] = [
  { id: 'monitoring', names: ['dashboard', 'tv', 'printers', 'cameras', 'alerts', 'detections'] },
  { id: 'production', names: ['jobs', 'timeline', 'print_history', 'upload', 'models', 'calculator'] },
  { id: 'inventory', names: ['spools', 'maintenance'] },
  { id: 'business', names: ['orders', 'products', 'analytics'] },
  { id: 'administration', names: ['settings', 'admin'] },
];

const ACTION_GROUPS: Group[] = [
  { id: 'printers', names: ['printers.add', 'printers.edit', 'printers.delete', 'printers.control', 'printers.reorder'] },
  { id: 'jobs', names: ['jobs.create', 'jobs.edit', 'jobs.start', 'jobs.cancel', 'jobs.approve', 'jobs.delete'] },
  { id: 'models', names: ['models.create', 'models.edit', 'models.delete'] },
  { id: 'inventory', names: ['spools.edit', 'spools.delete', 'maintenance.log'] },
  { id: 'business', names: ['orders.edit', 'products.edit'] },
  { id: 'monitoring', names: ['alerts.manage', 'vision.review'] },
  { id: 'administration', names: ['users.manage', 'settings.edit', 'branding.edit', 'backups.manage'] },
];

/** The matrix's names in labelled groups; anything a newer server adds lands in "other" rather than vanishing. */
export function groupsFor(matrix: PermissionMatrix, kind: Kind): Group[] {
  const present = Object.keys(mapOf(matrix, kind));
  const known = kind === 'page' ? PAGE_GROUPS : ACTION_GROUPS;
  const groups = known
    .map((group) => ({ ...group, names: group.names.filter((name) => present.includes(name)) }))
    .filter((group) => group.names.length > 0);
  const listed = new Set(known.flatMap((group) => group.names));
  const other = present.filter((name) => !listed.has(name)).sort();
  return other.length > 0 ? [...groups, { id: 'misc', names: other }] : groups;
}

export const GROUP_LABELS: Record<Group['id'], MessageKey> = {
  monitoring: 'settings.permissions.groups.monitoring',
  production: 'settings.permissions.groups.production',
  inventory: 'settings.permissions.groups.inventory',
  business: 'settings.permissions.groups.business',
  administration: 'settings.permissions.groups.administration',
  printers: 'settings.permissions.groups.printers',
  jobs: 'settings.permissions.groups.jobs',
  models: 'settings.permissions.groups.models',
  misc: 'settings.permissions.groups.misc',
};

const PAGE_LABELS: Record<string, MessageKey> = {
  dashboard: 'settings.permissions.pageNames.dashboard',
  tv: 'settings.permissions.pageNames.tv',
  printers: 'settings.permissions.pageNames.printers',
  jobs: 'settings.permissions.pageNames.jobs',
  timeline: 'settings.permissions.pageNames.timeline',
  print_history: 'settings.permissions.pageNames.print_history',
  models: 'settings.permissions.pageNames.models',
  upload: 'settings.permissions.pageNames.upload',
  spools: 'settings.permissions.pageNames.spools',
  cameras: 'settings.permissions.pageNames.cameras',
  analytics: 'settings.permissions.pageNames.analytics',
  calculator: 'settings.permissions.pageNames.calculator',
  orders: 'settings.permissions.pageNames.orders',
  products: 'settings.permissions.pageNames.products',
  maintenance: 'settings.permissions.pageNames.maintenance',
  alerts: 'settings.permissions.pageNames.alerts',
  detections: 'settings.permissions.pageNames.detections',
  settings: 'settings.permissions.pageNames.settings',
  admin: 'settings.permissions.pageNames.admin',
};

const ACTION_LABELS: Record<string, MessageKey> = {
  'printers.add': 'settings.permissions.actionNames.printers.add',
  'printers.edit': 'settings.permissions.actionNames.printers.edit',
  'printers.delete': 'settings.permissions.actionNames.printers.delete',
  'printers.control': 'settings.permissions.actionNames.printers.control',
  'printers.reorder': 'settings.permissions.actionNames.printers.reorder',
  'jobs.create': 'settings.permissions.actionNames.jobs.create',
  'jobs.edit': 'settings.permissions.actionNames.jobs.edit',
  'jobs.cancel': 'settings.permissions.actionNames.jobs.cancel',
  'jobs.delete': 'settings.permissions.actionNames.jobs.delete',
  'jobs.start': 'settings.permissions.actionNames.jobs.start',
  'jobs.approve': 'settings.permissions.actionNames.jobs.approve',
  'models.create': 'settings.permissions.actionNames.models.create',
  'models.edit': 'settings.permissions.actionNames.models.edit',
  'models.delete': 'settings.permissions.actionNames.models.delete',
  'spools.edit': 'settings.permissions.actionNames.spools.edit',
  'spools.delete': 'settings.permissions.actionNames.spools.delete',
  'orders.edit': 'settings.permissions.actionNames.orders.edit',
  'products.edit': 'settings.permissions.actionNames.products.edit',
  'maintenance.log': 'settings.permissions.actionNames.maintenance.log',
  'alerts.manage': 'settings.permissions.actionNames.alerts.manage',
  'vision.review': 'settings.permissions.actionNames.vision.review',
  'users.manage': 'settings.permissions.actionNames.users.manage',
  'settings.edit': 'settings.permissions.actionNames.settings.edit',
  'branding.edit': 'settings.permissions.actionNames.branding.edit',
  'backups.manage': 'settings.permissions.actionNames.backups.manage',
};

/** The label's key, or null for a name this version has no words for (shown as it is). */
export function labelKey(kind: Kind, name: string): MessageKey | null {
  return (kind === 'page' ? PAGE_LABELS : ACTION_LABELS)[name] ?? null;
}
