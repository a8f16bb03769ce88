import fs from 'node:fs';
import path from 'node:path';

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
import { EventBus } from './core/event-bus.js';
import { errorHandler } from './core/http/error-handler.js';
import { DOCS_PREFIXES, registerOpenApi } from './core/http/openapi.js';
import type { OdinApp } from './core/http/types.js';
import { validatorCompiler } from './core/http/validation.js';
import { registerWebApp } from './core/http/web-app.js';
import type { InstanceSecrets } from './core/secrets.js';
import { SystemConfigStore } from './core/system-config.js';
import { AuditLog } from './modules/audit/audit-log.js';
import { auditRoutes } from './modules/audit/routes.js';
import { type LoginLimiter, MemoryLoginLimiter } from './modules/auth/login-limiter.js';
import { AuthRepository } from './modules/auth/repository.js';
import { authRoutes } from './modules/auth/routes.js';
import { AuthService } from './modules/auth/service.js';
import { bambuRoutes } from './modules/bambu/routes.js';
import { BambuService } from './modules/bambu/service.js';
import { brandingRoutes } from './modules/branding/routes.js';
import { BrandingService } from './modules/branding/service.js';
import { liveRoutes } from './modules/live/routes.js';
import { permissionsRoutes } from './modules/permissions/routes.js';
import { PermissionsService } from './modules/permissions/service.js';
import { printJobsRoutes } from './modules/print-jobs/routes.js';
import { PrintJobsService } from './modules/print-jobs/service.js';
import { PrinterCommands } from './modules/printers/commands.js';
import { printersRoutes } from './modules/printers/routes.js';
import { PrintersService } from './modules/printers/service.js';
import { setupRoutes } from './modules/setup/routes.js';
import { SetupService } from './modules/setup/service.js';
import { statsRoutes } from './modules/stats/routes.js';
import { systemRoutes } from './modules/system/routes.js';
import { SettingsService } from './modules/system/settings-service.js';
import { usersRoutes } from './modules/users/routes.js';
import { UsersService } from './modules/users/service.js';
import type { DriverRegistry } from './printers/driver-registry.js';
import { DRIVERS } from './printers/drivers/index.js';
import { FleetSupervisor } from './printers/fleet-supervisor.js';
import { HistoryRecorder } from './printers/history-recorder.js';
import { JobTracker } from './printers/job-tracker.js';
import { LiveStates } from './printers/live-states.js';
import { DEFAULT_PERSIST_OPTIONS, StatePersister } from './printers/state-persister.js';

export interface AppDependencies {
  config: OdinConfig;
  database: Database;
  secrets: InstanceSecrets;
  loginLimiter?: LoginLimiter;
  /** Printer protocols; tests and demos may swap one. */
  drivers?: DriverRegistry;
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
  bus: EventBus;
  live: LiveStates;
  printers: PrintersService;
  printJobs: PrintJobsService;
  fleet: FleetSupervisor;
  jobTracker: JobTracker;
}

