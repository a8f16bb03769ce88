/**
 * `fleet` suite: what a live fleet costs the server. A simulated farm (simulators/src/farm-cli.ts,
 * one or more processes of its own) and the ODIN server (its own process, fresh data dir, log level
 * info) run side by side; every farm printer is added through the API and ONE /ws client follows
 * the whole fleet. After all printers are online and a settle period, a measured window gives the
 * server's CPU and RSS, what the /ws client receives (bytes/s, messages/s), end-to-end latency from
 * a simulator push to the /ws message, and whether a printing printer was ever reported as
 * anything else.
 *
 * Latency: every ~200 ms the bench asks the farm (IPC) to set a fresh bed target on a random
 * printing Moonraker or Bambu printer; the farm answers with process.hrtime.bigint() taken when the
 * push carrying it was written to the server's socket (Moonraker) or published to the printer's
 * MQTT subscribers (Bambu), and the bench stamps the /ws message carrying that bed_target_temp
 * with its own hrtime (CLOCK_MONOTONIC is one clock for every process on the machine). That
 * excludes the simulator's push cadence: it is the server's own delay.
 *
 * Run 4 (issues 4 and 14) also restarts the server once the printers are in its database and times how
 * long the fresh process takes from spawn until every printer is reported online.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { onCleanup } from '../lib/cleanup.js';
import { findProfile, type ProfileSummary, summariseProfile } from '../lib/cpu-profile.js';
import { addFarmPrinter } from '../lib/farm-printers.js';
import { type FarmPrinter, type FarmStats, type StartedFarm, startFarm } from '../lib/farm-process.js';
import { openFileLimit } from '../lib/fd-limit.js';
import { LiveClient, type ReceivedMessage } from '../lib/live-client.js';
import { BenchError, buildServer, delay, logFileSize, login, REPO_ROOT, type StartedServer, startServer } from '../lib/odin-server.js';
import { MachineCpu, OwnCpu, ProcessSampler, type ProcessStats } from '../lib/process-sampler.js';
import { describeEnvironment, type Environment, environment, fixed, int, table, writeResults } from '../lib/report.js';
import type { Suite, SuiteContext } from '../lib/suite.js';

const ADMIN = { username: 'admin', password: 'BenchAdm1n' } as const;

/** Other processes' CPU (% of one core) above which a run is flagged as measured on a busy machine. */
const NOISY_NEIGHBOUR_PERCENT = 15;
/** A farm process above this (% of one core) may be starved itself, which would flatter the server. */
const FARM_BUSY_PERCENT = 85;

interface MoonrakerTargets {
  cpuPercent: number;
  rssMb: number;
  clientKBps: number;
  p99Ms: number;
  nonPrinting: number;
}
/** Runs 1 and 2 (issue 14: 100 Moonraker printers with realistic print traffic, one browser watching them all). */
const TARGETS_MOONRAKER_1HZ: MoonrakerTargets = { cpuPercent: 1.5, rssMb: 130, clientKBps: 20, p99Ms: 150, nonPrinting: 0 };
const TARGETS_MOONRAKER_4HZ: MoonrakerTargets = { ...TARGETS_MOONRAKER_1HZ, cpuPercent: 3 };
/** Run 4 (issues 4 and 14: 1,000 mixed printers with realistic defaults, one browser watching them all). */
const TARGETS_MIXED = { allOnlineSeconds: 15, p99Ms: 150, cpuPercent: 8, rssMb: 250, clientKBps: 250 } as const;
/** FDM Monster on this machine, same load as run 1 (100 Moonraker at 1 diff/s), for reference. */
const FDM_MONSTER = { cpuPercent: 4.2, rssMiB: 170, clientKBps: 252 } as const;

/** Statuses a printing printer may be reported with (a print that just ended is `finished`). */
const PRINTING_STATUSES: ReadonlySet<string> = new Set(['printing', 'preparing', 'paused', 'finished']);

const MARK_EVERY_MS = 200;
/** A mark whose /ws message has not come within this long is counted as lost. */
const MARK_GIVE_UP_MS = 5000;
const ALL_ONLINE_TIMEOUT_MS = 180_000;
const PRUSALINK_POLL_MS = 2000;
/** Open files the server needs per printer (its session socket, an HTTP keep-alive or two), with room. */
const SERVER_FILES_PER_PRINTER = 4;

type Protocol = FarmPrinter['api_type'];
const MARKED: ReadonlySet<Protocol> = new Set(['moonraker', 'bambu']);
const PROTOCOL_NAMES: Record<Protocol, string> = { moonraker: 'Moonraker', prusalink: 'PrusaLink', bambu: 'Bambu', elegoo: 'SDCP' };

interface Mix {
  moonraker: number;
  prusalink: number;
  bambu: number;
  sdcp: number;
}

interface RunSpec extends Mix {
  /** 1–4, as --run names it. */
  number: number;
  label: string;
  /** Farm processes the printers are spread over. */
  farms: number;
  /** Moonraker `notify_status_update` cadence (250 ms = Klipper's own, 4 pushes/s). */
  diffIntervalMs: number;
  /** Which targets this run is judged against. */
  judge: { kind: 'moonraker'; targets: MoonrakerTargets } | { kind: 'mixed' } | null;
  /** Add the printers, restart the server, and measure the fresh process (time to all online from spawn). */
  restart: boolean;
}

interface Settings {
  quick: boolean;
  windowSeconds: number;
  settleSeconds: number;
  bambuPushIntervalMs: number;
  printingFraction: number;
  cpuProfile: boolean;
  /** Extra node options for the server (experiments, e.g. --max-semi-space-size=2). */
  serverNodeArgs: string[];
  runs: RunSpec[];
}

