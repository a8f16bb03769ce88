import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import { TokenResponse } from '../auth/schemas.js';
import type { AuthService } from '../auth/service.js';
import type { PrinterCommands } from '../printers/commands.js';
import { CreatePrinterBody, PrinterSchema, TestConnectionBody, TestConnectionResult } from '../printers/schemas.js';
import type { PrintersService } from '../printers/service.js';
import { EmailSchema, PasswordSchema, UsernameSchema, UserSchema } from '../users/schemas.js';
import type { SetupService } from './service.js';

const HostSchema = Type.String({
  minLength: 1,
  maxLength: 253,
  // An IPv4 address or a DNS name; cameras and printers will be told to reach ODIN at this address.
  pattern:
    '^(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$',
});

export function setupRoutes(
  app: OdinApp,
  deps: { setup: SetupService; auth: AuthService; printers: PrintersService; commands: PrinterCommands },
): void {
  const { setup, auth, printers, commands } = deps;
  const tags = ['Setup'];
  const ok = Type.Object({ success: Type.Boolean(), message: Type.Optional(Type.String()) });

  app.get(
    '/api/setup/status',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Whether the first-run wizard is needed',
        response: { 200: Type.Object({ needs_setup: Type.Boolean(), has_users: Type.Boolean(), is_complete: Type.Boolean() }) },
      },
    },
    () => setup.status(),
  );

  app.post(
    '/api/setup/admin',
    {
      config: { access: 'setup' },
      schema: {
        tags,
        summary: 'Create the first admin and log in as them (403 once any user exists)',
        body: Type.Object({ username: UsernameSchema, email: Type.Optional(EmailSchema), password: PasswordSchema }),
        response: {
          200: Type.Object({ ...TokenResponse.properties, user: UserSchema }),
        },
      },
    },
    async (request) => {
      const user = await setup.createFirstAdmin(request.body, actorOf(request));
      return { ...(await auth.startSession(user)), user };
    },
  );

  app.post(
    '/api/setup/complete',
    {
      config: { access: 'setup' },
      schema: { tags, summary: 'Mark setup complete; the wizard routes close for good', response: { 200: ok } },
    },
    async (request) => {
      await setup.complete(actorOf(request));
      return { success: true, message: 'Setup complete' };
    },
  );

  app.get(
    '/api/setup/network',
    {
      config: { access: 'setup' },
      schema: {
        tags,
        summary: 'The host IP ODIN detected, and the one saved for camera streaming',
        response: {
          200: Type.Object({
            detected_ip: Type.Union([Type.String(), Type.Null()]),
            configured_ip: Type.Union([Type.String(), Type.Null()]),
            candidates: Type.Array(Type.String()),
          }),
        },
      },
    },
    () => setup.network(),
  );

  app.post(
    '/api/setup/network',
    {
      config: { access: 'setup' },
      schema: {
        tags,
        summary: 'Save the host IP used for WebRTC camera streaming',
        body: Type.Object({ host_ip: HostSchema }),
        response: { 200: Type.Object({ success: Type.Boolean(), host_ip: Type.String() }) },
      },
    },
    async (request) => {
      await setup.saveHostIp(request.body.host_ip, actorOf(request));
      return { success: true, host_ip: request.body.host_ip };
    },
  );

  app.post(
    '/api/setup/test-printer',
    {
      config: { access: 'setup' },
      schema: {
        tags,
        summary: 'Try to reach the first printer with these settings',
        body: TestConnectionBody,
        response: { 200: TestConnectionResult, ...errorResponses(404, 501) },
      },
    },
    async (request) => {
      return commands.test(await printers.connectionForTest(request.body));
    },
  );

  app.post(
    '/api/setup/printer',
    {
      config: { access: 'setup' },
      schema: { tags, summary: 'Add the first printer', body: CreatePrinterBody, response: { 200: PrinterSchema } },
    },
    (request) => printers.create(request.body, actorOf(request), 'setup'),
  );
}
