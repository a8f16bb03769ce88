import path from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Every test runs on SQLite; with ODIN_TEST_DATABASE_URL set (CI sets it) the server suite runs again on PostgreSQL.
const postgres = Boolean(process.env['ODIN_TEST_DATABASE_URL']);
const serverTests = ['server/src/**/*.test.ts', 'server/test/**/*.test.ts', 'simulators/src/**/*.test.ts'];
const webSrc = path.resolve(import.meta.dirname, 'web/src');

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: serverTests, env: { ODIN_TEST_DB: 'sqlite' } } },
      ...(postgres
        ? [{ extends: true as const, test: { name: 'postgres', include: serverTests, env: { ODIN_TEST_DB: 'postgres' } } }]
        : []),
      // Component tests of the web app (jsdom).
      {
        extends: true,
        plugins: [react()],
        resolve: { alias: { '@': webSrc } },
        test: { name: 'web', include: ['web/src/**/*.test.{ts,tsx}'], environment: 'jsdom' },
      },
      // The built web app in Debian's Chromium against the real server and simulators.
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['web/e2e/**/*.e2e.ts'],
          env: { ODIN_TEST_DB: 'sqlite' },
          fileParallelism: false,
          testTimeout: 90_000,
        },
      },
    ],
  },
});
