import { actorOf } from '../../core/actor.js';
import type { OdinApp } from '../../core/http/types.js';
import type { AuditLog } from '../audit/audit-log.js';
import { MatrixPatchSchema, MatrixSchema } from './schemas.js';
import type { PermissionsService } from './service.js';

export function permissionsRoutes(app: OdinApp, deps: { permissions: PermissionsService; audit: AuditLog }): void {
  const { permissions, audit } = deps;
  const tags = ['RBAC'];

  app.get(
    '/api/permissions',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Which roles see which pages and may do which actions', response: { 200: MatrixSchema } },
    },
    () => permissions.get(),
  );

  app.put(
    '/api/permissions',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Change the permissions matrix (admins always keep the admin and settings pages)',
        body: MatrixPatchSchema,
        response: { 200: MatrixSchema },
      },
    },
    async (request) => {
      const matrix = await permissions.update(request.body);
      await audit.record({ action: 'update', entityType: 'permissions', details: { ...request.body }, actor: actorOf(request) });
      return matrix;
    },
  );

  app.post(
    '/api/permissions/reset',
    { config: { access: 'admin' }, schema: { tags, summary: 'Restore the default matrix', response: { 200: MatrixSchema } } },
    async (request) => {
      const matrix = await permissions.reset();
      await audit.record({ action: 'reset', entityType: 'permissions', actor: actorOf(request) });
      return matrix;
    },
  );
}
