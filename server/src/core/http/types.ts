import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

import type { PermissionAction } from '../auth/permission-actions.js';
import type { Access, AuthUser } from '../auth/roles.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every route declares one (the guard refuses to start otherwise). */
    access?: Access;
    /** An action of the permissions matrix the caller's role must also hold (admins always do). */
    action?: PermissionAction;
    /** false: the perimeter API key is not asked for (spool labels printed from a phone, for example). */
    perimeter?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller, set by the guard on viewer/operator/admin routes; null elsewhere. */
    user: AuthUser | null;
  }
}

/** The Fastify instance every module registers its routes on, typed by the TypeBox schemas. */
export type OdinApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;