export interface BuiltApp {
  app: OdinApp;
  services: Services;
  /** Every registered route with its declared access, as the guard enforces it. */
  routes: RouteEntry[];
  /** Connects the printers; called once the server listens. */
  startFleet(): Promise<void>;
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
    frameworkErrors: errorHandler,
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
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        user: request.user?.username,
      },
      'request',
    );
  });

  const systemConfig = new SystemConfigStore(db);
  const hasher = new PasswordHasher(config.bcryptRounds);
  const tokens = new SessionTokens(secrets.jwtSecret);
  const audit = new AuditLog(db);
  const authRepository = new AuthRepository(db);
  const users = new UsersService(db, hasher, authRepository);
  const setup = new SetupService(db, users, systemConfig);
  const permissions = new PermissionsService(systemConfig);
  const auth = new AuthService(authRepository, users, hasher, tokens, deps.loginLimiter ?? new MemoryLoginLimiter(), audit, {
    refreshTokenLifetimeMs: config.refreshTokenLifetimeMs,
  });
  const settings = new SettingsService(systemConfig);
  const branding = new BrandingService(db, path.join(config.dataDir, 'branding'));
  // Built now so a malformed ENCRYPTION_KEY stops the server at start, not at the first printer save.
  const secretBox = createSecretBox(secrets.encryptionKey);
  const bus = new EventBus((event, error) => app.log.error({ err: error, event }, 'event listener failed'));
  const live = new LiveStates(bus);
  const authenticator = new Authenticator(authRepository, tokens);
  const printers = new PrintersService(db, secretBox, live, bus);
  const printJobs = new PrintJobsService(db);
  const registry = deps.drivers ?? DRIVERS;
  const fleetLogger = app.log.child({ component: 'fleet' });
  const driverOptions = {
    ...(config.fleet.bambuCaFile ? { caCertificates: splitPem(fs.readFileSync(config.fleet.bambuCaFile, 'utf8')) } : {}),
    pollIntervalMs: config.fleet.pollIntervalMs,
    requestTimeoutMs: config.fleet.requestTimeoutMs,
    // Three keepalives fit in the silence limit, so one lost pong never takes a printer offline.
    keepaliveMs: Math.min(20_000, Math.floor(config.fleet.offlineAfterMs / 3)),
  };
  const fleet = new FleetSupervisor({
    registry,
    live,
    bus,
    logger: fleetLogger,
    loadConnections: (printerId) => printers.connections(printerId),
    onCameras: (printerId, cameras) => printers.recordDiscoveredCameras(printerId, cameras),
    options: {
      offlineAfterMs: config.fleet.offlineAfterMs,
      watchdogIntervalMs: Math.max(250, Math.min(5_000, Math.floor(config.fleet.offlineAfterMs / 6))),
      reconnectBaseMs: config.fleet.reconnectBaseMs,
      reconnectMaxMs: config.fleet.reconnectMaxMs,
      driver: driverOptions,
    },
  });
  const jobTracker = new JobTracker(db, bus, fleetLogger);
  const persister = new StatePersister(db, bus, live, fleetLogger, {
    ...DEFAULT_PERSIST_OPTIONS,
    historyEveryMs: config.fleet.historyEveryMs,
  });
  const commands = new PrinterCommands(fleet, registry, () => ({ ...driverOptions, logger: fleetLogger }));
  const history = new HistoryRecorder(db, bus, fleetLogger);
  const bambu = new BambuService(db, printers, live);
  app.addHook('onClose', async () => {
    await fleet.stop();
    await jobTracker.stop();
    await history.stop();
    await persister.stop();
  });

  const routes = installGuard(app, {
    apiKey: config.apiKey,
    authenticator,
    setup,
    actions: permissions,
    publicPrefixes: DOCS_PREFIXES,
  });
  await registerOpenApi(app);

  authRoutes(app, { auth });
  usersRoutes(app, { users, audit });
  setupRoutes(app, { setup, auth, audit, printers, commands });
  permissionsRoutes(app, { permissions, audit });
  brandingRoutes(app, { branding, audit });
  systemRoutes(app, { database, settings, audit });
  auditRoutes(app, { audit });
  printersRoutes(app, { printers, commands, live, audit });
  printJobsRoutes(app, { printJobs });
  bambuRoutes(app, { bambu, printers, commands, live, audit });
  statsRoutes(app, { printers, printJobs, live });
  await liveRoutes(app, { bus, authenticator, live, apiKey: config.apiKey, printerNames: () => printers.names() });

  await registerWebApp(app, config.webDir);

  const startFleet = async () => {
    await jobTracker.start();
    await history.start();
    persister.start();
    await fleet.start();
  };

  return {
    app,
    routes,
    startFleet,
    services: {
      users,
      setup,
      auth,
      audit,
      permissions,
      settings,
      branding,
      systemConfig,
      secretBox,
      bus,
      live,
      printers,
      printJobs,
      fleet,
      jobTracker,
    },
  };
}

/** A hop count becomes "trust the nearest N proxies"; addresses and false pass through. */
function proxyTrust(setting: OdinConfig['trustProxy']): string | false | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** The certificates of a PEM bundle, one string each. */
function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
