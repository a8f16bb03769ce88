/**
 * `api` suite: HTTP throughput and latency of authenticated JSON routes against a real ODIN server
 * running as its own process (fresh SQLite data dir, default log level), loaded by autocannon from
 * this process.
 */
import autocannon from 'autocannon';

import { BenchError, buildServer, delay, logFileSize, login, type StartedServer, startServer } from '../lib/odin-server.js';
import { MachineCpu, OwnCpu, ProcessSampler, type ProcessStats } from '../lib/process-sampler.js';
import { describeEnvironment, environment, fixed, int, table, writeResults } from '../lib/report.js';
import type { Suite, SuiteContext } from '../lib/suite.js';

const ADMIN = { username: 'admin', password: 'BenchAdm1n' } as const;
const USER_PASSWORD = 'Bench1Password';
const EXTRA_USERS = 20;

/** Other processes' CPU (% of one core) above which a row is flagged as measured on a busy machine. */
const NOISY_NEIGHBOUR_PERCENT = 15;

const LOAD = { connections: 50, pipelining: 1, warmupSeconds: 3, durationSeconds: 10 } as const;

interface RouteSpec {
  path: string;
  target?: { minRequestsPerSecond: number; maxP99Ms: number };
}

const ROUTES: RouteSpec[] = [{ path: '/api/auth/me', target: { minRequestsPerSecond: 5000, maxP99Ms: 20 } }, { path: '/api/users' }];

interface RouteResult {
  method: 'GET';
  path: string;
  requestsPerSecond: { average: number; stddev: number; min: number; max: number };
  totalRequests: number;
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  throughputBytesPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  server: ProcessStats | null;
  loadGeneratorCpuPercent: number;
  /** Everything else running on the machine meanwhile (machine busy − server − bench), % of one core; null without /proc. */
  otherProcessesCpuPercent: number | null;
  target?: {
    minRequestsPerSecond: number;
    maxP99Ms: number;
    requestsPerSecondMet: boolean;
    p99Met: boolean;
    /** False when any response was not 2xx or any request failed: the figures would not mean much. */
    clean: boolean;
    pass: boolean;
  };
}

async function run(context: SuiteContext): Promise<number> {
  const startedAt = new Date();
  const env = environment();

  context.progress('building the server (npm run build -w @odin/server)…');
  await buildServer();

  context.progress('starting the server…');
  const server = await startServer({ admin: ADMIN });
  try {
    context.progress(`server up at ${server.url} (pid ${server.pid}); logging in and creating ${EXTRA_USERS} users…`);
    const token = await login(server.url, ADMIN.username, ADMIN.password);
    await createUsers(server.url, token);
    await checkRoutes(server, token);

    const results: RouteResult[] = [];
    for (const route of ROUTES) {
      context.progress(`GET ${route.path}: ${LOAD.warmupSeconds} s warm-up…`);
      await load(server.url, route.path, token, LOAD.warmupSeconds);
      await delay(500);
      context.progress(`GET ${route.path}: ${LOAD.durationSeconds} s measured, ${LOAD.connections} connections…`);
      results.push(await measure(server, route, token));
      await delay(500);
    }
    const serverLogBytes = logFileSize(server.logFile);

    print(env, results, serverLogBytes);
    const file = writeResults('api', startedAt, {
      suite: 'api',
      startedAt: startedAt.toISOString(),
      environment: env,
      load: LOAD,
      server: { url: server.url, logLevel: 'info', logBytes: serverLogBytes, users: EXTRA_USERS + 1 },
      routes: results,
    });
    process.stdout.write(`\nresults written to ${file}\n`);
    return 0;
  } finally {
    context.progress('stopping the server…');
    await server.stop();
  }
}

