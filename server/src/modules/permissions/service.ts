import type { Actor } from '../../core/actor.js';
import type { ActionPolicy } from '../../core/auth/guard.js';
import type { PermissionAction } from '../../core/auth/permission-actions.js';
import { type Role, ROLES } from '../../core/auth/roles.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SystemConfigRepository } from '../system/repository.js';
import {
  type AccessMap,
  ADMIN_ONLY_GUARANTEED_PAGES,
  DEFAULT_ACTION_ACCESS,
  DEFAULT_PAGE_ACCESS,
  defaultMatrix,
  type PermissionMatrix,
} from './defaults.js';
import type { MatrixPatch } from './schemas.js';

const CONFIG_KEY = 'rbac_permissions';
/** Other server processes may change the matrix; re-read it at most this often. */
const CACHE_MS = 5_000;

export class PermissionsService implements ActionPolicy {
  #cache: { matrix: PermissionMatrix; at: number } | null = null;

  constructor(
    private readonly config: SystemConfigRepository,
    private readonly audit: AuditLog,
  ) {}

  async get(): Promise<PermissionMatrix> {
    if (this.#cache && Date.now() - this.#cache.at < CACHE_MS) return this.#cache.matrix;
    const stored = await this.config.get<StoredMatrix>(CONFIG_KEY);
    const matrix = normalise(stored ?? {});
    this.#cache = { matrix, at: Date.now() };
    return matrix;
  }

  /** Fail closed: an action the matrix does not hold (a name from outside the typed list) is denied. */
  async allows(role: Role, action: PermissionAction): Promise<boolean> {
    const { action_access } = await this.get();
    return Object.hasOwn(action_access, action) && action_access[action].includes(role);
  }

  /** Merges the given maps over the current ones; unknown pages/actions are dropped. */
  async update(patch: MatrixPatch, actor: Actor): Promise<PermissionMatrix> {
    const current = await this.get();
    const matrix = normalise({
      page_access: { ...current.page_access, ...(patch.page_access ?? {}) },
      action_access: { ...current.action_access, ...(patch.action_access ?? {}) },
    });
    await this.config.set(CONFIG_KEY, matrix);
    this.#cache = { matrix, at: Date.now() };
    await this.audit.record({ action: 'update', entityType: 'permissions', details: { ...patch }, actor });
    return matrix;
  }

  async reset(actor: Actor): Promise<PermissionMatrix> {
    await this.config.delete(CONFIG_KEY);
    this.#cache = null;
    await this.audit.record({ action: 'reset', entityType: 'permissions', actor });
    return this.get();
  }
}

/** The matrix as system_config holds it: written by this service or an older version, so checked key by key. */
interface StoredMatrix {
  page_access?: AccessMap;
  action_access?: AccessMap;
}

/** Known keys only, valid roles only, defaults for anything missing, and the admin pages kept for admins. */
function normalise(stored: StoredMatrix): PermissionMatrix {
  const matrix = defaultMatrix();
  copyKnown(stored.page_access, matrix.page_access, DEFAULT_PAGE_ACCESS);
  copyKnown(stored.action_access, matrix.action_access, DEFAULT_ACTION_ACCESS);
  for (const page of ADMIN_ONLY_GUARANTEED_PAGES) matrix.page_access[page] = [...(matrix.page_access[page] ?? []), 'admin'];
  for (const roles of Object.values(matrix.action_access)) roles.push('admin');
  // One canonical order (viewer, operator, admin) and no duplicates, whatever was stored.
  const maps: AccessMap[] = [matrix.page_access, matrix.action_access];
  for (const map of maps) {
    for (const [key, roles] of Object.entries(map)) map[key] = ROLES.filter((role) => roles.includes(role));
  }
  return matrix;
}

function copyKnown(source: AccessMap | undefined, target: AccessMap, known: AccessMap): void {
  if (!source || typeof source !== 'object') return;
  for (const [key, roles] of Object.entries(source)) {
    if (!Object.hasOwn(known, key) || !Array.isArray(roles)) continue;
    target[key] = ROLES.filter((role) => roles.includes(role));
  }
}
