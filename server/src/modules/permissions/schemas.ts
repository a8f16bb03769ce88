import { type Static, Type } from 'typebox';

import { PERMISSION_ACTIONS, type PermissionAction } from '../../core/auth/permission-actions.js';
import { RoleSchema } from '../users/schemas.js';

const RolesSchema = Type.Array(RoleSchema, { maxItems: 3 });
const AccessMapSchema = Type.Record(Type.String({ maxLength: 64 }), RolesSchema);
/** One property per action, so the OpenAPI document (and the web app's generated types) name every action. */
const ActionAccessSchema = Type.Object(
  Object.fromEntries(PERMISSION_ACTIONS.map((action) => [action, RolesSchema])) as Record<PermissionAction, typeof RolesSchema>,
);

export const MatrixSchema = Type.Object({ page_access: AccessMapSchema, action_access: ActionAccessSchema });

/** A change: the pages and actions named are replaced, the rest kept; unknown names are dropped. */
export const MatrixPatchSchema = Type.Object({
  page_access: Type.Optional(AccessMapSchema),
  action_access: Type.Optional(Type.Partial(ActionAccessSchema)),
});
export type MatrixPatch = Static<typeof MatrixPatchSchema>;
