/**
 * `npm run bench [-- <suite> [suite args]]` — benchmarks that print figures comparable run to run.
 * Each suite lives in bench/suites/<name>.ts and default-exports a Suite; register it below.
 * Figures go to stdout (and bench/results/, git-ignored); progress goes to stderr.
 */
import { describeError, runCleanups } from './lib/cleanup.js';
import { BenchError } from './lib/odin-server.js';
import type { Suite } from './lib/suite.js';

interface SuiteEntry {
  description: string;
  load: () => Promise<Suite>;
}

const SUITES: Record<string, SuiteEntry> = {
  api: {
    description: 'HTTP API req/s and latency (GET /api/auth/me, GET /api/users) against the built server in its own process',
    load: async () => (await import('./suites/api.js')).default,
  },
  fleet: {
    description:
      'live fleet cost: server CPU/RSS, /ws bytes and latency with 100 Moonraker, 100 Moonraker + 100 PrusaLink, then 1,000 mixed printers (with time to all online after a restart)',
    load: async () => (await import('./suites/fleet.js')).default,
  },
  inventory: {
    description:
      'inventory cost: GET /api/spools with 10,000 spools (p99), and uploading + parsing a ~46 MiB four-plate 3MF (time, server memory)',
    load: async () => (await import('./suites/inventory.js')).default,
  },
  web: {
    description:
      'web app cost in Chromium: dashboard JS (gzip), navigation to 200 live printer cards, long tasks while they update at 1 Hz',
    load: async () => (await import('./suites/web.js')).default,
  },
};

const DEFAULT_SUITE = 'api';

function usage(): string {
  const width = Math.max(...Object.keys(SUITES).map((name) => name.length));
  const list = Object.entries(SUITES)
    .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.description}${name === DEFAULT_SUITE ? ' (default)' : ''}`)
    .join('\n');
  return `Usage: npm run bench [-- <suite>]\n\nSuites:\n${list}`;
}

async function main(argv: string[]): Promise<number> {
  const [name = DEFAULT_SUITE, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const entry = Object.hasOwn(SUITES, name) ? SUITES[name] : undefined;
  if (!entry) {
    console.error(`Unknown suite "${name}".\n\n${usage()}`);
    return 2;
  }
  const suite = await entry.load();
  return suite.run({ args, progress: (message) => process.stderr.write(`bench: ${message}\n`) });
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `bench: ${error instanceof BenchError ? error.message : error instanceof Error ? (error.stack ?? error.message) : describeError(error)}\n`,
  );
  code = 1;
} finally {
  await runCleanups();
}
process.exit(code);
