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
