import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface OdinConfig {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` to run on PostgreSQL; undefined means the embedded SQLite file in dataDir. */
  databaseUrl: string | undefined;
  /** Perimeter key; empty string disables the perimeter. */
  apiKey: string;
  /** Overrides for the secrets otherwise generated into dataDir on first start. */
  jwtSecret: string | undefined;
  encryptionKey: string | undefined;
  bootstrapAdmin: { username: string; password: string; email: string | null } | undefined;
  bcryptRounds: number;
  /**
   * How long a refresh token stays usable without being used. Each refresh issues a new token with
   * the full lifetime again (sliding), so a kiosk that refreshes daily stays signed in.
   */
  refreshTokenLifetimeMs: number;
  logLevel: LogLevel;
  webDir: string;
  /** Reverse proxies to trust for the client address: false, a hop count, or addresses/CIDRs. */
  trustProxy: false | number | string;
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: number;
  /** Deadline for one request to Spoolman: a slow or down Spoolman answers 502 after this. */
  spoolmanTimeoutMs: number;
  /** Largest print file upload (3MF, G-code), bytes. */
  maxUploadBytes: number;
  fleet: {
    /** A printer silent this long is offline. */
    offlineAfterMs: number;
    /** How often the supervisor looks for silent printers (derived from offlineAfterMs). */
    watchdogIntervalMs: number;
    /** Keepalive interval for push protocols (derived from offlineAfterMs). */
    keepaliveMs: number;
    /** Poll interval for protocols without push (PrusaLink). */
    pollIntervalMs: number;
    /** Time limit for one request or connection attempt to a printer. */
    requestTimeoutMs: number;
    reconnectBaseMs: number;
    reconnectMaxMs: number;
    /** One printer_telemetry history row per printing printer this often. */
    historyEveryMs: number;
    /** The certificates of ODIN_BAMBU_CA_FILE, trusted for printer TLS (Bambu) on top of the built-in CAs; undefined when unset. */
    bambuCaCertificates: string[] | undefined;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

type Env = Record<string, string | undefined>;

/** Reads ODIN_* variables (and the original ODIN's names as aliases), reporting every bad value at once. */
export function loadConfig(env: Env = process.env, overrides: Partial<OdinConfig> = {}): OdinConfig {
  const problems: string[] = [];
  const get = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const positive = (name: string, fallback: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > max) {
      problems.push(`${name} must be a number greater than 0 and at most ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const databaseUrl = get('ODIN_DATABASE_URL', 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)');
  }

  const logLevel = (get('ODIN_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`ODIN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const adminUsername = get('ODIN_ADMIN_USERNAME');
  const adminPassword = get('ODIN_ADMIN_PASSWORD');
  if ((adminUsername === undefined) !== (adminPassword === undefined)) {
    problems.push('ODIN_ADMIN_USERNAME and ODIN_ADMIN_PASSWORD must be set together');
  }

  const jwtSecret = get('ODIN_JWT_SECRET', 'JWT_SECRET_KEY');
  if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push('JWT_SECRET_KEY must be at least 32 characters');

  const offlineAfterMs = int('ODIN_PRINTER_OFFLINE_SECONDS', 90, 1, 3600) * 1000;
  const config: OdinConfig = {
    port: int('ODIN_PORT', 8000, 0, 65535),
    host: get('ODIN_HOST') ?? '0.0.0.0',
    dataDir: path.resolve(get('ODIN_DATA_DIR') ?? 'data'),
    databaseUrl,
    apiKey: get('ODIN_API_KEY', 'API_KEY') ?? '',
    jwtSecret,
    encryptionKey: get('ODIN_ENCRYPTION_KEY', 'ENCRYPTION_KEY'),
    bootstrapAdmin:
      adminUsername !== undefined && adminPassword !== undefined
        ? { username: adminUsername, password: adminPassword, email: get('ODIN_ADMIN_EMAIL') ?? null }
        : undefined,
    bcryptRounds: int('ODIN_BCRYPT_ROUNDS', 12, 4, 15),
    // Fractions are allowed ("0.5" is 12 hours); tests use a lifetime of seconds.
    refreshTokenLifetimeMs: Math.round(positive('ODIN_REFRESH_TOKEN_DAYS', 30, 365) * DAY_MS),
    logLevel,
    webDir: path.resolve(get('ODIN_WEB_DIR') ?? path.join(REPO_ROOT, 'web', 'dist')),
    trustProxy: trustProxy(get('ODIN_TRUST_PROXY'), problems),
    bodyLimit: int('ODIN_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    spoolmanTimeoutMs: int('ODIN_SPOOLMAN_TIMEOUT_MS', 4000, 100, 60_000),
    maxUploadBytes: int('ODIN_MAX_UPLOAD_MB', 500, 1, 8192) * 1024 * 1024,
    fleet: {
      offlineAfterMs,
      // Six looks per silence limit (bounded), so an offline printer is noticed within a sixth of it.
      watchdogIntervalMs: Math.max(250, Math.min(5_000, Math.floor(offlineAfterMs / 6))),
      // Three keepalives fit in the silence limit, so one lost pong never takes a printer offline.
      keepaliveMs: Math.min(20_000, Math.floor(offlineAfterMs / 3)),
      pollIntervalMs: int('ODIN_PRINTER_POLL_MS', 2000, 20, 60_000),
      requestTimeoutMs: int('ODIN_PRINTER_TIMEOUT_MS', 10_000, 100, 120_000),
      reconnectBaseMs: int('ODIN_RECONNECT_BASE_MS', 1000, 10, 60_000),
      reconnectMaxMs: int('ODIN_RECONNECT_MAX_SECONDS', 60, 1, 3600) * 1000,
      historyEveryMs: int('ODIN_TELEMETRY_HISTORY_SECONDS', 60, 1, 3600) * 1000,
      bambuCaCertificates: caCertificates(get('ODIN_BAMBU_CA_FILE'), problems),
    },
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The certificates of a PEM bundle file, one string each; a missing or certificate-less file is a problem. */
function caCertificates(file: string | undefined, problems: string[]): string[] | undefined {
  if (file === undefined) return undefined;
  let bundle: string;
  try {
    bundle = fs.readFileSync(file, 'utf8');
  } catch {
    problems.push(`ODIN_BAMBU_CA_FILE ${file} cannot be read`);
    return undefined;
  }
  const certificates = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) problems.push(`ODIN_BAMBU_CA_FILE ${file} holds no PEM certificate`);
  return certificates;
}

/**
 * `true` trusts exactly one proxy in front of ODIN (the address it appended), never the whole
 * X-Forwarded-For chain a client could have written; a number trusts that many hops; anything
 * else is a comma-separated list of proxy addresses or CIDR ranges.
 */
function trustProxy(raw: string | undefined, problems: string[]): false | number | string {
  if (raw === undefined || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(1|true|yes|on)$/i.test(raw)) return 1;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^[0-9a-fA-F:.,/\s]+$/.test(raw)) return raw.replace(/\s+/g, '');
  problems.push(`ODIN_TRUST_PROXY must be true/false, a hop count, or proxy addresses (got "${raw}")`);
  return false;
}
