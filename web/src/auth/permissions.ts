import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '@/api/client';
import type { ResponseOf, Role } from '@/api/types';

import { useSession } from './session';

export type AccessMap = Record<string, string[]>;
/**
 * The actions of the permissions matrix, generated from the server's list
 * (server/src/core/auth/permission-actions.ts): a name the server does not know does not compile.
 */
export type PermissionAction = keyof ResponseOf<'/api/permissions', 'get'>['action_access'];
export interface PermissionMatrix {
  page_access: AccessMap;
  action_access: AccessMap;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAtLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[needed];
}

/**
 * Whether a role may see a page or do an action. The matrix from /api/permissions decides; before it
 * has loaded, and for a page it does not name, the role floor the caller gives (the route's level)
 * does. An action it does not name is denied, as the server denies it (fail closed).
 */
export function allowed(
  matrix: PermissionMatrix | undefined,
  kind: 'page' | 'action',
  name: string,
  role: Role | undefined,
  floor: Role = 'viewer',
): boolean {
  if (!role || !roleAtLeast(role, floor)) return false;
  const map = kind === 'page' ? matrix?.page_access : matrix?.action_access;
  if (!map) return true;
  const roles = map[name];
  if (!roles) return kind === 'page';
  return roles.includes(role);
}

export function usePermissionMatrix() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => unwrap(api.GET('/api/permissions')) as Promise<PermissionMatrix>,
    staleTime: 60_000,
  });
}

/** `can.page('settings')`, `can.action('printers.control', 'operator')` for the logged-in user. */
export function usePermissions() {
  const { user } = useSession();
  const matrix = usePermissionMatrix().data;
  const role = user?.role;
  return {
    role,
    page: (name: string, floor: Role = 'viewer') => allowed(matrix, 'page', name, role, floor),
    action: (name: PermissionAction, floor: Role = 'operator') => allowed(matrix, 'action', name, role, floor),
  };
}
