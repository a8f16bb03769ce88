import type { OdinBus } from '../events.js';
import type { DiscoveredCamera, DriverListener, DriverLogger, DriverOptions, PrinterConnection, PrinterDriver } from './driver.js';
import type { DriverRegistry } from './driver-registry.js';
import type { LiveStates } from './live-states.js';

export interface FleetOptions {
  /** A printer that says nothing for this long is offline (the session is torn down and rebuilt). */
  offlineAfterMs: number;
  watchdogIntervalMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  driver: Omit<DriverOptions, 'logger'>;
}

export const DEFAULT_FLEET_OPTIONS: FleetOptions = {
  offlineAfterMs: 90_000,
  watchdogIntervalMs: 5_000,
  reconnectBaseMs: 1_000,
  reconnectMaxMs: 60_000,
  driver: {},
};

interface Entry {
  connection: PrinterConnection;
  driver: PrinterDriver | null;
  /** Bumped on every new session; callbacks of an older session are ignored. */
  session: number;
  attempt: number;
  timer: NodeJS.Timeout | null;
  phase: 'connecting' | 'online' | 'waiting';
}

export interface FleetLogger extends DriverLogger {
  child(bindings: Record<string, unknown>): FleetLogger;
}

/**
 * Owns every printer connection: connects all printers concurrently at boot, reconnects with
 * exponential backoff and jitter, declares a silent printer offline, follows printers being
 * added, edited and deleted through the API, and shuts everything down cleanly.
 */
