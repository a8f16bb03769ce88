import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { onCleanup } from './cleanup.js';
import { checkOpenFileLimit } from './fd-limit.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Thrown for failures the user should see as a plain message (no stack trace), exit code 1. */
/**
 * The node options `npm start` runs the server with (root package.json), so the bench measures the
 * server as it is run: a 2 MB young generation keeps a small farm's server under 150 MB of RSS.
 */
export const SERVER_NODE_ARGS = ['--max-semi-space-size=2'] as const;

export class BenchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchError';
  }
}

/** `npm run build -w @odin/server`; on failure the compiler output becomes the error message. */
export async function buildServer(): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['run', 'build', '-w', '@odin/server'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new BenchError(`building the server failed (exit ${code}):\n${output.trim()}`);
}

/** A free TCP port on 127.0.0.1: listen on port 0, note the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

export interface StartedServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The server's combined stdout/stderr (pino JSON lines). */
  logFile: string;
  /** performance.now() right after the process was spawned (for "online N s after start"). */
  spawnedAt: number;
  /** The open-file limit the server runs with (null: unknown, not Linux). */
  openFileLimit: number | null;
  /** Last `count` lines of the server's output. */
  tail(count?: number): string;
  /** SIGTERM, then SIGKILL after a grace period; removes the temp dir (unless it was `dataRoot`). Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  admin: { username: string; password: string };
  /** Extra environment for the server (e.g. ODIN_LOG_LEVEL). */
  env?: Record<string, string>;
  /** Options for node itself, before the script (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
  startTimeoutMs?: number;
  /**
   * A directory the caller owns for the data dir and log (kept on stop), so a second server can
   * start on the same database; default: a fresh temp dir, removed on stop.
   */
  dataRoot?: string;
  /** Open files the server must be able to hold (sockets to printers and clients); default 1024. */
  openFiles?: number;
}

/** Variables that would make the server talk to something other than its fresh temp data dir. */
const INHERITED_CONFIG = /^(ODIN_|DATABASE_URL$|API_KEY$|JWT_SECRET_KEY$|ENCRYPTION_KEY$)/;

/**
 * Starts `node server/dist/main.js serve` as a separate process with a fresh data dir in a temp
 * directory and waits until GET /health answers 200. Output goes to a log file in the temp dir.
 */
export async function startServer(options: StartOptions): Promise<StartedServer> {
  const ownsRoot = options.dataRoot === undefined;
  const tempRoot = options.dataRoot ?? mkdtempSync(path.join(os.tmpdir(), 'odin-bench-'));
  const dataDir = path.join(tempRoot, 'data');
  const logFile = path.join(tempRoot, 'server.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !INHERITED_CONFIG.test(key)) env[key] = value;
  }
  Object.assign(env, {
    ODIN_DATA_DIR: dataDir,
    ODIN_PORT: String(port),
    ODIN_HOST: '127.0.0.1',
    ODIN_ADMIN_USERNAME: options.admin.username,
    ODIN_ADMIN_PASSWORD: options.admin.password,
    ...options.env,
  });

  const fileLimit = checkOpenFileLimit(options.openFiles ?? 1024, 'the server');
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  let spawnedAt: number;
  try {
    child = spawn(
      process.execPath,
      [...SERVER_NODE_ARGS, ...(options.nodeArgs ?? []), path.join(REPO_ROOT, 'server', 'dist', 'main.js'), 'serve'],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', logFd, logFd],
      },
    );
    spawnedAt = performance.now();
  } finally {
    closeSync(logFd); // the child holds its own copy
  }

  // A holder object, so TypeScript does not narrow the field to `null` for good.
  const state: { exited: { code: number | null; signal: NodeJS.Signals | null } | null; spawnError: string } = {
    exited: null,
    spawnError: '',
  };
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      state.exited = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      state.exited = { code: null, signal: null };
      state.spawnError = `could not start the server: ${error.message}\n`;
      resolve();
    });
  });

  const tail = (count = 30): string => {
    let text = '';
    try {
      text = readFileSync(logFile, 'utf8');
    } catch {
      // no output yet
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    return state.spawnError + (lines.length ? lines.slice(-count).join('\n') : '(the server printed nothing)');
  };

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (state.exited === null && child.pid !== undefined) await endChild(child, exitPromise, 5000);
      if (ownsRoot) await rm(tempRoot, { recursive: true, force: true });
      unregister();
    })();
    return stopping;
  };
  const unregister = onCleanup('stop the ODIN server', stop, () => {
    if (state.exited === null && child.pid !== undefined) child.kill('SIGKILL');
    if (ownsRoot) rmSync(tempRoot, { recursive: true, force: true });
  });

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (state.exited !== null) {
      const { code, signal } = state.exited;
      const text = `the server exited before answering /health (code ${code}, signal ${signal}); its last output:\n${tail()}`;
      await stop();
      throw new BenchError(text);
    }
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      const text = `the server did not answer GET /health with 200 within ${timeoutMs / 1000} s; its last output:\n${tail()}`;
      await stop();
      throw new BenchError(text);
    }
    await delay(200);
  }

  if (child.pid === undefined) throw new BenchError('the server process has no pid');
  return { url, pid: child.pid, child, logFile, spawnedAt, openFileLimit: fileLimit, tail, stop };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

export function logFileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Logs in with the form the API takes and returns the access token. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  const text = await response.text();
  if (response.status !== 200) throw new BenchError(`login as ${username} failed: ${response.status} ${text}`);
  const body: unknown = JSON.parse(text);
  if (typeof body !== 'object' || body === null || !('access_token' in body) || typeof body.access_token !== 'string') {
    throw new BenchError(`login answered without an access_token: ${text}`);
  }
  return body.access_token;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asks a child process to stop, and kills it when it has not exited after `graceMs`: a stuck process must not hold up the bench. */
export async function endChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]);
  if (stopped) return;
  child.kill('SIGKILL');
  await Promise.race([exited, delay(2000)]);
}
