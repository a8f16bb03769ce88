import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError, forbidden } from '../errors.js';
import type { OdinApp } from '../http/types.js';
import type { Authenticator } from './authenticator.js';
import { roleAtLeast, type Role } from './roles.js';

export interface SetupGate {
  /** Whether any user exists, and whether the first-run wizard was marked complete. */
  setupState(): Promise<{ hasUsers: boolean; isComplete: boolean }>;
}

export interface ActionPolicy {
  allows(role: Role, action: string): Promise<boolean>;
}

export interface GuardOptions {
  apiKey: string;
  authenticator: Authenticator;
  setup: SetupGate;
  actions: ActionPolicy;
  /** Routes added by third-party plugins (API docs) that carry no access declaration of their own. */
  publicPrefixes: readonly string[];
}

/**
 * The one authorisation check: every route declares `config.access`, and this hook enforces it
 * (perimeter key, identity, role, optional matrix action) before any handler runs.
 */
export function installGuard(app: OdinApp, options: GuardOptions): void {
  const perimeterDigest = options.apiKey ? sha256(options.apiKey) : null;

  app.decorateRequest('user', null);

  app.addHook('onRoute', (route) => {
    if (route.config?.access) return;
    if (options.publicPrefixes.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    throw new Error(`Route ${String(route.method)} ${route.url} declares no access level`);
  });

  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS' || request.is404) return;
    const { access = 'admin', action, perimeter = true } = request.routeOptions.config;

    const perimeterApplies =
      perimeterDigest !== null &&
      perimeter &&
      access !== 'public' &&
      access !== 'setup' &&
      !request.url.startsWith('/api/auth/');
    if (perimeterApplies && !perimeterKeyMatches(request, perimeterDigest)) {
      throw new HttpError(401, 'Invalid or missing API key');
    }

    if (access === 'public') return;

    if (access === 'setup') {
      const state = await options.setup.setupState();
      if (!state.hasUsers) return;
      if (state.isComplete) throw forbidden('Setup is already complete');
      const user = await options.authenticator.authenticate(request);
      if (user.role !== 'admin') throw forbidden('Only the administrator created during setup may continue it');
      request.user = user;
      return;
    }

    const user = await options.authenticator.authenticate(request);
    if (!roleAtLeast(user.role, access)) throw forbidden(`This needs the ${access} role or higher`);
    if (action && user.role !== 'admin' && !(await options.actions.allows(user.role, action))) {
      throw forbidden(`Your role may not perform ${action}`);
    }
    request.user = user;
  });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function perimeterKeyMatches(request: FastifyRequest, expected: Buffer): boolean {
  const given = request.headers['x-api-key'];
  if (typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(sha256(given), expected);
}
