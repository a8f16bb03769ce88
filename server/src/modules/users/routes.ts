import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import { CreateUserBody, UpdateUserBody, UserIdParams, UserSchema } from './schemas.js';
import type { UsersService } from './service.js';

export function usersRoutes(app: OdinApp, deps: { users: UsersService }): void {
  const { users } = deps;
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
    (request) => users.create(request.body, actorOf(request)),
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
    (request) => users.update(request.params.user_id, request.body, actorOf(request)),
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
      await users.delete(request.params.user_id, actorOf(request));
      return { message: 'User deleted' };
    },
  );
}