export class FleetSupervisor {
  readonly #entries = new Map<number, Entry>();
  #watchdog: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly deps: {
      registry: DriverRegistry;
      live: LiveStates;
      bus: OdinBus;
      logger: FleetLogger;
      /** Connections of the active printers that have a protocol (all, or one by id). */
      loadConnections: (printerId?: number) => Promise<PrinterConnection[]>;
      /** Cameras a printer announced when its session came up. */
      onCameras?: (printerId: number, cameras: DiscoveredCamera[]) => Promise<void>;
      options?: Partial<FleetOptions>;
    },
  ) {
    this.#unsubscribe = deps.bus.on('printer_config', ({ printerId }) => {
      void this.refresh(printerId).catch((error: unknown) => deps.logger.error({ err: error, printerId }, 'printer refresh failed'));
    });
  }

  get options(): FleetOptions {
    return { ...DEFAULT_FLEET_OPTIONS, ...this.deps.options, driver: { ...DEFAULT_FLEET_OPTIONS.driver, ...this.deps.options?.driver } };
  }

  async start(): Promise<void> {
    const connections = await this.deps.loadConnections();
    for (const connection of connections) this.#add(connection);
    const { watchdogIntervalMs } = this.options;
    this.#watchdog = setInterval(() => this.#checkSilence(), watchdogIntervalMs);
    this.#watchdog.unref();
  }

  /** Picks up a printer added, changed or deleted through the API. */
  async refresh(printerId: number): Promise<void> {
    if (this.#stopped) return;
    const [connection] = await this.deps.loadConnections(printerId);
    const existing = this.#entries.get(printerId);
    if (existing && connection && sameConnection(existing.connection, connection)) return;
    if (existing) await this.#remove(printerId);
    if (connection) this.#add(connection);
    else this.deps.live.remove(printerId);
  }

  /** The driver of a connected printer, or null when it is not online. */
  driverFor(printerId: number): PrinterDriver | null {
    const entry = this.#entries.get(printerId);
    return entry?.phase === 'online' ? entry.driver : null;
  }

  isManaged(printerId: number): boolean {
    return this.#entries.has(printerId);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe();
    if (this.#watchdog) clearInterval(this.#watchdog);
    await Promise.all([...this.#entries.keys()].map((id) => this.#remove(id)));
  }

  #add(connection: PrinterConnection): void {
    if (!this.deps.registry[connection.apiType]) {
      // Known protocol without a driver in this version: tracked as offline, never connected.
      this.deps.live.apply(connection.printerId, { status: 'offline', online: false, stage: `No ${connection.apiType} driver yet` });
      return;
    }
    const entry: Entry = { connection, driver: null, session: 0, attempt: 0, timer: null, phase: 'waiting' };
    this.#entries.set(connection.printerId, entry);
    this.deps.live.apply(connection.printerId, { status: 'offline', online: false });
    void this.#connect(entry);
  }

  async #remove(printerId: number): Promise<void> {
    const entry = this.#entries.get(printerId);
    if (!entry) return;
    this.#entries.delete(printerId);
    entry.session++;
    if (entry.timer) clearTimeout(entry.timer);
    const driver = entry.driver;
    entry.driver = null;
    await driver?.close().catch(() => undefined);
  }

  async #connect(entry: Entry): Promise<void> {
    const module = this.deps.registry[entry.connection.apiType];
    if (!module || this.#stopped) return;
    const session = ++entry.session;
    const printerId = entry.connection.printerId;
    const logger = this.deps.logger.child({ printerId, protocol: entry.connection.apiType });
    entry.phase = 'connecting';
    entry.timer = null;
    // A fresh driver per session, so its first emission is a complete state.
    let driver: PrinterDriver;
    try {
      driver = module.create(entry.connection, { ...this.options.driver, logger });
    } catch (error) {
      this.#lost(entry, session, errorMessage(error));
      return;
    }
    entry.driver = driver;
    const current = () => session === entry.session && this.#entries.get(printerId) === entry;
    const listener: DriverListener = {
      onState: (patch) => {
        if (!current()) return;
        this.deps.live.touch(printerId);
        this.deps.live.apply(printerId, patch);
      },
      onAlive: () => {
        if (current()) this.deps.live.touch(printerId);
      },
      onDisconnect: (reason) => {
        if (current()) this.#lost(entry, session, reason);
      },
    };
    try {
      await driver.connect(listener);
    } catch (error) {
      if (current()) this.#lost(entry, session, errorMessage(error));
      return;
    }
    if (!current()) {
      await driver.close().catch(() => undefined);
      return;
    }
    entry.phase = 'online';
    entry.attempt = 0;
    this.deps.live.touch(printerId);
    this.deps.live.apply(printerId, { online: true });
    logger.info({}, 'printer connected');
    if (driver.discoverCameras && this.deps.onCameras) {
      const onCameras = this.deps.onCameras;
      driver
        .discoverCameras()
        .then((cameras) => (current() ? onCameras(printerId, cameras) : undefined))
        .catch((error: unknown) => logger.debug({ err: errorMessage(error) }, 'camera discovery failed'));
    }
  }

  /** The session ended or never started: mark offline, close what is left, try again later. */
  #lost(entry: Entry, session: number, reason: string): void {
    if (session !== entry.session || this.#stopped) return;
    entry.session++;
    const printerId = entry.connection.printerId;
    const wasOnline = entry.phase === 'online';
    const driver = entry.driver;
    entry.driver = null;
    entry.phase = 'waiting';
    void driver?.close().catch(() => undefined);
    this.deps.live.apply(printerId, { status: 'offline', online: false, stage: reason });
    const { reconnectBaseMs, reconnectMaxMs } = this.options;
    const ceiling = Math.min(reconnectMaxMs, reconnectBaseMs * 2 ** Math.min(entry.attempt, 16));
    // Full jitter on the upper half, so a farm that lost power doesn't reconnect in lock-step.
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    entry.attempt++;
    const details = { printerId, reason, retryInMs: delay };
    if (wasOnline) this.deps.logger.warn(details, 'printer connection lost');
    else this.deps.logger.debug(details, 'printer connection lost');
    entry.timer = setTimeout(() => void this.#connect(entry), delay);
    entry.timer.unref();
  }

  #checkSilence(): void {
    const now = Date.now();
    const { offlineAfterMs } = this.options;
    for (const entry of this.#entries.values()) {
      if (entry.phase !== 'online') continue;
      const seen = this.deps.live.lastSeen(entry.connection.printerId) ?? 0;
      if (now - seen > offlineAfterMs) {
        this.#lost(entry, entry.session, `No word from the printer for ${Math.round(offlineAfterMs / 1000)} s`);
      }
    }
  }
}

function sameConnection(a: PrinterConnection, b: PrinterConnection): boolean {
  return (
    a.apiType === b.apiType &&
    a.host === b.host &&
    a.port === b.port &&
    a.apiKey === b.apiKey &&
    a.username === b.username &&
    a.password === b.password
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
