import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT } from './odin-server.js';

export type Cell = string | number;

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(header: string[], rows: Cell[][]): string {
  const text = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...text.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}

export function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** The facts that make two runs comparable (or explain why they are not). */
export interface Environment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  totalMemoryMb: number;
  loadAverage1m: number;
  commit: string | null;
  dirty: boolean | null;
}

export function environment(): Environment {
  const cpus = os.cpus();
  let commit: string | null = null;
  let dirty: boolean | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    dirty =
      execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !==
      '';
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    commit,
    dirty,
  };
}

export function describeEnvironment(env: Environment): string {
  const commit = env.commit ? `commit ${env.commit}${env.dirty ? ' (uncommitted changes)' : ''}` : 'no git commit';
  return `node ${env.node} · ${env.platform} · ${env.cpus} CPU (${env.cpuModel}) · ${int(env.totalMemoryMb)} MB · load ${env.loadAverage1m} · ${commit}`;
}

/** Writes bench/results/<suite>-<timestamp>.json and returns its path relative to the repo root. */
export function writeResults(suite: string, startedAt: Date, data: unknown): string {
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  // ISO 8601 with '-' instead of ':' so the name is safe on every file system.
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  const file = path.join(dir, `${suite}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return path.relative(REPO_ROOT, file);
}
