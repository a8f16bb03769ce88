import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import type { AuditLog } from '../audit/audit-log.js';
import { CreateUserBody, UpdateUserBody, UserIdParams, UserSchema } from './schemas.js';
import type { UsersService } from './service.js';

export function usersRoutes(app: OdinApp, deps: { users: UsersService; audit: AuditLog }): void {
  const { users, audit } = deps;
  const tags = ['Users'];

  app.get(
    '/api/users',
    { config: { access: 'admin' }, schema: { tags, summary: 'List users', response: { 200: Type.Array(UserSchema) } } },
    () => users.list(),
  );

  app.post(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Create a user', body: CreateUserBody, response: { 200: UserSchema } },
    },
    async (request) => {
      const user = await users.create(request.body);
      await audit.record({
        action: 'create',
        entityType: 'user',
        entityId: user.id,
        details: { username: user.username, role: user.role },
        actor: actorOf(request),
      });
      return user;
    },
  );

  app.patch(
    '/api/users/:user_id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Update a user (username, email, role, is_active, password; other keys are ignored)',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { user, changed } = await users.update(request.params.user_id, request.body, request.user);
      if (changed.length > 0) {
        await audit.record({
          action: 'update',
          entityType: 'user',
          entityId: user.id,
          details: { username: user.username, fields: changed, ...(request.body.role ? { role: user.role } : {}) },
          actor: actorOf(request),
        });
      }
      return user;
    },
  );

  app.delete(
    '/api/users/:user_id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Delete a user (not yourself, not the last active admin)',
        params: UserIdParams,
        response: { 200: Type.Object({ message: Type.String() }), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const user = await users.delete(request.params.user_id, request.user);
      await audit.record({
        action: 'delete',
        entityType: 'user',
        entityId: user.id,
        details: { username: user.username },
        actor: actorOf(request),
      });
      return { message: 'User deleted' };
    },
  );
}
