import { defineConfig } from 'vitest/config';

// Every test runs on SQLite; with ODIN_TEST_DATABASE_URL set (CI sets it) the server suite runs again on PostgreSQL.
const postgres = Boolean(process.env['ODIN_TEST_DATABASE_URL']);
const serverTests = ['server/src/**/*.test.ts', 'server/test/**/*.test.ts', 'simulators/src/**/*.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: serverTests, env: { ODIN_TEST_DB: 'sqlite' } } },
      ...(postgres ? [{ extends: true, test: { name: 'postgres', include: serverTests, env: { ODIN_TEST_DB: 'postgres' } } }] : []),
    ],
  },
});
