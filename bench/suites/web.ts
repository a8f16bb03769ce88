/**
 * `web` suite: what the web app costs a browser. The built app (web/dist) is served by a real ODIN
 * server (its own process) watching a simulated farm (its own process: 100 Moonraker printers
 * pushing diffs at 1 Hz + 100 PrusaLink printers polled by the server), and Debian's Chromium
 * (headless, through playwright-core) opens the dashboard.
 *
 * Figures:
 * - JS the dashboard route needs, gzipped: every script the browser fetched until all cards were
 *   on screen, each compressed with gzip (level 9) the way a compressing proxy would send it.
 * - Time from navigation start to all 200 printer cards rendered (performance.now() in the page
 *   when a MutationObserver first counts 200 cards).
 * - Main-thread long tasks (PerformanceObserver 'longtask', ≥ 50 ms) during a window in which all
 *   printers keep updating: count per minute, how many exceeded 100 ms, the longest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { type Browser, chromium } from 'playwright-core';

import { onCleanup } from '../lib/cleanup.js';
import { addFarmPrinters } from '../lib/farm-printers.js';
import { startFarm } from '../lib/farm-process.js';
import { BenchError, buildServer, delay, login, REPO_ROOT, startServer } from '../lib/odin-server.js';
import { describeEnvironment, environment, fixed, int, table, writeResults } from '../lib/report.js';
import type { Suite, SuiteContext } from '../lib/suite.js';

const ADMIN = { username: 'admin', password: 'BenchAdm1n' } as const;
const CHROMIUM = process.env['ODIN_CHROMIUM'] ?? '/usr/bin/chromium';
const CARD_SELECTOR = 'article[data-printer-id]';
const TARGETS = { dashboardJsGzipKb: 250, allCardsMs: 1500, longTasksOver100Ms: 0 } as const;

interface PageFigures {
  scripts: Array<{ url: string; bytes: number; gzipBytes: number }>;
  allCardsMs: number;
  cards: number;
  longTasks: { count: number; over100: number; maxMs: number; windowSeconds: number };
}

async function buildWeb(context: SuiteContext): Promise<void> {
  context.progress('building the web app (vite build)…');
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync('npm', ['run', 'build', '-w', '@odin/web'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new BenchError(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

function gzipSizeOf(url: string): { bytes: number; gzipBytes: number } | null {
  const pathname = new URL(url).pathname;
  const file = path.join(REPO_ROOT, 'web', 'dist', pathname);
  if (!file.startsWith(path.join(REPO_ROOT, 'web', 'dist')) || !fs.existsSync(file)) return null;
  const content = fs.readFileSync(file);
  return { bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
}

async function measurePage(
  browser: Browser,
  url: string,
  token: string,
  printers: number,
  windowSeconds: number,
  context: SuiteContext,
): Promise<PageFigures> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const scriptUrls = new Set<string>();
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scriptUrls.add(response.url());
  });
  // A string, not a function: tsx compiles functions with name helpers (`__name`) the page does not have.
  await page.addInitScript(`(() => {
    localStorage.setItem('odin.token', ${JSON.stringify(token)});
    localStorage.setItem('odin.locale', 'en');
    const marks = { allCardsMs: -1, longTasksObserved: false, errors: [], longTasks: [] };
    window.__odinBench = marks;
    const check = () => {
      if (marks.allCardsMs < 0 && document.querySelectorAll(${JSON.stringify(CARD_SELECTOR)}).length >= ${printers}) marks.allCardsMs = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) marks.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
      marks.longTasksObserved = true;
    } catch (error) {
      marks.errors.push(String(error));
    }
  })();`);
  await page.goto(url);
  try {
    await page.waitForFunction(
      () => (window as unknown as { __odinBench: { allCardsMs: number } }).__odinBench.allCardsMs >= 0,
      undefined,
      { timeout: 60_000 },
    );
  } catch (error) {
    const shot = path.join(REPO_ROOT, 'bench', 'results', 'web-timeout.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    const seen = await page.locator(CARD_SELECTOR).count();
    throw new BenchError(`only ${seen} of ${printers} cards after 60 s (screenshot: ${path.relative(REPO_ROOT, shot)}): ${String(error)}`);
  }
  const allCardsMs = await page.evaluate(() => (window as unknown as { __odinBench: { allCardsMs: number } }).__odinBench.allCardsMs);
  const cards = await page.locator(CARD_SELECTOR).count();
  context.progress(`all ${cards} cards after ${fixed(allCardsMs)} ms; watching long tasks for ${windowSeconds} s while the fleet updates…`);
  const windowStart = await page.evaluate(() => performance.now());
  await delay(windowSeconds * 1000);
  const { tasks, observed } = await page.evaluate((from) => {
    const marks = (
      window as unknown as { __odinBench: { longTasksObserved: boolean; longTasks: Array<{ start: number; duration: number }> } }
    ).__odinBench;
    return { tasks: marks.longTasks.filter((task) => task.start >= from), observed: marks.longTasksObserved };
  }, windowStart);
  if (!observed) throw new BenchError('this Chromium does not report long tasks (PerformanceObserver "longtask")');
  // Proof the observer works here: a deliberate 120 ms task must be reported, or "0 long tasks" means nothing.
  // It runs from a timer: work that DevTools itself injects (page.evaluate) is not counted as a task.
  const probeFrom = await page.evaluate(() => {
    setTimeout(() => {
      const start = performance.now();
      while (performance.now() - start < 120) {
        // busy on purpose
      }
    }, 10);
    return performance.now();
  });
  await delay(300);
  const probed = await page.evaluate(
    (from) =>
      (window as unknown as { __odinBench: { longTasks: Array<{ start: number; duration: number }> } }).__odinBench.longTasks.some(
        (task) => task.start >= from && task.duration >= 100,
      ),
    probeFrom,
  );
  if (!probed) throw new BenchError('a deliberate 120 ms task was not reported as a long task: the long-task figures would be meaningless');
  await page.close();
  const scripts = [...scriptUrls].flatMap((scriptUrl) => {
    const size = gzipSizeOf(scriptUrl);
    return size ? [{ url: new URL(scriptUrl).pathname, ...size }] : [];
  });
  return {
    scripts,
    allCardsMs,
    cards,
    longTasks: {
      count: tasks.length,
      over100: tasks.filter((task) => task.duration > 100).length,
      maxMs: tasks.reduce((max, task) => Math.max(max, task.duration), 0),
      windowSeconds,
    },
  };
}

async function run(context: SuiteContext): Promise<number> {
  const { values } = parseArgs({
    args: context.args,
    options: { quick: { type: 'boolean' }, window: { type: 'string' }, loads: { type: 'string' } },
  });
  const quick = values.quick ?? false;
  const perProtocol = quick ? 20 : 100;
  const printers = perProtocol * 2;
  const windowSeconds = Number(values.window ?? (quick ? 15 : 60));
  const loads = Number(values.loads ?? 3);
  const startedAt = new Date();
  const env = environment();

  await buildServer();
  await buildWeb(context);
  context.progress(`starting a farm of ${perProtocol} Moonraker + ${perProtocol} PrusaLink printers…`);
  const farm = await startFarm({ moonraker: perProtocol, prusalink: perProtocol, diffIntervalMs: 1000 });
  const server = await startServer({
    admin: ADMIN,
    env: { ODIN_LOG_LEVEL: 'warn', ODIN_WEB_DIR: path.join(REPO_ROOT, 'web', 'dist') },
    openFiles: 8192,
  });
  let browser: Browser | null = null;
  const offBrowser = onCleanup(
    'browser',
    async () => {
      await browser?.close();
    },
    () => {},
  );
  try {
    const token = await login(server.url, ADMIN.username, ADMIN.password);
    await addFarmPrinters(server.url, token, farm.printers, (message) => context.progress(message));
    context.progress('waiting until every printer is online…');
    const deadline = Date.now() + 120_000;
    for (;;) {
      const live = (await (
        await fetch(`${server.url}/api/printers/live-status`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Array<{ online: boolean }>;
      if (live.length === printers && live.every((row) => row.online)) break;
      if (Date.now() > deadline)
        throw new BenchError(`only ${live.filter((row) => row.online).length} of ${printers} printers online after 120 s`);
      await delay(500);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // The first load warms the server and the browser's code cache the way a second visit would be;
    // every load is measured and the median is reported with the spread.
    const results: PageFigures[] = [];
    for (let index = 0; index < loads; index += 1) {
      const isLast = index === loads - 1;
      context.progress(`dashboard load ${index + 1} of ${loads}…`);
      results.push(await measurePage(browser, `${server.url}/`, token, printers, isLast ? windowSeconds : 1, context));
    }
    const last = results[results.length - 1];
    if (!last) throw new BenchError('no page load measured');
    const times = results.map((result) => result.allCardsMs).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const gzipTotal = last.scripts.reduce((sum, script) => sum + script.gzipBytes, 0);
    const rawTotal = last.scripts.reduce((sum, script) => sum + script.bytes, 0);
    const perMinute = (last.longTasks.count * 60) / last.longTasks.windowSeconds;

    console.log(
      `web — ${printers} printers (${perProtocol} Moonraker at 1 diff/s + ${perProtocol} PrusaLink polled), Chromium headless 1440×900`,
    );
    console.log(describeEnvironment(env));
    console.log(
      table(
        ['figure', 'measured', 'target', 'met'],
        [
          [
            'dashboard JS, gzip -9 (KB)',
            fixed(gzipTotal / 1024),
            `≤ ${TARGETS.dashboardJsGzipKb}`,
            gzipTotal / 1024 <= TARGETS.dashboardJsGzipKb ? 'yes' : 'NO',
          ],
          ['dashboard JS, raw (KB)', fixed(rawTotal / 1024), '', ''],
          [
            `navigation → ${printers} cards (ms, median of ${times.length})`,
            `${fixed(median)} (${times.map((t) => int(t)).join(', ')})`,
            `< ${TARGETS.allCardsMs}`,
            median < TARGETS.allCardsMs ? 'yes' : 'NO',
          ],
          [`long tasks ≥ 50 ms per minute (${last.longTasks.windowSeconds} s window)`, fixed(perMinute), '', ''],
          [
            'long tasks > 100 ms in the window',
            int(last.longTasks.over100),
            `${TARGETS.longTasksOver100Ms}`,
            last.longTasks.over100 <= TARGETS.longTasksOver100Ms ? 'yes' : 'NO',
          ],
          ['longest task (ms)', fixed(last.longTasks.maxMs), '', ''],
        ],
      ),
    );
    console.log(`scripts: ${last.scripts.map((script) => `${path.basename(script.url)} ${fixed(script.gzipBytes / 1024)} KB`).join(', ')}`);
    const file = writeResults('web', startedAt, { env, printers, quick, results, targets: TARGETS });
    console.log(`results: ${file}`);
    const met =
      gzipTotal / 1024 <= TARGETS.dashboardJsGzipKb && median < TARGETS.allCardsMs && last.longTasks.over100 <= TARGETS.longTasksOver100Ms;
    return met || quick ? 0 : 1;
  } finally {
    offBrowser();
    await browser?.close();
    await server.stop();
    await farm.stop();
  }
}

const suite: Suite = { run };
export default suite;