interface LatencyFigures {
  /** Marks asked for during the window. */
  marks: number;
  /** Marks with both ends seen. */
  measured: number;
  /** The farm could not apply or push the mark. */
  failed: number;
  /** Pushed, but no /ws message carried it within MARK_GIVE_UP_MS. */
  lost: number;
  minMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

interface ClientFigures {
  /** Raw bytes on the client's TCP socket during the window. */
  bytes: number;
  bytesPerSecond: number;
  messages: number;
  messagesPerSecond: number;
  /** Per message type: count and frame bytes (payload + header). */
  byType: Record<string, { count: number; frameBytes: number }>;
  /** How many delta messages carried each field. */
  fields: Record<string, number>;
  /** Average frame size of printer_state/printer_telemetry messages. */
  averageDeltaFrameBytes: number | null;
  extensions: string;
}

interface FarmFigures {
  processes: number;
  /** Sum over the farm processes, % of one core. */
  cpuAvgPercent: number | null;
  /** The busiest farm process, % of one core. */
  cpuMaxProcessPercent: number | null;
  rssTotalMb: number | null;
  openFileLimit: number | null;
}

interface RunResult extends Mix {
  number: number;
  label: string;
  printing: Record<Protocol, number>;
  /** Runs 1–3: from the first POST /api/printers to all online. Run 4: from the restarted server's spawn to all online. */
  allOnlineSeconds: number;
  allOnlineFrom: 'adding' | 'spawn';
  /** Run 4: how long the first server took from the first POST to all online. */
  onlineAfterAddingSeconds: number | null;
  windowSeconds: number;
  settleSeconds: number;
  server: ProcessStats | null;
  /** The server's RSS right after the window, MiB (V8 sizes its heap down a while after start-up). */
  serverRssEndMb: number | null;
  serverOpenFileLimit: number | null;
  farm: FarmFigures;
  benchCpuPercent: number;
  /** Everything else on the machine (busy − server − farms − bench), % of one core; null without /proc. */
  otherProcessesCpuPercent: number | null;
  client: ClientFigures;
  latency: LatencyFigures;
  latencyByProtocol: Partial<Record<Protocol, LatencyFigures>>;
  /** /ws changes that set a printing printer's status to something else (from "all online" to the window's end). */
  nonPrinting: { count: number; examples: { printer: string; status: string }[] };
  /** Printers reported offline (online: false) during the window. */
  wentOffline: number;
  farmPushesPerSecond: { moonraker: number; bambu: number } | null;
  farmRestarts: number | null;
  serverLogBytesInWindow: number;
  profile: ProfileSummary | null;
  target?: Judgement;
}

interface Judgement {
  rows: { figure: string; target: string; value: string; met: boolean; reference: string }[];
  pass: boolean;
}

function fraction(raw: string | undefined): number {
  if (raw === undefined) return 0.8;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new BenchError(`--printing must be a fraction from 0 to 1 (got "${raw}")`);
  return value;
}

function settingsFrom(args: string[]): Settings | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: 'boolean' },
      window: { type: 'string' },
      settle: { type: 'string' },
      run: { type: 'string' },
      farms: { type: 'string' },
      printing: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'node-arg': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const seconds = (raw: string | undefined, fallback: number, name: string): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > 3600) throw new BenchError(`--${name} must be a number of seconds (got "${raw}")`);
    return value;
  };
  const none = { prusalink: 0, bambu: 0, sdcp: 0 };
  const hz1: RunSpec['judge'] = { kind: 'moonraker', targets: TARGETS_MOONRAKER_1HZ };
  const hz4: RunSpec['judge'] = { kind: 'moonraker', targets: TARGETS_MOONRAKER_4HZ };
  // Moonraker pushes at Klipper's own 250 ms unless a run says 1 Hz; Bambu P1/A1 report every second.
  const runs: RunSpec[] = quick
    ? [
        { number: 1, label: '20 Moonraker @ 1 Hz', ...none, moonraker: 20, farms: 1, diffIntervalMs: 1000, judge: hz1, restart: false },
        { number: 2, label: '20 Moonraker @ 4 Hz', ...none, moonraker: 20, farms: 1, diffIntervalMs: 250, judge: hz4, restart: false },
        {
          number: 3,
          label: '20 mixed (10 Moonraker + 10 PrusaLink)',
          ...none,
          moonraker: 10,
          prusalink: 10,
          farms: 1,
          diffIntervalMs: 250,
          judge: null,
          restart: false,
        },
        // Two farm processes even here, so the split is exercised by the smoke run too.
        {
          number: 4,
          label: '40 mixed (16 Bambu + 12 Moonraker + 8 PrusaLink + 4 SDCP)',
          moonraker: 12,
          prusalink: 8,
          bambu: 16,
          sdcp: 4,
          farms: 2,
          diffIntervalMs: 250,
          judge: { kind: 'mixed' },
          restart: true,
        },
      ]
    : [
        { number: 1, label: '100 Moonraker @ 1 Hz', ...none, moonraker: 100, farms: 1, diffIntervalMs: 1000, judge: hz1, restart: false },
        { number: 2, label: '100 Moonraker @ 4 Hz', ...none, moonraker: 100, farms: 1, diffIntervalMs: 250, judge: hz4, restart: false },
        {
          number: 3,
          label: '200 mixed (100 Moonraker + 100 PrusaLink)',
          ...none,
          moonraker: 100,
          prusalink: 100,
          farms: 1,
          diffIntervalMs: 250,
          judge: null,
          restart: false,
        },
        {
          number: 4,
          label: '1000 mixed (400 Bambu + 300 Moonraker + 200 PrusaLink + 100 SDCP)',
          moonraker: 300,
          prusalink: 200,
          bambu: 400,
          sdcp: 100,
          farms: 2,
          diffIntervalMs: 250,
          judge: { kind: 'mixed' },
          restart: true,
        },
      ];
  let selected = runs;
  if (values.run !== undefined) {
    const wanted = values.run.split(',').map((n) => Number(n.trim()));
    selected = wanted.map((n) => {
      const run = Number.isInteger(n) ? runs[n - 1] : undefined;
      if (!run) throw new BenchError(`--run must be 1, 2, 3 or 4 (or a list such as 1,4; got "${values.run}")`);
      return run;
    });
  }
  if (values.farms !== undefined) {
    const farms = Number(values.farms);
    if (!Number.isInteger(farms) || farms < 1 || farms > 16)
      throw new BenchError(`--farms must be a whole number from 1 to 16 (got "${values.farms}")`);
    selected = selected.map((run) => ({ ...run, farms }));
  }
  return {
    quick,
    windowSeconds: seconds(values.window, quick ? 15 : 60, 'window'),
    settleSeconds: seconds(values.settle, quick ? 5 : 10, 'settle'),
    bambuPushIntervalMs: 1000,
    printingFraction: fraction(values.printing),
    cpuProfile: values['cpu-prof'] === true,
    serverNodeArgs: values['node-arg'] ?? [],
    runs: selected,
  };
}

