import type { ActionPolicy } from '../../core/auth/guard.js';
import { type Role, ROLES } from '../../core/auth/roles.js';
import type { SystemConfigRepository } from '../system/repository.js';
import {
  type AccessMap,
  ADMIN_ONLY_GUARANTEED_PAGES,
  DEFAULT_ACTION_ACCESS,
  DEFAULT_PAGE_ACCESS,
  defaultMatrix,
  type PermissionMatrix,
} from './defaults.js';

const CONFIG_KEY = 'rbac_permissions';
/** Other server processes may change the matrix; re-read it at most this often. */
const CACHE_MS = 5_000;

export class PermissionsService implements ActionPolicy {
  #cache: { matrix: PermissionMatrix; at: number } | null = null;

  constructor(private readonly config: SystemConfigRepository) {}

  async get(): Promise<PermissionMatrix> {
    if (this.#cache && Date.now() - this.#cache.at < CACHE_MS) return this.#cache.matrix;
    const stored = await this.config.get<Partial<PermissionMatrix>>(CONFIG_KEY);
    const matrix = normalise(stored ?? {});
    this.#cache = { matrix, at: Date.now() };
    return matrix;
  }

  async allows(role: Role, action: string): Promise<boolean> {
    const allowed = (await this.get()).action_access[action];
    return allowed === undefined || allowed.includes(role);
  }

  /** Merges the given maps over the current ones; unknown pages/actions are dropped. */
  async update(patch: Partial<PermissionMatrix>): Promise<PermissionMatrix> {
    const current = await this.get();
    const matrix = normalise({
      page_access: { ...current.page_access, ...(patch.page_access ?? {}) },
      action_access: { ...current.action_access, ...(patch.action_access ?? {}) },
    });
    await this.config.set(CONFIG_KEY, matrix);
    this.#cache = { matrix, at: Date.now() };
    return matrix;
  }

  async reset(): Promise<PermissionMatrix> {
    await this.config.delete(CONFIG_KEY);
    this.#cache = null;
    return this.get();
  }
}

/** Known keys only, valid roles only, defaults for anything missing, and the admin pages kept for admins. */
function normalise(stored: Partial<PermissionMatrix>): PermissionMatrix {
  const matrix = defaultMatrix();
  copyKnown(stored.page_access, matrix.page_access, DEFAULT_PAGE_ACCESS);
  copyKnown(stored.action_access, matrix.action_access, DEFAULT_ACTION_ACCESS);
  for (const page of ADMIN_ONLY_GUARANTEED_PAGES) matrix.page_access[page] = [...(matrix.page_access[page] ?? []), 'admin'];
  for (const roles of Object.values(matrix.action_access)) roles.push('admin');
  // One canonical order (viewer, operator, admin) and no duplicates, whatever was stored.
  for (const map of [matrix.page_access, matrix.action_access]) {
    for (const [key, roles] of Object.entries(map)) map[key] = ROLES.filter((role) => roles.includes(role));
  }
  return matrix;
}

function copyKnown(source: AccessMap | undefined, target: AccessMap, known: AccessMap): void {
  if (!source || typeof source !== 'object') return;
  for (const [key, roles] of Object.entries(source)) {
    if (!(key in known) || !Array.isArray(roles)) continue;
    target[key] = ROLES.filter((role) => roles.includes(role));
  }
}
