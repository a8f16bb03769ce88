import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import { Authenticator } from './core/auth/authenticator.js';
import { installGuard, type RouteEntry } from './core/auth/guard.js';
import { PasswordHasher } from './core/auth/passwords.js';
import { SessionTokens } from './core/auth/tokens.js';
import type { OdinConfig } from './core/config.js';
import { createSecretBox, type SecretBox } from './core/crypto/fernet.js';
import type { Database } from './core/database/database.js';
import { errorHandler } from './core/http/error-handler.js';
import { DOCS_PREFIXES, registerOpenApi } from './core/http/openapi.js';
import type { OdinApp } from './core/http/types.js';
import { validatorCompiler } from './core/http/validation.js';
import { registerWebApp } from './core/http/web-app.js';
import type { InstanceSecrets } from './core/secrets.js';
import { SystemConfigStore } from './core/system-config.js';
import path from 'node:path';
import { AuditLog } from './modules/audit/audit-log.js';
import { auditRoutes } from './modules/audit/routes.js';
import { MemoryLoginLimiter, type LoginLimiter } from './modules/auth/login-limiter.js';
import { authRoutes } from './modules/auth/routes.js';
import { AuthService } from './modules/auth/service.js';
import { brandingRoutes } from './modules/branding/routes.js';
import { BrandingService } from './modules/branding/service.js';
import { permissionsRoutes } from './modules/permissions/routes.js';
import { PermissionsService } from './modules/permissions/service.js';
import { setupRoutes } from './modules/setup/routes.js';
import { SetupService } from './modules/setup/service.js';
import { systemRoutes } from './modules/system/routes.js';
import { SettingsService } from './modules/system/settings-service.js';
import { usersRoutes } from './modules/users/routes.js';
import { UsersService } from './modules/users/service.js';

export interface AppDependencies {
  config: OdinConfig;
  database: Database;
  secrets: InstanceSecrets;
  loginLimiter?: LoginLimiter;
}

export interface Services {
  users: UsersService;
  setup: SetupService;
  auth: AuthService;
  audit: AuditLog;
  permissions: PermissionsService;
  settings: SettingsService;
  branding: BrandingService;
  systemConfig: SystemConfigStore;
  secretBox: SecretBox;
}

export interface BuiltApp {
  app: OdinApp;
  services: Services;
  /** Every registered route with its declared access, as the guard enforces it. */
  routes: RouteEntry[];
}

/** Wires configuration, services and routes together; holds no logic of its own. */
export async function buildApp(deps: AppDependencies): Promise<BuiltApp> {
  const { config, database, secrets } = deps;
  const { db } = database;

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
    },
    bodyLimit: config.bodyLimit,
    trustProxy: proxyTrust(config.trustProxy),
    // One line per request, written by our onResponse hook (with the user), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  await app.register(multipart, { limits: { fileSize: 16 * 1024 * 1024, files: 1, fields: 20 } });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'SAMEORIGIN');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, user: request.user?.username },
      'request',
    );
  });

  const systemConfig = new SystemConfigStore(db);
  const hasher = new PasswordHasher(config.bcryptRounds);
  const tokens = new SessionTokens(secrets.jwtSecret);
  const audit = new AuditLog(db);
  const users = new UsersService(db, hasher);
  const setup = new SetupService(db, users, systemConfig);
  const permissions = new PermissionsService(systemConfig);
  const auth = new AuthService(db, users, hasher, tokens, deps.loginLimiter ?? new MemoryLoginLimiter(), audit);
  const settings = new SettingsService(systemConfig);
  const branding = new BrandingService(db, path.join(config.dataDir, 'branding'));
  // Built now so a malformed ENCRYPTION_KEY stops the server at start, not at the first printer save.
  const secretBox = createSecretBox(secrets.encryptionKey);

  const routes = installGuard(app, {
    apiKey: config.apiKey,
    authenticator: new Authenticator(db, tokens),
    setup,
    actions: permissions,
    publicPrefixes: DOCS_PREFIXES,
  });
  await registerOpenApi(app);

  authRoutes(app, { auth });
  usersRoutes(app, { users, audit });
  setupRoutes(app, { setup, auth, audit });
  permissionsRoutes(app, { permissions, audit });
  brandingRoutes(app, { branding, audit });
  systemRoutes(app, { database, settings, audit });
  auditRoutes(app, { audit });

  await registerWebApp(app, config.webDir);

  return { app, routes, services: { users, setup, auth, audit, permissions, settings, branding, systemConfig, secretBox } };
}

/** A hop count becomes "trust the nearest N proxies"; addresses and false pass through. */
function proxyTrust(setting: OdinConfig['trustProxy']): string | false | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