const USAGE = `Usage: npm run bench -- fleet [--quick] [--window S] [--settle S] [--run N[,N…]] [--farms N] [--printing F] [--cpu-prof] [--node-arg X]…
  --quick      20, 20, 20 and 40 printers, 5 s settle, 15 s window (a smoke run; figures not comparable)
  --window S   measured seconds (default 60)
  --settle S   seconds between "all online" and the window (default 10)
  --run N      only these runs: 1 (100 Moonraker @ 1 Hz), 2 (100 Moonraker @ 4 Hz), 3 (100 Moonraker + 100 PrusaLink),
               4 (1000 mixed: 400 Bambu + 300 Moonraker + 200 PrusaLink + 100 SDCP, server restarted)
  --printing F fraction of each protocol's printers kept printing (default 0.8; 0 = an idle fleet, the baseline)
  --farms N    spread the simulated printers over N farm processes (default 1 for runs 1–3, 2 for run 4)
  --cpu-prof   profile the server (node --cpu-prof) and print where its CPU went in the window;
               profiling costs CPU itself, so those runs are not comparable
  --node-arg X node option for the server process (repeatable), for experiments such as
               --node-arg=--max-semi-space-size=2; such runs are flagged as not default`;

async function run(context: SuiteContext): Promise<number> {
  const settings = settingsFrom(context.args);
  if (settings === 'help') {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date();
  const env = environment();

  context.progress('building the server (npm run build -w @odin/server)…');
  await buildServer();

  const results: RunResult[] = [];
  for (const [index, spec] of settings.runs.entries()) {
    context.progress(`run ${index + 1}/${settings.runs.length}: ${spec.label}`);
    results.push(await measureRun(context, settings, spec, startedAt));
  }

  print(env, settings, results);
  const file = writeResults('fleet', startedAt, {
    suite: 'fleet',
    startedAt: startedAt.toISOString(),
    environment: env,
    openFileLimit: openFileLimit(),
    settings: {
      quick: settings.quick,
      windowSeconds: settings.windowSeconds,
      settleSeconds: settings.settleSeconds,
      bambuPushIntervalMs: settings.bambuPushIntervalMs,
      printingFraction: settings.printingFraction,
      markEveryMs: MARK_EVERY_MS,
      prusaLinkPollMs: PRUSALINK_POLL_MS,
      serverLogLevel: 'info',
      cpuProfile: settings.cpuProfile,
      serverNodeArgs: settings.serverNodeArgs,
    },
    targets: { moonraker1Hz: TARGETS_MOONRAKER_1HZ, moonraker4Hz: TARGETS_MOONRAKER_4HZ, mixed: TARGETS_MIXED },
    fdmMonster: FDM_MONSTER,
    runs: results,
  });
  process.stdout.write(`\nresults written to ${file}\n`);
  return 0;
}

// ---- the farm: one or more processes that make one fleet ---------------------------------------

interface Fleet {
  farms: StartedFarm[];
  printers: FarmPrinter[];
  /** Every farm's Bambu CA, one PEM bundle (null without Bambu printers). */
  bambuCaBundle: string | null;
  mark(name: string, bed: number): Promise<bigint>;
  stats(): Promise<FarmStats>;
  stop(): Promise<void>;
}

/** n split into `parts` nearly equal whole parts (the first ones get the remainder). */
function split(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

async function startFleet(context: SuiteContext, settings: Settings, spec: RunSpec): Promise<Fleet> {
  const parts = Math.max(1, Math.min(spec.farms, spec.moonraker + spec.prusalink + spec.bambu + spec.sdcp));
  const shares = {
    moonraker: split(spec.moonraker, parts),
    prusalink: split(spec.prusalink, parts),
    bambu: split(spec.bambu, parts),
    sdcp: split(spec.sdcp, parts),
  };
  // Names and serials are numbered per farm from `offset`: unique across the fleet (not contiguous).
  const stride = Math.max(...Object.values(shares).map((s) => s[0] ?? 0));
  context.progress(
    `starting the simulated farm (${spec.moonraker} Moonraker, ${spec.prusalink} PrusaLink, ${spec.bambu} Bambu, ${spec.sdcp} SDCP` +
      `${parts > 1 ? ` in ${parts} processes` : ''}; Moonraker diffs every ${spec.diffIntervalMs} ms)…`,
  );
  const started = await Promise.allSettled(
    Array.from({ length: parts }, (_, i) =>
      startFarm({
        moonraker: shares.moonraker[i] ?? 0,
        prusalink: shares.prusalink[i] ?? 0,
        bambu: shares.bambu[i] ?? 0,
        sdcp: shares.sdcp[i] ?? 0,
        offset: i * stride,
        speed: 1,
        diffIntervalMs: spec.diffIntervalMs,
        bambuPushIntervalMs: settings.bambuPushIntervalMs,
        printing: settings.printingFraction,
      }),
    ),
  );
  const farms = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(farms.map((f) => f.stop()));
    throw failure.reason;
  }
  const owner = new Map<string, StartedFarm>();
  for (const farm of farms) for (const p of farm.printers) owner.set(p.name, farm);
  const cas = farms.map((f) => f.bambuCaPem).filter((pem): pem is string => pem !== null);
  return {
    farms,
    printers: farms.flatMap((f) => f.printers),
    bambuCaBundle: cas.length > 0 ? cas.join('') : null,
    mark: (name, bed) => owner.get(name)?.mark(name, bed) ?? Promise.reject(new Error(`no farm has ${name}`)),
    stats: async () => {
      const all = await Promise.all(farms.map((f) => f.stats()));
      return all.reduce(
        (sum, s) => ({
          moonrakerPushes: sum.moonrakerPushes + s.moonrakerPushes,
          bambuPushes: sum.bambuPushes + s.bambuPushes,
          restarts: sum.restarts + s.restarts,
        }),
        {
          moonrakerPushes: 0,
          bambuPushes: 0,
          restarts: 0,
        },
      );
    },
    stop: async () => {
      await Promise.all(farms.map((f) => f.stop()));
    },
  };
}

// ---- one run ------------------------------------------------------------------------------------

async function measureRun(context: SuiteContext, settings: Settings, spec: RunSpec, startedAt: Date): Promise<RunResult> {
  const fleet = await startFleet(context, settings, spec);
  // The bench owns the data dir, so a restarted server finds its database (and the CA file) again.
  const root = mkdtempSync(path.join(os.tmpdir(), 'odin-bench-fleet-'));
  const removeRoot = (): void => rmSync(root, { recursive: true, force: true });
  const unregisterRoot = onCleanup('remove the fleet run directory', () => Promise.resolve(removeRoot()), removeRoot);
  try {
    const env: Record<string, string> = {};
    if (fleet.bambuCaBundle) {
      // The real check: the server verifies every Bambu printer's chain and serial against these CAs.
      const caFile = path.join(root, 'bambu-ca.pem');
      writeFileSync(caFile, fleet.bambuCaBundle);
      env['ODIN_BAMBU_CA_FILE'] = caFile;
    }
    const openFiles = 1024 + SERVER_FILES_PER_PRINTER * fleet.printers.length;
    let profileDir: string | null = null;
    const nodeArgs: string[] = [...settings.serverNodeArgs];
    if (settings.cpuProfile) {
      const stamp = startedAt
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/:/g, '-');
      profileDir = path.join(REPO_ROOT, 'bench', 'results', `fleet-${stamp}-run${spec.number}-cpuprofile`);
      mkdirSync(profileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    }

    let onlineAfterAddingSeconds: number | null = null;
    let known: Known | null = null;
    if (spec.restart) {
      context.progress(`farm up (pids ${fleet.farms.map((f) => f.pid).join(', ')}); starting a server to add the printers to…`);
      const first = await startServer({ admin: ADMIN, env, dataRoot: root, openFiles });
      try {
        const token = await login(first.url, ADMIN.username, ADMIN.password);
        const watcher = await FleetWatcher.open(first, token);
        try {
          const added = await addAll(context, first, token, fleet.printers, watcher);
          const at = await watcher.allOnline(added.ids, first, added.startedAt);
          onlineAfterAddingSeconds = (at - added.startedAt) / 1000;
          context.progress(`all online ${fixed(onlineAfterAddingSeconds)} s after the first POST; restarting the server…`);
          known = { token, ...added };
        } finally {
          watcher.close();
        }
      } finally {
        await first.stop();
      }
    } else {
      context.progress(`farm up (pid ${fleet.farms.map((f) => f.pid).join(', ')}); starting the server…`);
    }

    const server = await startServer({ admin: ADMIN, env, nodeArgs, dataRoot: root, openFiles });
    let result: RunResult;
    // A holder, so TypeScript does not narrow the field to `null` for good.
    const measured: { window: { from: bigint; to: bigint } | null } = { window: null };
    try {
      result = await measureWithServer(context, settings, spec, fleet, server, known, (from, to) => (measured.window = { from, to }));
      result.onlineAfterAddingSeconds = onlineAfterAddingSeconds;
    } finally {
      context.progress('stopping the server…');
      await server.stop();
    }
    if (profileDir) {
      const file = findProfile(profileDir);
      result.profile = file ? summariseProfile(file, REPO_ROOT, measured.window?.from, measured.window?.to) : null;
      if (!file) context.progress(`no .cpuprofile found in ${profileDir} (did the server exit cleanly?)`);
    }
    return result;
  } finally {
    context.progress('stopping the farm…');
    await fleet.stop();
    removeRoot();
    unregisterRoot();
  }
}

/** Printers already in the server's database (run 4): their ids and the token that added them. */
interface Known {
  token: string;
  idOf: Map<string, number>;
  ids: number[];
  startedAt: number;
}

interface TrackedMark {
  printerId: number;
  name: string;
  protocol: Protocol;
  value: number;
  requestedAt: number;
  sentAt: bigint | null;
  arrivedAt: bigint | null;
  failed: boolean;
  done: boolean;
}

/**
 * The fleet as ONE /ws client (default topics: everything) sees it: who is online, what it
 * receives in the window, the marks' arrival, and printing printers reported as not printing.
 */
class FleetWatcher {
  readonly online = new Map<number, boolean>();
  readonly nameOf = new Map<number, string>();
  readonly printingIds = new Set<number>();
  readonly openMarks = new Map<number, TrackedMark[]>();
  readonly byType: Record<string, { count: number; frameBytes: number }> = {};
  readonly fields: Record<string, number> = {};
  readonly nonPrinting: { count: number; examples: { printer: string; status: string }[] } = { count: 0, examples: [] };
  checkingStatuses = false;
  inWindow = false;
  wentOffline = 0;
  /** performance.now() when a printer was last seen going online, by id. */
  readonly onlineSince = new Map<number, number>();
  #client: LiveClient | null = null;

  static async open(server: StartedServer, token: string): Promise<FleetWatcher> {
    const watcher = new FleetWatcher();
    watcher.#client = await LiveClient.open(server.url, token, (received) => watcher.#onMessage(received)).catch((error: unknown) => {
      throw new BenchError(`${error instanceof Error ? error.message : String(error)}; the server's last output:\n${server.tail(20)}`);
    });
    return watcher;
  }

  get client(): LiveClient {
    if (!this.#client) throw new Error('the /ws client is not open');
    return this.#client;
  }

  close(): void {
    this.#client?.close();
  }

  /**
   * Resolves with performance.now() at the moment the last of `ids` was reported online (a
   * printer's latest online report counts, so one that flapped counts when it came back).
   */
  async allOnline(ids: number[], server: StartedServer, since: number): Promise<number> {
    const deadline = since + ALL_ONLINE_TIMEOUT_MS;
    for (;;) {
      if (this.client.closed) throw new BenchError(`the /ws connection closed: ${this.client.closedWith ?? 'unknown reason'}`);
      const offline = ids.filter((id) => this.online.get(id) !== true);
      if (offline.length === 0) return Math.max(since, ...ids.map((id) => this.onlineSince.get(id) ?? since));
      if (performance.now() > deadline) {
        const names = offline.slice(0, 10).map((id) => this.nameOf.get(id) ?? String(id));
        throw new BenchError(
          `${offline.length} printers were not online after ${ALL_ONLINE_TIMEOUT_MS / 1000} s (e.g. ${names.join(', ')}); server log:\n${server.tail(20)}`,
        );
      }
      await delay(50);
    }
  }

  #setOnline(id: number, online: boolean): void {
    if (online && this.online.get(id) !== true) this.onlineSince.set(id, performance.now());
    this.online.set(id, online);
  }

  #onMessage({ message, arrivedAt, frameBytes }: ReceivedMessage): void {
    if (this.inWindow) {
      const entry = (this.byType[message.type] ??= { count: 0, frameBytes: 0 });
      entry.count++;
      entry.frameBytes += frameBytes;
    }
    if (message.type === 'printer_snapshot') {
      const printers = (message.data as { printers?: unknown } | null)?.printers;
      if (Array.isArray(printers)) {
        for (const p of printers as { printer_id?: unknown; online?: unknown }[]) {
          if (typeof p.printer_id === 'number') this.#setOnline(p.printer_id, p.online === true);
        }
      }
      return;
    }
    if (message.type !== 'printer_state' && message.type !== 'printer_telemetry') return;
    const data = message.data as { printer_id?: unknown; changes?: unknown } | null;
    const id = data?.printer_id;
    const changes = data?.changes;
    if (typeof id !== 'number' || typeof changes !== 'object' || changes === null) return;
    const c = changes as Record<string, unknown>;
    if (this.inWindow) for (const key of Object.keys(c)) this.fields[key] = (this.fields[key] ?? 0) + 1;
    if (typeof c['online'] === 'boolean') {
      this.#setOnline(id, c['online']);
      if (this.inWindow && c['online'] === false) this.wentOffline++;
    }
    const status = c['status'];
    if (this.checkingStatuses && typeof status === 'string' && this.printingIds.has(id) && !PRINTING_STATUSES.has(status)) {
      this.nonPrinting.count++;
      if (this.nonPrinting.examples.length < 10) this.nonPrinting.examples.push({ printer: this.nameOf.get(id) ?? String(id), status });
    }
    const bed = c['bed_target_temp'];
    if (typeof bed === 'number') {
      const mark = this.openMarks.get(id)?.find((m) => m.value === bed && m.arrivedAt === null);
      if (mark) mark.arrivedAt = arrivedAt;
    }
  }
}