async function createUsers(url: string, token: string): Promise<void> {
  const create = async (n: number) => {
    const username = `bench-user-${String(n).padStart(2, '0')}`;
    const response = await fetch(`${url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ username, email: `${username}@farm.example`, password: USER_PASSWORD, role: 'viewer' }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new BenchError(`creating ${username} failed: ${response.status} ${text}`);
  };
  // A few at a time: each one is a bcrypt hash on the server's thread pool.
  for (let n = 1; n <= EXTRA_USERS; n += 4) {
    await Promise.all([n, n + 1, n + 2, n + 3].filter((i) => i <= EXTRA_USERS).map(create));
  }
}

/** One request per route before loading it, so a 401 or an empty list fails loudly instead of benchmarking an error. */
async function checkRoutes(server: StartedServer, token: string): Promise<void> {
  for (const route of ROUTES) {
    const response = await fetch(`${server.url}${route.path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (response.status !== 200) throw new BenchError(`GET ${route.path} answered ${response.status}: ${text}`);
    if (route.path === '/api/users') {
      const body: unknown = JSON.parse(text);
      if (!Array.isArray(body) || body.length < EXTRA_USERS + 1) {
        throw new BenchError(`GET /api/users returned ${Array.isArray(body) ? body.length : 'no'} users, expected ${EXTRA_USERS + 1}`);
      }
    }
  }
}

function load(url: string, path: string, token: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}${path}`,
    method: 'GET',
    headers: { authorization: `Bearer ${token}` },
    connections: LOAD.connections,
    pipelining: LOAD.pipelining,
    duration: seconds,
  });
}

async function measure(server: StartedServer, route: RouteSpec, token: string): Promise<RouteResult> {
  const sampler = new ProcessSampler(server.pid);
  const own = new OwnCpu();
  const machine = new MachineCpu();
  sampler.start();
  own.start();
  machine.start();
  const result = await load(server.url, route.path, token, LOAD.durationSeconds);
  const machinePercent = machine.stopPercent();
  const loadGeneratorCpuPercent = own.stopPercent();
  const serverStats = sampler.stop();
  const otherProcessesCpuPercent =
    machinePercent === null || serverStats === null
      ? null
      : Math.max(0, machinePercent - serverStats.cpuAvgPercent - loadGeneratorCpuPercent);

  const figures: RouteResult = {
    method: 'GET',
    path: route.path,
    requestsPerSecond: {
      average: result.requests.average,
      stddev: result.requests.stddev,
      min: result.requests.min,
      max: result.requests.max,
    },
    totalRequests: result.requests.total,
    latencyMs: {
      average: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    throughputBytesPerSecond: result.throughput.average,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
    server: serverStats,
    loadGeneratorCpuPercent,
    otherProcessesCpuPercent,
  };
  if (route.target) {
    const requestsPerSecondMet = figures.requestsPerSecond.average >= route.target.minRequestsPerSecond;
    const p99Met = figures.latencyMs.p99 < route.target.maxP99Ms;
    const clean = figures.non2xx === 0 && figures.errors === 0;
    figures.target = { ...route.target, requestsPerSecondMet, p99Met, clean, pass: requestsPerSecondMet && p99Met && clean };
  }
  return figures;
}

function print(env: ReturnType<typeof environment>, results: RouteResult[], serverLogBytes: number): void {
  const out: string[] = [];
  out.push('');
  out.push(`ODIN bench · api · ${describeEnvironment(env)}`);
  out.push(
    `autocannon: ${LOAD.connections} connections, pipelining ${LOAD.pipelining}, ${LOAD.warmupSeconds} s warm-up + ${LOAD.durationSeconds} s measured per route; ` +
      `server log level info (${fixed(serverLogBytes / 1024 / 1024)} MB of log written); server and load generator share this machine`,
  );
  out.push('CPU is % of one core; bench = the load generator (this process), other = everything else on the machine.');
  out.push('');
  out.push(
    table(
      ['route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'server CPU avg/peak', 'server RSS avg/peak', 'bench CPU', 'other CPU'],
      results.map((r) => [
        `GET ${r.path}`,
        int(r.requestsPerSecond.average),
        r.latencyMs.p50,
        r.latencyMs.p99,
        int(r.non2xx),
        int(r.errors),
        r.server ? `${int(r.server.cpuAvgPercent)}% / ${int(r.server.cpuPeakPercent)}%` : 'n/a',
        r.server ? `${int(r.server.rssAvgMb)} / ${int(r.server.rssPeakMb)} MB` : 'n/a',
        `${int(r.loadGeneratorCpuPercent)}%`,
        r.otherProcessesCpuPercent === null ? 'n/a' : `${int(r.otherProcessesCpuPercent)}%`,
      ]),
    ),
  );
  out.push('');
  for (const r of results) {
    if (!r.target) continue;
    const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    out.push(
      `target GET ${r.path}: req/s ≥ ${int(r.target.minRequestsPerSecond)} → ${int(r.requestsPerSecond.average)} ${mark(r.target.requestsPerSecondMet)}` +
        ` · p99 < ${r.target.maxP99Ms} ms → ${r.latencyMs.p99} ms ${mark(r.target.p99Met)}` +
        (r.target.clean ? '' : ` · ${int(r.non2xx)} non-2xx / ${int(r.errors)} errors MISS`) +
        ` · overall ${mark(r.target.pass)}`,
    );
  }
  for (const r of results) {
    if (r.non2xx > 0 || r.errors > 0)
      out.push(`warning: GET ${r.path} had ${int(r.non2xx)} non-2xx responses and ${int(r.errors)} errors — its figures measure failures`);
  }
  for (const r of results) {
    if (r.otherProcessesCpuPercent !== null && r.otherProcessesCpuPercent > NOISY_NEIGHBOUR_PERCENT) {
      out.push(
        `warning: other processes used ${int(r.otherProcessesCpuPercent)}% CPU during GET ${r.path} — this machine was not quiet, so that row is not comparable to a quiet run`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

const suite: Suite = { run };
export default suite;
