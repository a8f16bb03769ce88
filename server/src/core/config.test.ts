import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config.js';

describe('configuration from the environment', () => {
  it('defaults to port 8000, ./data and the embedded SQLite database', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8000);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.apiKey).toBe('');
  });

  it('honours ODIN_* variables and the original names as aliases', () => {
    const config = loadConfig({
      ODIN_PORT: '9001',
      ODIN_DATA_DIR: '/srv/odin',
      DATABASE_URL: 'postgres://u@db/odin',
      API_KEY: 'k',
      JWT_SECRET_KEY: 'x'.repeat(40),
    });
    expect(config).toMatchObject({
      port: 9001,
      dataDir: '/srv/odin',
      databaseUrl: 'postgres://u@db/odin',
      apiKey: 'k',
      jwtSecret: 'x'.repeat(40),
    });
    expect(loadConfig({ ODIN_API_KEY: 'a', API_KEY: 'b' }).apiKey).toBe('a');
  });

  it('reports every bad value at once, each in words', () => {
    let error: unknown;
    try {
      loadConfig({
        ODIN_PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        ODIN_LOG_LEVEL: 'loud',
        ODIN_ADMIN_USERNAME: 'admin',
        JWT_SECRET_KEY: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/ODIN_PORT must be a whole number/);
    expect(problems).toMatch(/DATABASE_URL must start with postgres/);
    expect(problems).toMatch(/ODIN_LOG_LEVEL/);
    expect(problems).toMatch(/ODIN_ADMIN_PASSWORD must be set together/);
    expect(problems).toMatch(/JWT_SECRET_KEY must be at least 32/);
  });

  it('reads the Bambu CA file at start: each certificate of the bundle, or a config error in words', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odin-ca-'));
    const cert = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
    const bundle = path.join(dir, 'bundle.pem');
    fs.writeFileSync(bundle, `# two CAs\n${cert('AAAA')}\n\n${cert('BBBB')}\n`);
    const notPem = path.join(dir, 'key.txt');
    fs.writeFileSync(notPem, 'not a certificate');

    expect(loadConfig({}).fleet.bambuCaCertificates).toBeUndefined();
    expect(loadConfig({ ODIN_BAMBU_CA_FILE: bundle }).fleet.bambuCaCertificates).toEqual([cert('AAAA'), cert('BBBB')]);
    expect(() => loadConfig({ ODIN_BAMBU_CA_FILE: notPem })).toThrow(/ODIN_BAMBU_CA_FILE .*key\.txt holds no PEM certificate/);
    expect(() => loadConfig({ ODIN_BAMBU_CA_FILE: path.join(dir, 'missing.pem') })).toThrow(
      /ODIN_BAMBU_CA_FILE .*missing\.pem cannot be read/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('derives the fleet timings from the silence limit', () => {
    expect(loadConfig({}).fleet).toMatchObject({ offlineAfterMs: 90_000, keepaliveMs: 20_000, watchdogIntervalMs: 5_000 });
    // Short limits (tests, benches): three keepalives and six watchdog looks per limit, never below 250 ms.
    expect(loadConfig({ ODIN_PRINTER_OFFLINE_SECONDS: '3' }).fleet).toMatchObject({ keepaliveMs: 1_000, watchdogIntervalMs: 500 });
    expect(loadConfig({ ODIN_PRINTER_OFFLINE_SECONDS: '1' }).fleet).toMatchObject({ keepaliveMs: 333, watchdogIntervalMs: 250 });
  });

  it('keeps refresh tokens 30 days unless ODIN_REFRESH_TOKEN_DAYS says otherwise (fractions allowed)', () => {
    const day = 24 * 60 * 60 * 1000;
    expect(loadConfig({}).refreshTokenLifetimeMs).toBe(30 * day);
    expect(loadConfig({ ODIN_REFRESH_TOKEN_DAYS: '7' }).refreshTokenLifetimeMs).toBe(7 * day);
    expect(loadConfig({ ODIN_REFRESH_TOKEN_DAYS: '0.5' }).refreshTokenLifetimeMs).toBe(day / 2);
    for (const bad of ['0', '-1', 'a month', '366']) {
      expect(() => loadConfig({ ODIN_REFRESH_TOKEN_DAYS: bad }), bad).toThrow(/ODIN_REFRESH_TOKEN_DAYS must be a number greater than 0/);
    }
  });
});
