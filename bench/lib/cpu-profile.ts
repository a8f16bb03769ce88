import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where a process's CPU went, from a V8 `.cpuprofile` (written by `node --cpu-prof`). */
export interface ProfileSummary {
  file: string;
  /** Sampled time inside the window, ms (idle excluded). */
  busyMs: number;
  idleMs: number;
  samples: number;
  /** Whether the samples could be restricted to the window (else: the whole profile). */
  windowed: boolean;
  /** Self time by function, highest first. */
  functions: { name: string; where: string; selfMs: number }[];
  /** Self time by script (node internals, each package, each server file), highest first. */
  scripts: { script: string; selfMs: number }[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function isProfile(value: unknown): value is CpuProfile {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return Array.isArray(p['nodes']) && Array.isArray(p['samples']) && Array.isArray(p['timeDeltas']) && typeof p['startTime'] === 'number';
}

/** The newest .cpuprofile in `dir`, or null. */
export function findProfile(dir: string): string | null {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort();
    const last = files.at(-1);
    return last ? path.join(dir, last) : null;
  } catch {
    return null;
  }
}

/**
 * Sums self time per function and per script over the samples taken between `fromNs` and `toNs`
 * (process.hrtime.bigint() values: V8's profile clock on Linux is CLOCK_MONOTONIC in µs, the same
 * clock). Falls back to the whole profile when no sample falls in the window.
 */
export function summariseProfile(file: string, repoRoot: string, fromNs?: bigint, toNs?: bigint, top = 25): ProfileSummary | null {
  let profile: unknown;
  try {
    profile = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isProfile(profile)) return null;
  const byId = new Map<number, CallFrame>();
  for (const node of profile.nodes) byId.set(node.id, node.callFrame);

  const fromUs = fromNs === undefined ? -Infinity : Number(fromNs / 1000n);
  const toUs = toNs === undefined ? Infinity : Number(toNs / 1000n);
  const inWindow = (t: number): boolean => t >= fromUs && t <= toUs;
  let t = profile.startTime;
  const times: number[] = [];
  for (const delta of profile.timeDeltas) {
    t += delta;
    times.push(t);
  }
  const windowed = times.some(inWindow);

  const fnSelf = new Map<string, { name: string; where: string; us: number }>();
  const scriptSelf = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let samples = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const at = times[i] ?? 0;
    if (windowed && !inWindow(at)) continue;
    // A sample stands for the time until the next one.
    const next = times[i + 1];
    const us = next !== undefined ? Math.max(0, next - at) : 0;
    const frame = byId.get(profile.samples[i] ?? -1);
    if (!frame) continue;
    samples++;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const where = frame.url ? `${shortUrl(frame.url, repoRoot)}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const entry = fnSelf.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    fnSelf.set(key, entry);
    const script = scriptGroup(frame, repoRoot);
    scriptSelf.set(script, (scriptSelf.get(script) ?? 0) + us);
  }
  return {
    file,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    samples,
    windowed,
    functions: [...fnSelf.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, selfMs: f.us / 1000 })),
    scripts: [...scriptSelf.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([script, us]) => ({ script, selfMs: us / 1000 })),
  };
}

function shortUrl(url: string, repoRoot: string): string {
  const plain = url.replace(/^file:\/\//, '');
  return plain.startsWith(repoRoot) ? path.relative(repoRoot, plain) : plain;
}

/** node:internal…, a package under node_modules, a server file, or a V8 pseudo-frame ("(garbage collector)"). */
function scriptGroup(frame: CallFrame, repoRoot: string): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const url = shortUrl(frame.url, repoRoot);
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return `node_modules/${modules[1]}`;
  if (url.startsWith('node:')) return url;
  return url;
}
