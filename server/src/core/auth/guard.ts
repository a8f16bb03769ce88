import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyRequest } from 'fastify';

import { forbidden, HttpError } from '../errors.js';
import type { OdinApp } from '../http/types.js';
import type { Authenticator } from './authenticator.js';
import { isPermissionAction, type PermissionAction } from './permission-actions.js';
import { type Access, type Role, roleAtLeast } from './roles.js';

export interface SetupGate {
  /** Whether any user exists, and whether the first-run wizard was marked complete. */
  setupState(): Promise<{ hasUsers: boolean; isComplete: boolean }>;
}

export interface ActionPolicy {
  /** Whether the role holds the action; false for an action the policy does not know (fail closed). */
  allows(role: Role, action: PermissionAction): Promise<boolean>;
}

export interface GuardOptions {
  apiKey: string;
  authenticator: Authenticator;
  setup: SetupGate;
  actions: ActionPolicy;
  /** Routes added by third-party plugins (API docs) that carry no access declaration of their own. */
  publicPrefixes: readonly string[];
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  action: PermissionAction | undefined;
}

/**
 * The one authorisation check: every route declares `config.access`, and this hook enforces it
 * (perimeter key, identity, role, optional matrix action) before any handler runs.
 */
export function installGuard(app: OdinApp, options: GuardOptions): RouteEntry[] {
  const catalog: RouteEntry[] = [];
  const perimeterDigest = options.apiKey ? sha256(options.apiKey) : null;

  app.decorateRequest('user', null);

  app.addHook('onRoute', (route) => {
    if (!route.config?.access) {
      if (!options.publicPrefixes.some((prefix) => route.url.startsWith(prefix))) {
        throw new Error(`Route ${String(route.method)} ${route.url} declares no access level`);
      }
      route.config = { ...route.config, access: 'public' };
    }
    const { action } = route.config;
    // The type already says so; this catches a name that reached the route some other way (a cast, plain JS).
    if (action !== undefined && !isPermissionAction(action)) {
      throw new Error(`Route ${String(route.method)} ${route.url} names an unknown permission action ${JSON.stringify(action)}`);
    }
    const access = route.config.access ?? 'admin';
    for (const method of [route.method].flat()) {
      catalog.push({ method, url: route.url, access, action });
    }
  });

  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS' || request.is404) return;
    const { access = 'admin', action, perimeter = true } = request.routeOptions.config;

    const perimeterApplies =
      perimeterDigest !== null && perimeter && access !== 'public' && access !== 'setup' && !request.url.startsWith('/api/auth/');
    if (perimeterApplies && !perimeterKeyMatches(request, perimeterDigest)) {
      throw new HttpError(401, 'invalid_api_key', 'Invalid or missing API key');
    }

    if (access === 'public') return;

    if (access === 'setup') {
      const state = await options.setup.setupState();
      if (!state.hasUsers) return;
      if (state.isComplete) throw forbidden('setup_complete', 'Setup is already complete');
      // The table's rule is "public until any user exists, then 403": without the admin's token the
      // wizard is simply closed (403), it is not asking for a login (401).
      const user = await options.authenticator.authenticate(request).catch(() => null);
      if (user?.role !== 'admin')
        throw forbidden('setup_locked', 'Setup is locked: only the administrator created during setup may continue it');
      request.user = user;
      return;
    }

    const user = await options.authenticator.authenticate(request);
    if (!roleAtLeast(user.role, access)) throw forbidden('insufficient_role', `This needs the ${access} role or higher`);
    if (action && user.role !== 'admin' && !(await options.actions.allows(user.role, action))) {
      throw forbidden('action_not_permitted', `Your role may not perform ${action}`);
    }
    request.user = user;
  });

  return catalog;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function perimeterKeyMatches(request: FastifyRequest, expected: Buffer): boolean {
  const given = request.headers['x-api-key'];
  if (typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(sha256(given), expected);
}
