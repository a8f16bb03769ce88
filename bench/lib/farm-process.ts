import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

import type { FarmPrinter, FarmStats } from '../../simulators/src/farm.js';
import { onCleanup } from './cleanup.js';
import { checkOpenFileLimit } from './fd-limit.js';
import { BenchError, endChild, REPO_ROOT } from './odin-server.js';

// What the farm CLI reports about itself: the simulators' own types, so the two cannot drift apart.
export type { FarmPrinter, FarmStats };

export interface StartedFarm {
  pid: number;
  printers: FarmPrinter[];
  /** The CA that signed this farm's Bambu printers' certificates (PEM), null without Bambu printers. */
  bambuCaPem: string | null;
  /** The open-file limit the farm runs with (null: unknown, not Linux). */
  openFileLimit: number | null;
  /**
   * Sets a Moonraker or Bambu printer's bed target in the farm; resolves with the farm's
   * `process.hrtime.bigint()` at which the push carrying it was written to the socket.
   */
  mark(name: string, bed: number): Promise<bigint>;
  stats(): Promise<FarmStats>;
  /** Last lines the farm wrote to stderr. */
  tail(): string;
  /** SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
}

export interface FarmStartOptions {
  moonraker: number;
  prusalink: number;
  bambu?: number;
  sdcp?: number;
  /** Numbering of names and serials starts after this (several farms making one fleet). */
  offset?: number;
  speed?: number;
  diffIntervalMs?: number;
  bambuPushIntervalMs?: number;
  printing?: number;
  startTimeoutMs?: number;
}

/** Sockets and listeners a simulated printer may hold at once (listeners, the server's sessions, uploads), with room to spare. */
const FILES_PER_PRINTER = 8;

const FARM_CLI = path.join(REPO_ROOT, 'simulators', 'src', 'farm-cli.ts');

/**
 * Runs the simulated farm as its own process (`child_process.fork` with an IPC channel, under tsx),
 * so its CPU is not the server's nor the bench's, and waits for its endpoint list.
 */
export async function startFarm(options: FarmStartOptions): Promise<StartedFarm> {
  const flags: Record<string, number> = {
    moonraker: options.moonraker,
    prusalink: options.prusalink,
    speed: options.speed ?? 1,
    'diff-interval': options.diffIntervalMs ?? 1000,
    printing: options.printing ?? 0.8,
    bambu: options.bambu ?? 0,
    sdcp: options.sdcp ?? 0,
    offset: options.offset ?? 0,
    'bambu-interval': options.bambuPushIntervalMs ?? 1000,
  };
  const args = Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
  const printerCount = options.moonraker + options.prusalink + (options.bambu ?? 0) + (options.sdcp ?? 0);
  const fileLimit = checkOpenFileLimit(1024 + FILES_PER_PRINTER * printerCount, `a farm process of ${printerCount} printers`);
  const child: ChildProcess = fork(FARM_CLI, args, {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });

  const state: { exited: { code: number | null; signal: NodeJS.Signals | null } | null } = { exited: null };
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      state.exited = { code, signal };
      resolve();
    });
    child.once('error', () => {
      state.exited ??= { code: null, signal: null };
      resolve();
    });
  });

  const stderrLines: string[] = [];
  let stderrRest = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrRest += chunk.toString();
    const lines = stderrRest.split('\n');
    stderrRest = lines.pop() ?? '';
    for (const line of lines) {
      stderrLines.push(line);
      if (stderrLines.length > 50) stderrLines.shift();
    }
  });
  const tail = (): string =>
    [...stderrLines, stderrRest].filter((l) => l.trim() !== '').join('\n') || '(the farm printed nothing on stderr)';

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    const id = m['id'];
    if (typeof id !== 'number') return;
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if (m['type'] === 'mark_failed') waiter.reject(new Error(typeof m['error'] === 'string' ? m['error'] : 'mark failed'));
    else waiter.resolve(m);
  });
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('the farm exited'));
    pending.clear();
  });
  const request = (message: Record<string, unknown>): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      if (!child.connected) {
        reject(new Error('the farm is not running'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolve(value as Record<string, unknown>), reject });
      child.send({ ...message, id });
    });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (state.exited === null && child.pid !== undefined) await endChild(child, exitPromise, 10_000);
      unregister();
    })();
    return stopping;
  };
  const unregister = onCleanup('stop the simulated farm', stop, () => {
    if (state.exited === null && child.pid !== undefined) child.kill('SIGKILL');
  });

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const firstLine = await new Promise<string | null>((resolve) => {
    let out = '';
    const timer = setTimeout(() => resolve(null), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, newline));
      }
    });
    void exitPromise.then(() => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (firstLine === null) {
    const why = state.exited
      ? `exited (code ${state.exited.code}, signal ${state.exited.signal})`
      : `printed no endpoint list within ${timeoutMs / 1000} s`;
    await stop();
    throw new BenchError(`the simulated farm ${why}; its last output:\n${tail()}`);
  }
  const parsed = parseEndpoints(firstLine);
  const printers = parsed?.printers;
  if (!parsed || !printers || child.pid === undefined) {
    await stop();
    throw new BenchError(`the simulated farm printed something other than its endpoint list: ${firstLine.slice(0, 300)}`);
  }

  return {
    pid: child.pid,
    printers,
    bambuCaPem: parsed.bambuCaPem,
    openFileLimit: fileLimit,
    mark: async (name, bed) => {
      const reply = await request({ type: 'mark', name, bed });
      const sentAt = reply['sentAt'];
      if (typeof sentAt !== 'string' || !/^\d+$/.test(sentAt))
        throw new Error(`the farm answered a mark without sentAt: ${JSON.stringify(reply)}`);
      return BigInt(sentAt);
    },
    stats: async () => {
      const reply = await request({ type: 'stats' });
      return {
        moonrakerPushes: Number(reply['moonrakerPushes'] ?? 0),
        bambuPushes: Number(reply['bambuPushes'] ?? 0),
        restarts: Number(reply['restarts'] ?? 0),
      };
    },
    tail,
    stop,
  };
}

const API_TYPES: ReadonlySet<unknown> = new Set(['moonraker', 'prusalink', 'bambu', 'elegoo']);

function parseEndpoints(line: string): { printers: FarmPrinter[]; bambuCaPem: string | null } | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('printers' in value) || !Array.isArray(value.printers)) return null;
  const ca = 'bambuCaPem' in value && typeof value.bambuCaPem === 'string' ? value.bambuCaPem : null;
  const printers: FarmPrinter[] = [];
  for (const item of value.printers as unknown[]) {
    if (typeof item !== 'object' || item === null) return null;
    const p = item as Record<string, unknown>;
    const apiType = p['api_type'] as FarmPrinter['api_type'];
    if (!API_TYPES.has(apiType) || typeof p['port'] !== 'number' || typeof p['name'] !== 'string') return null;
    const text = (key: string): string | null => (typeof p[key] === 'string' ? p[key] : null);
    printers.push({
      api_type: apiType,
      port: p['port'],
      api_key: text('api_key'),
      username: text('username'),
      password: text('password'),
      serial: text('serial'),
      access_code: text('access_code'),
      model: text('model'),
      name: p['name'],
      printing: p['printing'] === true,
    });
  }
  return { printers, bambuCaPem: ca };
}
