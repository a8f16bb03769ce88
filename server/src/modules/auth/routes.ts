import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { currentUser } from '../../core/auth/current-user.js';
import { HttpError } from '../../core/errors.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import { RoleSchema } from '../users/schemas.js';
import { LoginForm, LogoutBody, RefreshBody, TokenResponse } from './schemas.js';
import type { AuthService } from './service.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

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
        summary: 'Log in with the OAuth2 password form (username, password); returns a bearer token and a refresh token',
        consumes: [FORM],
        body: LoginForm,
        response: { 200: TokenResponse, ...errorResponses(401, 423, 429) },
      },
    },
    async (request) => auth.login(request.body.username, request.body.password, request.ip),
  );

  app.post(
    '/api/auth/refresh',
    {
      config: { access: 'public' },
      // Named before the body is validated, so a client sending neither shape learns what to send.
      preValidation: (request, _reply, done) => {
        const type = request.headers['content-type']?.toLowerCase() ?? '';
        if (!type.startsWith(JSON_TYPE) && !type.startsWith(FORM)) {
          return done(
            new HttpError(
              422,
              'refresh_body_required',
              'Refresh expects JSON {"refresh_token": …} or the OAuth2 form with grant_type=refresh_token and refresh_token',
            ),
          );
        }
        done();
      },
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new access token and a new refresh token (the old one stops working)',
        consumes: [JSON_TYPE, FORM],
        body: RefreshBody,
        response: { 200: TokenResponse, ...errorResponses(401, 429) },
      },
    },
    async (request) => auth.refresh(request.body.refresh_token, request.ip),
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'viewer' },
      // Scripts written for the spec log out with no body at all; that is the empty body.
      preValidation: (request, _reply, done) => {
        request.body ??= {};
        done();
      },
      schema: {
        tags,
        summary: "Log out: revokes the token used for this request, its session's refresh tokens and those of the refresh_token sent",
        body: LogoutBody,
        response: { 200: Type.Object({ message: Type.String() }) },
      },
    },
    async (request) => {
      await auth.logout(currentUser(request), request.body.refresh_token, actorOf(request));
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
