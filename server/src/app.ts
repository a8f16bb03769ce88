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
import { InProcessEventBus } from './core/event-bus.js';
import { errorHandler } from './core/http/error-handler.js';
import { formBody } from './core/http/form-body.js';
import { DOCS_PREFIXES, registerOpenApi } from './core/http/openapi.js';
import { requestLog } from './core/http/request-log.js';
import { securityHeaders } from './core/http/security-headers.js';
import { proxyTrust } from './core/http/trust-proxy.js';
import type { OdinApp } from './core/http/types.js';
import { validatorCompiler } from './core/http/validation.js';
import { registerWebApp } from './core/http/web-app.js';
import type { InstanceSecrets } from './core/secrets.js';
import type { OdinBus, OdinEvents } from './events.js';
import { AuditLog } from './modules/audit/audit-log.js';
import { AuditRepository } from './modules/audit/repository.js';
import { auditRoutes } from './modules/audit/routes.js';
import { type LoginLimiter, MemoryLoginLimiter } from './modules/auth/login-limiter.js';
import { AuthRepository } from './modules/auth/repository.js';
import { authRoutes } from './modules/auth/routes.js';
import { AuthService } from './modules/auth/service.js';
import { bambuRoutes } from './modules/bambu/routes.js';
import { BambuService } from './modules/bambu/service.js';
import { BrandingRepository } from './modules/branding/repository.js';
import { brandingRoutes } from './modules/branding/routes.js';
import { BrandingService } from './modules/branding/service.js';
import { CombinedFilaments } from './modules/filaments/combined.js';
import { LowStockThresholds } from './modules/filaments/low-stock.js';
import { FilamentsRepository } from './modules/filaments/repository.js';
import { filamentsRoutes } from './modules/filaments/routes.js';
import { FilamentsService } from './modules/filaments/service.js';
import { liveRoutes } from './modules/live/routes.js';
import { ModelsRepository } from './modules/models/repository.js';
import { modelsRoutes } from './modules/models/routes.js';
import { ModelsService } from './modules/models/service.js';
import { permissionsRoutes } from './modules/permissions/routes.js';
import { PermissionsService } from './modules/permissions/service.js';
import { pricingRoutes } from './modules/pricing/routes.js';
import { PricingService } from './modules/pricing/service.js';
import { PrintFilesRepository } from './modules/print-files/repository.js';
import { printFilesRoutes } from './modules/print-files/routes.js';
import { PrintFilesService } from './modules/print-files/service.js';
import { PrintFileStorage } from './modules/print-files/storage.js';
import { JobTracker } from './modules/print-jobs/job-tracker.js';
import { PrintJobsRepository } from './modules/print-jobs/repository.js';
import { printJobsRoutes } from './modules/print-jobs/routes.js';
import { PrintJobsService } from './modules/print-jobs/service.js';
import { HistoryRecorder } from './modules/printer-history/history-recorder.js';
import { PrinterHistoryRepository } from './modules/printer-history/repository.js';
import { PrinterHistoryService } from './modules/printer-history/service.js';
import { DEFAULT_SAMPLER_OPTIONS, TemperatureSampler } from './modules/printer-history/temperature-sampler.js';
import { PrinterCommands } from './modules/printers/commands.js';
import { FilamentSlotsRepository } from './modules/printers/filament-slots-repository.js';
import { NozzlesRepository } from './modules/printers/nozzles-repository.js';
import { PrintersRepository } from './modules/printers/repository.js';
import { printersRoutes } from './modules/printers/routes.js';
import { PrintersService } from './modules/printers/service.js';
import { StatePersister } from './modules/printers/state-persister.js';
import { searchRoutes } from './modules/search/routes.js';
import { setupRoutes } from './modules/setup/routes.js';
import { SetupService } from './modules/setup/service.js';
import { spoolmanRoutes } from './modules/spoolman/routes.js';
import { SpoolmanService } from './modules/spoolman/service.js';
import { SpoolListCache } from './modules/spools/list-cache.js';
import { SpoolsRepository } from './modules/spools/repository.js';
import { spoolsRoutes } from './modules/spools/routes.js';
import { SpoolsService } from './modules/spools/service.js';
import { SlotMatcher } from './modules/spools/slot-matcher.js';
import { statsRoutes } from './modules/stats/routes.js';
import { SystemConfigRepository } from './modules/system/repository.js';
import { systemRoutes } from './modules/system/routes.js';
import { SettingsService } from './modules/system/settings-service.js';
import { UsersRepository } from './modules/users/repository.js';
import { usersRoutes } from './modules/users/routes.js';
import { UsersService } from './modules/users/service.js';
import type { DriverRegistry } from './printers/driver-registry.js';
import { DRIVERS } from './printers/drivers/index.js';
import { FleetSupervisor } from './printers/fleet-supervisor.js';
import { LiveStates } from './printers/live-states.js';

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
  systemConfig: SystemConfigRepository;
  secretBox: SecretBox;
  bus: OdinBus;
  live: LiveStates;
  printers: PrintersService;
  printJobs: PrintJobsService;
  fleet: FleetSupervisor;
  jobTracker: JobTracker;
  spools: SpoolsService;
  slotMatcher: SlotMatcher;
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
  formBody(app);
  await app.register(multipart, { limits: { fileSize: 16 * 1024 * 1024, files: 1, fields: 20 } });
  securityHeaders(app);
  requestLog(app);

  // One repository per table group; services and listeners reach the database only through these.
  const usersRepository = new UsersRepository(db);
  const systemConfig = new SystemConfigRepository(db);
  const printersRepository = new PrintersRepository(db);
  const slotsRepository = new FilamentSlotsRepository(db);
  const nozzlesRepository = new NozzlesRepository(db);
  const printJobsRepository = new PrintJobsRepository(db);
  const historyRepository = new PrinterHistoryRepository(db);
  const spoolListCache = new SpoolListCache();
  const filamentsRepository = new FilamentsRepository(db, () => spoolListCache.bump());
  const spoolsRepository = new SpoolsRepository(db, () => spoolListCache.bump());

  const hasher = new PasswordHasher(config.bcryptRounds);
  const tokens = new SessionTokens(secrets.jwtSecret);
  const audit = new AuditLog(new AuditRepository(db));
  const authRepository = new AuthRepository(db);
  const users = new UsersService(usersRepository, hasher, audit, authRepository);
  const setup = new SetupService(users, systemConfig, audit);
  const permissions = new PermissionsService(systemConfig, audit);
  const auth = new AuthService(authRepository, users, hasher, tokens, deps.loginLimiter ?? new MemoryLoginLimiter(), audit, {
    refreshTokenLifetimeMs: config.refreshTokenLifetimeMs,
  });
  const settings = new SettingsService(systemConfig, audit);
  const branding = new BrandingService(new BrandingRepository(db), audit, path.join(config.dataDir, 'branding'));
  // Built now so a malformed ENCRYPTION_KEY stops the server at start, not at the first printer save.
  const secretBox = createSecretBox(secrets.encryptionKey);
  const bus = new InProcessEventBus<OdinEvents>((event, error) => app.log.error({ err: error, event }, 'event listener failed'));
  const live = new LiveStates(bus);
  const authenticator = new Authenticator(authRepository, tokens);
  const printers = new PrintersService(printersRepository, slotsRepository, nozzlesRepository, secretBox, live, bus, audit);
  const history = new PrinterHistoryService(historyRepository, printers);
  const registry = deps.drivers ?? DRIVERS;
  const fleetLogger = app.log.child({ component: 'fleet' });
  const driverOptions = {
    ...(config.fleet.bambuCaCertificates ? { caCertificates: config.fleet.bambuCaCertificates } : {}),
    pollIntervalMs: config.fleet.pollIntervalMs,
    requestTimeoutMs: config.fleet.requestTimeoutMs,
    keepaliveMs: config.fleet.keepaliveMs,
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
      watchdogIntervalMs: config.fleet.watchdogIntervalMs,
      reconnectBaseMs: config.fleet.reconnectBaseMs,
      reconnectMaxMs: config.fleet.reconnectMaxMs,
      driver: driverOptions,
    },
  });
  const commands = new PrinterCommands(fleet, registry, () => ({ ...driverOptions, logger: fleetLogger }), audit);

  const thresholds = new LowStockThresholds(systemConfig, audit);
  const filaments = new FilamentsService(filamentsRepository, thresholds, audit);
  const spools = new SpoolsService(spoolsRepository, filaments, printers, slotsRepository, audit, bus);
  const spoolman = new SpoolmanService(settings, filamentsRepository, spoolsRepository, spools, audit, app.log, config.spoolmanTimeoutMs);
  const combinedFilaments = new CombinedFilaments(filaments, spoolman);
  const printFileStorage = new PrintFileStorage(config.dataDir);
  await printFileStorage.init();
  const printFiles = new PrintFilesService(new PrintFilesRepository(db), printFileStorage, audit, config.maxUploadBytes);
  const pricing = new PricingService(systemConfig, audit);
  const models = new ModelsService(new ModelsRepository(db), printFiles, pricing, audit);

  // Bus listeners, each in the module that owns the tables it writes.
  const slotMatcher = new SlotMatcher({
    spools: spoolsRepository,
    spoolsService: spools,
    filaments: filamentsRepository,
    slots: slotsRepository,
    live,
    audit,
    bus,
    logger: fleetLogger,
    assertPrinter: (id) => printers.assertExists(id),
  });
  const stopSpoolmanReports = spoolman.start(bus);
  // Spool lists show printer names.
  bus.on('printer_config', () => spoolListCache.bump());
  const bambu = new BambuService(printers, slotsRepository, commands, live, audit, slotMatcher);
  const jobTracker = new JobTracker(
    { jobs: printJobsRepository, printers: printersRepository, nozzles: nozzlesRepository },
    bus,
    fleetLogger,
  );
  // Running prints' progress comes from the tracker; print_jobs has it about once a minute.
  const printJobs = new PrintJobsService(printJobsRepository, jobTracker);
  const persister = new StatePersister(printersRepository, bus, live, fleetLogger);
  const sampler = new TemperatureSampler(historyRepository, live, fleetLogger, {
    ...DEFAULT_SAMPLER_OPTIONS,
    historyEveryMs: config.fleet.historyEveryMs,
  });
  const historyRecorder = new HistoryRecorder(historyRepository, bus, fleetLogger);
  app.addHook('onClose', async () => {
    await fleet.stop();
    stopSpoolmanReports();
    await slotMatcher.stop();
    await jobTracker.stop();
    await historyRecorder.stop();
    await persister.stop();
    await sampler.stop();
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
  usersRoutes(app, { users });
  setupRoutes(app, { setup, auth, printers, commands });
  permissionsRoutes(app, { permissions });
  brandingRoutes(app, { branding });
  systemRoutes(app, { database, settings });
  auditRoutes(app, { audit });
  printersRoutes(app, { printers, commands, live, history });
  printJobsRoutes(app, { printJobs });
  bambuRoutes(app, { bambu, printers, commands, live, history });
  statsRoutes(app, { printers, printJobs, live });
  filamentsRoutes(app, { filaments, combined: combinedFilaments, thresholds });
  spoolsRoutes(app, { spools, matcher: slotMatcher, listCache: spoolListCache });
  spoolmanRoutes(app, { spoolman });
  printFilesRoutes(app, { files: printFiles });
  modelsRoutes(app, { models });
  pricingRoutes(app, { pricing });
  searchRoutes(app, { printers, models, files: printFiles, spools });
  await liveRoutes(app, { bus, authenticator, live, apiKey: config.apiKey, printerNames: () => printers.names() });

  await registerWebApp(app, config.webDir);

  const startFleet = async () => {
    await jobTracker.start();
    await historyRecorder.start();
    persister.start();
    sampler.start();
    slotMatcher.start();
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
      spools,
      slotMatcher,
    },
  };
}