/** Adds every farm printer through POST /api/printers (8 at a time). */
async function addAll(
  context: SuiteContext,
  server: StartedServer,
  token: string,
  printers: FarmPrinter[],
  watcher: FleetWatcher,
): Promise<{ idOf: Map<string, number>; ids: number[]; startedAt: number }> {
  const startedAt = performance.now();
  context.progress(`adding ${printers.length} printers through POST /api/printers…`);
  const idOf = new Map<string, number>();
  const queue = [...printers];
  const worker = async (): Promise<void> => {
    for (let printer = queue.shift(); printer; printer = queue.shift()) {
      const id = await addFarmPrinter(server.url, token, printer);
      idOf.set(printer.name, id);
      watcher.nameOf.set(id, printer.name);
      if (printer.printing) watcher.printingIds.add(id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { idOf, ids: [...idOf.values()], startedAt };
}

async function measureWithServer(
  context: SuiteContext,
  settings: Settings,
  spec: RunSpec,
  fleet: Fleet,
  server: StartedServer,
  known: Known | null,
  onWindow: (from: bigint, to: bigint) => void,
): Promise<RunResult> {
  // The restarted server keeps the JWT secret in its data dir: the token from before still works.
  const token = known?.token ?? (await login(server.url, ADMIN.username, ADMIN.password));
  context.progress('opening the /ws client (default topics: the whole fleet)…');
  const watcher = await FleetWatcher.open(server, token);
  const client = watcher.client;
  try {
    let idOf: Map<string, number>;
    let ids: number[];
    let since: number;
    if (known) {
      idOf = known.idOf;
      ids = known.ids;
      since = server.spawnedAt;
      for (const printer of fleet.printers) {
        const id = idOf.get(printer.name);
        if (id === undefined) continue;
        watcher.nameOf.set(id, printer.name);
        if (printer.printing) watcher.printingIds.add(id);
      }
    } else {
      const added = await addAll(context, server, token, fleet.printers, watcher);
      ({ idOf, ids } = added);
      since = added.startedAt;
    }

    // ---- all online ---------------------------------------------------------------------
    const allOnlineAt = await watcher.allOnline(ids, server, since);
    const allOnlineSeconds = (allOnlineAt - since) / 1000;
    context.progress(
      `all online after ${fixed(allOnlineSeconds)} s${known ? " from the server's spawn" : ''}; settling ${settings.settleSeconds} s…`,
    );
    watcher.checkingStatuses = true;
    await delay(settings.settleSeconds * 1000);
    if (client.closed) throw new BenchError(`the /ws connection closed: ${client.closedWith ?? 'unknown reason'}`);

    // ---- the measured window ------------------------------------------------------------
    const markable = fleet.printers.filter((p) => MARKED.has(p.api_type) && p.printing);
    const lastValue = new Map<string, number>();
    const marks: TrackedMark[] = [];
    const busy = new Set<string>();
    const markOne = (): void => {
      const free = markable.filter((p) => !busy.has(p.name));
      const printer = free[Math.floor(Math.random() * free.length)];
      const printerId = printer ? idOf.get(printer.name) : undefined;
      if (!printer || printerId === undefined) return;
      // 60.1–69.9 °C in 0.1 steps (no plan uses those), never the printer's previous mark.
      let value: number;
      do value = (601 + Math.floor(Math.random() * 99)) / 10;
      while (value === lastValue.get(printer.name));
      lastValue.set(printer.name, value);
      const mark: TrackedMark = {
        printerId,
        name: printer.name,
        protocol: printer.api_type,
        value,
        requestedAt: performance.now(),
        sentAt: null,
        arrivedAt: null,
        failed: false,
        done: false,
      };
      marks.push(mark);
      busy.add(printer.name);
      const list = watcher.openMarks.get(printerId) ?? [];
      list.push(mark);
      watcher.openMarks.set(printerId, list);
      fleet.mark(printer.name, value).then(
        (sentAt) => {
          mark.sentAt = sentAt;
        },
        (error: unknown) => {
          mark.failed = true;
          context.progress(`mark on ${printer.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    };
    const settle = (now: number): void => {
      for (const mark of marks) {
        if (mark.done) continue;
        const complete = mark.sentAt !== null && mark.arrivedAt !== null;
        if (complete || mark.failed || now - mark.requestedAt > MARK_GIVE_UP_MS) {
          mark.done = true;
          busy.delete(mark.name);
          const list = watcher.openMarks.get(mark.printerId);
          if (list)
            watcher.openMarks.set(
              mark.printerId,
              list.filter((m) => m !== mark),
            );
        }
      }
    };

    const pushesBefore = await fleet.stats().catch(() => null);
    const logBefore = logFileSize(server.logFile);
    context.progress(`measuring ${settings.windowSeconds} s (a bed-target mark every ${MARK_EVERY_MS} ms)…`);
    const serverSampler = new ProcessSampler(server.pid);
    const farmSamplers = fleet.farms.map((f) => new ProcessSampler(f.pid));
    const own = new OwnCpu();
    const machine = new MachineCpu();
    const bytesBefore = client.socketBytes;
    const windowFrom = process.hrtime.bigint();
    const windowStart = performance.now();
    watcher.inWindow = true;
    serverSampler.start();
    for (const s of farmSamplers) s.start();
    own.start();
    machine.start();

    const marker = setInterval(() => {
      settle(performance.now());
      markOne();
    }, MARK_EVERY_MS);
    await delay(settings.windowSeconds * 1000);
    clearInterval(marker);

    const machinePercent = machine.stopPercent();
    const benchCpuPercent = own.stopPercent();
    const serverStats = serverSampler.stop();
    const farmStats = farmSamplers.map((s) => s.stop());
    const serverRssEndMb = rssMb(server.pid);
    watcher.inWindow = false;
    watcher.checkingStatuses = false;
    const windowEnd = performance.now();
    const windowTo = process.hrtime.bigint();
    onWindow(windowFrom, windowTo);
    const windowSeconds = (windowEnd - windowStart) / 1000;
    const bytes = client.socketBytes - bytesBefore;
    const serverLogBytesInWindow = logFileSize(server.logFile) - logBefore;
    const pushesAfter = await fleet.stats().catch(() => null);

    // Let the marks asked for in the window finish (or time out).
    const drainUntil = performance.now() + MARK_GIVE_UP_MS + 500;
    while (marks.some((m) => !m.done) && performance.now() < drainUntil) {
      settle(performance.now());
      await delay(50);
    }
    settle(Infinity);
    if (client.closed) throw new BenchError(`the /ws connection closed during the window: ${client.closedWith ?? 'unknown reason'}`);

    const farmOk = farmStats.every((s) => s !== null);
    const farmCpu = farmOk ? farmStats.reduce((sum, s) => sum + (s?.cpuAvgPercent ?? 0), 0) : null;
    const farm: FarmFigures = {
      processes: fleet.farms.length,
      cpuAvgPercent: farmCpu,
      cpuMaxProcessPercent: farmOk ? Math.max(...farmStats.map((s) => s?.cpuAvgPercent ?? 0)) : null,
      rssTotalMb: farmOk ? farmStats.reduce((sum, s) => sum + (s?.rssAvgMb ?? 0), 0) : null,
      openFileLimit: fleet.farms[0]?.openFileLimit ?? null,
    };
    const otherProcessesCpuPercent =
      machinePercent === null || serverStats === null
        ? null
        : Math.max(0, machinePercent - serverStats.cpuAvgPercent - (farmCpu ?? 0) - benchCpuPercent);
    const messages = Object.values(watcher.byType).reduce((sum, t) => sum + t.count, 0);
    const deltas = ['printer_state', 'printer_telemetry'].map((t) => watcher.byType[t] ?? { count: 0, frameBytes: 0 });
    const deltaCount = deltas.reduce((s, d) => s + d.count, 0);
    const deltaBytes = deltas.reduce((s, d) => s + d.frameBytes, 0);
    const printingOf = (type: Protocol): number => fleet.printers.filter((p) => p.api_type === type && p.printing).length;
    const latencyByProtocol: Partial<Record<Protocol, LatencyFigures>> = {};
    for (const protocol of MARKED) {
      if (fleet.printers.some((p) => p.api_type === protocol))
        latencyByProtocol[protocol] = latencyFigures(marks.filter((m) => m.protocol === protocol));
    }

    const result: RunResult = {
      number: spec.number,
      label: spec.label,
      moonraker: spec.moonraker,
      prusalink: spec.prusalink,
      bambu: spec.bambu,
      sdcp: spec.sdcp,
      printing: {
        moonraker: printingOf('moonraker'),
        prusalink: printingOf('prusalink'),
        bambu: printingOf('bambu'),
        elegoo: printingOf('elegoo'),
      },
      allOnlineSeconds,
      allOnlineFrom: known ? 'spawn' : 'adding',
      onlineAfterAddingSeconds: null,
      windowSeconds,
      settleSeconds: settings.settleSeconds,
      server: serverStats,
      serverRssEndMb,
      serverOpenFileLimit: server.openFileLimit,
      farm,
      benchCpuPercent,
      otherProcessesCpuPercent,
      client: {
        bytes,
        bytesPerSecond: bytes / windowSeconds,
        messages,
        messagesPerSecond: messages / windowSeconds,
        byType: watcher.byType,
        fields: Object.fromEntries(Object.entries(watcher.fields).sort((a, b) => b[1] - a[1])),
        averageDeltaFrameBytes: deltaCount > 0 ? deltaBytes / deltaCount : null,
        extensions: client.extensions,
      },
      latency: latencyFigures(marks),
      latencyByProtocol,
      nonPrinting: watcher.nonPrinting,
      wentOffline: watcher.wentOffline,
      farmPushesPerSecond:
        pushesBefore && pushesAfter
          ? {
              moonraker: (pushesAfter.moonrakerPushes - pushesBefore.moonrakerPushes) / windowSeconds,
              bambu: (pushesAfter.bambuPushes - pushesBefore.bambuPushes) / windowSeconds,
            }
          : null,
      farmRestarts: pushesAfter ? pushesAfter.restarts : null,
      serverLogBytesInWindow,
      profile: null,
    };
    if (spec.judge?.kind === 'moonraker') result.target = judgeMoonraker(result, spec.judge.targets, spec.number === 1);
    if (spec.judge?.kind === 'mixed') result.target = judgeMixed(result);
    return result;
  } finally {
    watcher.close();
  }
}

function p99Text(l: LatencyFigures): string {
  return `${ms(l.p99Ms)} ms${l.lost + l.failed > 0 ? ` (${l.lost} lost, ${l.failed} failed)` : ''}`;
}

function p99Met(l: LatencyFigures, limit: number): boolean {
  return l.p99Ms !== null && l.p99Ms < limit && l.lost === 0 && l.failed === 0;
}

/** FDM Monster's figures are shown beside run 1 only: they were measured at that load. */
function judgeMoonraker(r: RunResult, t: MoonrakerTargets, withFdmMonster: boolean): Judgement {
  const cpu = r.server?.cpuAvgPercent ?? null;
  const rss = r.server ? mb(r.server.rssPeakMb) : null;
  const kBps = r.client.bytesPerSecond / 1000;
  const rows = [
    {
      figure: 'server CPU, % of one core',
      target: `≤ ${t.cpuPercent} %`,
      value: cpu === null ? 'n/a' : `${fixed(cpu, 2)} %`,
      met: cpu !== null && cpu <= t.cpuPercent,
      reference: withFdmMonster ? `${FDM_MONSTER.cpuPercent} %` : '',
    },
    {
      figure: 'server RSS (peak)',
      target: `≤ ${t.rssMb} MB`,
      value: rss === null ? 'n/a' : `${fixed(rss)} MB`,
      met: rss !== null && rss <= t.rssMb,
      reference: withFdmMonster ? `${FDM_MONSTER.rssMiB} MiB (${fixed(mb(FDM_MONSTER.rssMiB))} MB)` : '',
    },
    {
      figure: 'to one browser',
      target: `≤ ${t.clientKBps} kB/s`,
      value: `${fixed(kBps, 2)} kB/s`,
      met: kBps <= t.clientKBps,
      reference: withFdmMonster ? `${FDM_MONSTER.clientKBps} kB/s` : '',
    },
    {
      figure: 'latency p99 (push → /ws)',
      target: `< ${t.p99Ms} ms`,
      value: p99Text(r.latency),
      met: p99Met(r.latency, t.p99Ms),
      reference: withFdmMonster ? '—' : '',
    },
    {
      figure: 'non-printing reports',
      target: `${t.nonPrinting}`,
      value: int(r.nonPrinting.count),
      met: r.nonPrinting.count <= t.nonPrinting,
      reference: withFdmMonster ? '—' : '',
    },
  ];
  return { rows, pass: rows.every((row) => row.met) };
}

function judgeMixed(r: RunResult): Judgement {
  const t = TARGETS_MIXED;
  const cpu = r.server?.cpuAvgPercent ?? null;
  const rss = r.server ? mb(r.server.rssPeakMb) : null;
  const kBps = r.client.bytesPerSecond / 1000;
  const rows = [
    {
      figure: 'all online after a restart (from spawn)',
      target: `< ${t.allOnlineSeconds} s`,
      value: `${fixed(r.allOnlineSeconds)} s`,
      met: r.allOnlineSeconds < t.allOnlineSeconds,
      reference: '',
    },
    {
      figure: 'latency p99 (push → /ws)',
      target: `< ${t.p99Ms} ms`,
      value: p99Text(r.latency),
      met: p99Met(r.latency, t.p99Ms),
      reference: '',
    },
    {
      figure: 'server CPU, % of one core',
      target: `≤ ${t.cpuPercent} %`,
      value: cpu === null ? 'n/a' : `${fixed(cpu, 2)} %`,
      met: cpu !== null && cpu <= t.cpuPercent,
      reference: '',
    },
    {
      figure: 'server RSS (peak)',
      target: `≤ ${t.rssMb} MB`,
      value: rss === null ? 'n/a' : `${fixed(rss)} MB`,
      met: rss !== null && rss <= t.rssMb,
      reference: '',
    },
    {
      figure: 'to one browser',
      target: `≤ ${t.clientKBps} kB/s`,
      value: `${fixed(kBps, 2)} kB/s`,
      met: kBps <= t.clientKBps,
      reference: '',
    },
  ];
  return { rows, pass: rows.every((row) => row.met) };
}

function rssMb(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/** ProcessSampler reports MiB (kB / 1024); targets are in MB (10^6 bytes). */
function mb(mib: number): number {
  return (mib * 1024 * 1024) / 1e6;
}

function latencyFigures(marks: TrackedMark[]): LatencyFigures {
  const latencies = marks
    .filter((m) => m.sentAt !== null && m.arrivedAt !== null)
    .map((m) => Number((m.arrivedAt ?? 0n) - (m.sentAt ?? 0n)) / 1e6)
    .sort((a, b) => a - b);
  const pct = (p: number): number | null =>
    latencies.length === 0
      ? null
      : (latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? null);
  return {
    marks: marks.length,
    measured: latencies.length,
    failed: marks.filter((m) => m.failed).length,
    lost: marks.filter((m) => !m.failed && (m.sentAt === null || m.arrivedAt === null)).length,
    minMs: latencies[0] ?? null,
    p50Ms: pct(50),
    p90Ms: pct(90),
    p99Ms: pct(99),
    maxMs: latencies.at(-1) ?? null,
  };
}

// ---- report ---------------------------------------------------------------------------------

function ms(value: number | null): string {
  return value === null ? 'n/a' : fixed(value, 1);
}

function latencyLine(l: LatencyFigures): string {
  return (
    `${l.measured} of ${l.marks} marks measured, min ${ms(l.minMs)} · p50 ${ms(l.p50Ms)} · p90 ${ms(l.p90Ms)} · p99 ${ms(l.p99Ms)} · max ${ms(l.maxMs)} ms` +
    (l.lost + l.failed > 0 ? ` · ${l.lost} lost, ${l.failed} failed` : '')
  );
}

function print(env: Environment, settings: Settings, results: RunResult[]): void {
  const out: string[] = [];
  const limit = openFileLimit();
  out.push('');
  out.push(`ODIN bench · fleet · ${describeEnvironment(env)}${limit ? ` · open files ${limit.soft}/${limit.hard} (soft/hard)` : ''}`);
  out.push(
    `farm and server are separate processes on this machine; ${int(settings.printingFraction * 100)}% of each protocol's printers printing long prints; ` +
      `realistic print traffic (every message moves durations, progress and temperatures; layers as they go by); ` +
      `Moonraker diffs at each run's rate (4 Hz = Klipper's own 250 ms) and Bambu (P1S/A1/P1P) delta reports every ${settings.bambuPushIntervalMs} ms; ` +
      `PrusaLink polled by the server every ${PRUSALINK_POLL_MS / 1000} s (default); SDCP status pushed every 2 s; every printer's thermistors ±0.3 °C; ` +
      `server log level info; one /ws client (default topics: whole fleet); settle ${settings.settleSeconds} s, window ${settings.windowSeconds} s` +
      (settings.quick ? ' (--quick: smoke run, not comparable)' : '') +
      (settings.serverNodeArgs.length > 0 ? `; server started with node ${settings.serverNodeArgs.join(' ')} (not the default)` : ''),
  );
  out.push(
    'CPU is % of one core from /proc/<pid>/stat (utime+stime over the window); RSS from VmRSS; kB = 1000 bytes; latency = simulator push written → /ws message received; ' +
      '"all online" counts from the first POST /api/printers (runs 1–3) or from the restarted server\'s spawn (run 4).',
  );
  out.push('');
  out.push(
    table(
      [
        'run',
        'all online',
        'msgs/s',
        'kB/s to client',
        'server CPU avg/peak',
        'server RSS avg/peak',
        'latency p50/p99',
        'marks ok/lost',
        'non-printing',
        'farm CPU',
        'bench CPU',
        'other CPU',
      ],
      results.map((r) => [
        r.label,
        `${fixed(r.allOnlineSeconds)} s`,
        fixed(r.client.messagesPerSecond),
        fixed(r.client.bytesPerSecond / 1000, 2),
        r.server ? `${fixed(r.server.cpuAvgPercent, 2)}% / ${int(r.server.cpuPeakPercent)}%` : 'n/a',
        r.server ? `${fixed(mb(r.server.rssAvgMb))} / ${fixed(mb(r.server.rssPeakMb))} MB` : 'n/a',
        `${ms(r.latency.p50Ms)} / ${ms(r.latency.p99Ms)} ms`,
        `${r.latency.measured}/${r.latency.lost + r.latency.failed}`,
        int(r.nonPrinting.count),
        r.farm.cpuAvgPercent === null
          ? 'n/a'
          : `${int(r.farm.cpuAvgPercent)}%${r.farm.processes > 1 ? ` (${r.farm.processes}×, max ${int(r.farm.cpuMaxProcessPercent ?? 0)}%)` : ''}`,
        `${int(r.benchCpuPercent)}%`,
        r.otherProcessesCpuPercent === null ? 'n/a' : `${int(r.otherProcessesCpuPercent)}%`,
      ]),
    ),
  );
  for (const r of results) {
    out.push('');
    const from = r.allOnlineFrom === 'spawn' ? "from the restarted server's spawn" : 'from the first POST /api/printers';
    out.push(
      `${r.label}: all online after ${fixed(r.allOnlineSeconds)} s ${from}` +
        (r.onlineAfterAddingSeconds !== null
          ? ` (when first added to a running server: ${fixed(r.onlineAfterAddingSeconds)} s from the first POST)`
          : ''),
    );
    const types = Object.entries(r.client.byType)
      .sort((a, b) => b[1].count - a[1].count)
      .map(([type, t]) => `${type} ${fixed(t.count / r.windowSeconds)}/s (${int(t.frameBytes / Math.max(1, t.count))} B avg)`)
      .join(', ');
    out.push(
      `  /ws: ${types || 'nothing'}; ${int(r.client.bytes)} bytes in ${fixed(r.windowSeconds)} s${r.client.extensions ? ` (extensions: ${r.client.extensions})` : ' (no compression)'}`,
    );
    const fieldList = Object.entries(r.client.fields)
      .slice(0, 12)
      .map(([field, count]) => `${field} ${fixed(count / r.windowSeconds)}/s`)
      .join(', ');
    if (fieldList) out.push(`  fields in deltas: ${fieldList}`);
    const byProtocol = Object.entries(r.latencyByProtocol);
    if (byProtocol.length > 1) {
      out.push(`  latency (all marked): ${latencyLine(r.latency)}`);
      for (const [protocol, l] of byProtocol) out.push(`    ${PROTOCOL_NAMES[protocol as Protocol]}: ${latencyLine(l)}`);
    } else {
      out.push(
        `  latency (${byProtocol.map(([p]) => PROTOCOL_NAMES[p as Protocol]).join(', ') || 'none'} only): ${latencyLine(r.latency)}`,
      );
    }
    if (r.prusalink > 0)
      out.push(
        `  PrusaLink printers are not marked: their latency is dominated by the server's ${PRUSALINK_POLL_MS / 1000} s poll (0–2 s by design), not by the server's processing.`,
      );
    if (r.sdcp > 0) out.push('  SDCP printers are not marked (their load is counted, their latency is not measured).');
    const printing = Object.values(r.printing).reduce((s, n) => s + n, 0);
    out.push(
      `  printing printers reported as printing at every instant: ${r.nonPrinting.count === 0 ? 'yes' : 'NO'} (${int(r.nonPrinting.count)} non-printing reports of ${printing} printing printers` +
        `${r.nonPrinting.examples.length ? `, e.g. ${r.nonPrinting.examples.map((e) => `${e.printer} → ${e.status}`).join(', ')}` : ''})`,
    );
    const pushes = r.farmPushesPerSecond;
    out.push(
      `  farm: ${r.farm.processes} process${r.farm.processes > 1 ? 'es' : ''}, ${r.farm.cpuAvgPercent === null ? 'n/a' : `${fixed(r.farm.cpuAvgPercent)}%`} CPU` +
        `${r.farm.processes > 1 && r.farm.cpuMaxProcessPercent !== null ? ` (busiest ${fixed(r.farm.cpuMaxProcessPercent)}%)` : ''}, ` +
        `${r.farm.rssTotalMb === null ? 'n/a' : `${fixed(mb(r.farm.rssTotalMb))} MB`} RSS; ` +
        `${pushes === null ? 'n/a' : `${fixed(pushes.moonraker)} Moonraker + ${fixed(pushes.bambu)} Bambu pushes/s`}, ${r.farmRestarts ?? 'n/a'} prints restarted; ` +
        `${int(r.wentOffline)} printers reported offline in the window; server log ${int(r.serverLogBytesInWindow)} bytes in the window`,
    );
    if (r.server && r.serverRssEndMb !== null) {
      out.push(
        `  server RSS: avg ${fixed(mb(r.server.rssAvgMb))} · peak ${fixed(mb(r.server.rssPeakMb))} · at the window's end ${fixed(mb(r.serverRssEndMb))} MB`,
      );
    }
    if (r.profile) {
      out.push(
        `  server CPU profile (${r.profile.windowed ? 'window only' : 'whole run'}; ${fixed(r.profile.busyMs, 0)} ms busy of ${fixed(r.profile.busyMs + r.profile.idleMs, 0)} ms sampled) — ${r.profile.file ? path.relative(REPO_ROOT, r.profile.file) : ''}`,
      );
      out.push(
        `    by script: ${r.profile.scripts
          .slice(0, 12)
          .map((s) => `${s.script} ${fixed(s.selfMs, 0)} ms`)
          .join(' · ')}`,
      );
      for (const f of r.profile.functions.slice(0, 15)) out.push(`    ${fixed(f.selfMs, 0).padStart(6)} ms  ${f.name}  ${f.where}`);
    }
  }

  out.push('');
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  for (const r of results) {
    if (!r.target) continue;
    out.push(`targets (${r.label}):`);
    const withReference = r.target.rows.some((row) => row.reference !== '');
    out.push(
      table(
        withReference ? ['figure', 'target', 'ODIN', '', 'FDM Monster (same load, this machine)'] : ['figure', 'target', 'ODIN', ''],
        r.target.rows.map((row) =>
          withReference
            ? [row.figure, row.target, row.value, verdict(row.met), row.reference]
            : [row.figure, row.target, row.value, verdict(row.met)],
        ),
      ),
    );
    out.push(`overall ${verdict(r.target.pass)}`);
    out.push('');
  }
  for (const r of results) {
    if (r.otherProcessesCpuPercent !== null && r.otherProcessesCpuPercent > NOISY_NEIGHBOUR_PERCENT) {
      out.push(
        `warning: other processes used ${int(r.otherProcessesCpuPercent)}% CPU during "${r.label}" — this machine was not quiet, so that run is not comparable to a quiet run`,
      );
    }
    if (r.farm.cpuMaxProcessPercent !== null && r.farm.cpuMaxProcessPercent > FARM_BUSY_PERCENT) {
      out.push(
        `warning: a farm process used ${int(r.farm.cpuMaxProcessPercent)}% of a core during "${r.label}" — it may have been starved, which flatters the server's figures; try --farms ${r.farm.processes + 1}`,
      );
    }
    if (r.profile) out.push(`note: "${r.label}" ran with --cpu-prof; profiling costs CPU, so its figures are not comparable`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

const suite: Suite = { run };
export default suite;
