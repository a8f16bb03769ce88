import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU and memory of one process over a time window, from /proc (Linux). */
export interface ProcessStats {
  /** Average CPU over the window, % of one core (200% = both cores of a 2-core machine). */
  cpuAvgPercent: number;
  /** Highest CPU over any one sampling interval, % of one core. */
  cpuPeakPercent: number;
  rssAvgMb: number;
  rssPeakMb: number;
  samples: number;
}

interface Reading {
  at: number;
  /** utime + stime, in seconds */
  cpuSeconds: number;
  rssKb: number;
}

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function read(pid: number): Reading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)"; comm may contain spaces or parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (!Number.isFinite(utime) || !Number.isFinite(stime) || !rss?.[1]) return null;
    return { at: performance.now(), cpuSeconds: (utime + stime) / ticksPerSecond(), rssKb: Number(rss[1]) };
  } catch {
    return null;
  }
}

/** Whether per-process sampling works here (it needs Linux's /proc). */
export function canSample(pid: number): boolean {
  return read(pid) !== null;
}

/** Samples `pid` every `intervalMs` from start() until stop(); stop() returns null where /proc is missing. */
export class ProcessSampler {
  private readings: Reading[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.readings = [];
    this.take();
    this.timer = setInterval(() => this.take(), this.intervalMs);
  }

  stop(): ProcessStats | null {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.take();
    const readings = this.readings;
    const first = readings[0];
    const last = readings[readings.length - 1];
    if (!first || !last || readings.length < 2 || last.at <= first.at) return null;
    let cpuPeak = 0;
    for (let i = 1; i < readings.length; i++) {
      const a = readings[i - 1];
      const b = readings[i];
      if (!a || !b || b.at <= a.at) continue;
      cpuPeak = Math.max(cpuPeak, ((b.cpuSeconds - a.cpuSeconds) / ((b.at - a.at) / 1000)) * 100);
    }
    const rss = readings.map((r) => r.rssKb);
    return {
      cpuAvgPercent: ((last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000)) * 100,
      cpuPeakPercent: cpuPeak,
      rssAvgMb: rss.reduce((sum, kb) => sum + kb, 0) / rss.length / 1024,
      rssPeakMb: Math.max(...rss) / 1024,
      samples: readings.length,
    };
  }

  private take(): void {
    const reading = read(this.pid);
    if (reading) this.readings.push(reading);
  }
}

/** CPU of the current (bench) process over a window, % of one core — the load generator's cost. */
export class OwnCpu {
  private startUsage = process.cpuUsage();
  private startAt = performance.now();

  start(): void {
    this.startUsage = process.cpuUsage();
    this.startAt = performance.now();
  }

  stopPercent(): number {
    const used = process.cpuUsage(this.startUsage);
    const seconds = (performance.now() - this.startAt) / 1000;
    return seconds > 0 ? ((used.user + used.system) / 1e6 / seconds) * 100 : 0;
  }
}

/**
 * Whole-machine CPU over a window, from /proc/stat, % of one core (so 200% = a 2-core machine flat out).
 * Subtracting the server and the bench gives what other processes took — a noisy neighbour makes
 * the figures of that run not comparable.
 */
export class MachineCpu {
  private start_: { at: number; busySeconds: number } | null = null;

  start(): void {
    this.start_ = readMachine();
  }

  stopPercent(): number | null {
    const end = readMachine();
    if (!this.start_ || !end || end.at <= this.start_.at) return null;
    return ((end.busySeconds - this.start_.busySeconds) / ((end.at - this.start_.at) / 1000)) * 100;
  }
}

function readMachine(): { at: number; busySeconds: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    if (!line.startsWith('cpu ')) return null;
    // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    return { at: performance.now(), busySeconds: (user + nice + system + irq + softirq + steal) / ticksPerSecond() };
  } catch {
    return null;
  }
}
