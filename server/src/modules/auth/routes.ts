import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { currentUser } from '../../core/auth/current-user.js';
import { HttpError } from '../../core/errors.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import { RoleSchema } from '../users/schemas.js';
import type { AuthService } from './service.js';

const FORM = 'application/x-www-form-urlencoded';

export function authRoutes(app: OdinApp, deps: { auth: AuthService }): void {
  const { auth } = deps;
  const tags = ['Auth'];

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      // The original takes the OAuth2 form, not JSON; scripts that send anything else are told so (422)
      // before the body is validated, so the answer names the real problem.
      preValidation: (request, _reply, done) => {
        if (!request.headers['content-type']?.toLowerCase().startsWith(FORM)) {
          return done(
            new HttpError(422, 'login_form_required', `Login expects a form (content type ${FORM}) with the fields username and password`),
          );
        }
        done();
      },
      schema: {
        tags,
        summary: 'Log in with the OAuth2 password form (username, password); returns a bearer token',
        consumes: [FORM],
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 256 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: {
          200: Type.Object({ access_token: Type.String(), token_type: Type.Literal('bearer') }),
          ...errorResponses(401, 423, 429),
        },
      },
    },
    async (request) => auth.login(request.body.username, request.body.password, request.ip),
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Log out: revokes the token used for this request',
        response: { 200: Type.Object({ message: Type.String() }) },
      },
    },
    async (request) => {
      await auth.logout(currentUser(request), actorOf(request));
      return { message: 'Logged out' };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The logged-in user',
        response: {
          200: Type.Object({
            id: Type.Integer(),
            username: Type.String(),
            email: Type.Union([Type.String(), Type.Null()]),
            role: RoleSchema,
          }),
        },
      },
    },
    (request) => {
      const { id, username, email, role } = currentUser(request);
      return { id, username, email, role };
    },
  );
}
