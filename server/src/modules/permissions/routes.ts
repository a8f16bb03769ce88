import { actorOf } from '../../core/actor.js';
import type { OdinApp } from '../../core/http/types.js';
import { MatrixPatchSchema, MatrixSchema } from './schemas.js';
import type { PermissionsService } from './service.js';

export function permissionsRoutes(app: OdinApp, deps: { permissions: PermissionsService }): void {
  const { permissions } = deps;
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
    (request) => permissions.update(request.body, actorOf(request)),
  );

  app.post(
    '/api/permissions/reset',
    { config: { access: 'admin' }, schema: { tags, summary: 'Restore the default matrix', response: { 200: MatrixSchema } } },
    (request) => permissions.reset(actorOf(request)),
  );
}
