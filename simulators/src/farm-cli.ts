/**
 * `npm run farm -- --moonraker 100 --prusalink 100 --bambu 100 --sdcp 20 --diff-interval 1000 --printing 0.8`
 *
 * Starts a simulated print farm (see farm.ts) in this process, prints ONE JSON line on stdout
 * describing the endpoints — `{"printers":[{"api_type","port","api_key","username","password",
 * "serial","access_code","model","name","printing"}],"bambuCaPem":"<PEM or null>"}` — and runs
 * until SIGTERM/SIGINT, then stops every simulator. Progress and errors go to stderr.
 *
 * Started with an IPC channel (`child_process.fork`), it also answers, for latency measurements:
 *   → `{"type":"mark","id":1,"name":"voron-007","bed":63.4}`: set that Moonraker or Bambu printer's bed target;
 *   ← `{"type":"marked","id":1,"sentAt":"<process.hrtime.bigint() when the push carrying it was written>"}`
 *     or `{"type":"mark_failed","id":1,"error":"…"}`;
 *   → `{"type":"stats","id":2}` ← `{"type":"stats","id":2,"moonrakerPushes":…,"bambuPushes":…,"restarts":…}`.
 * It exits when the IPC channel closes (the parent went away).
 */
import { parseArgs } from 'node:util';

import { Farm, type FarmOptions } from './farm.js';

const USAGE = `Usage: tsx simulators/src/farm-cli.ts [options]
  --moonraker N        Moonraker printers (default 0)
  --prusalink N        PrusaLink printers (default 0)
  --bambu N            Bambu Lab printers, delta reports (default 0)
  --sdcp N             Elegoo Centauri Carbon (SDCP) printers (default 0)
  --offset N           start numbering names and serials after N (several farms, one fleet; default 0)
  --speed S            simulated seconds per real second (default 1)
  --diff-interval MS   Moonraker status push interval (default 250)
  --bambu-interval MS  Bambu report interval (default 1000)
  --printing F         fraction of the printers kept printing, 0–1 (default 0.8)
  --noise C            Moonraker and Bambu thermistor noise, ± °C (default 0.3; 0 = none)
  --prusalink-auth A   digest (default) or apikey
  --host H             listen address (default 127.0.0.1)`;

function numberOption(values: Record<string, string | boolean | undefined>, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): FarmOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      moonraker: { type: 'string' },
      prusalink: { type: 'string' },
      bambu: { type: 'string' },
      sdcp: { type: 'string' },
      offset: { type: 'string' },
      'bambu-interval': { type: 'string' },
      speed: { type: 'string' },
      'diff-interval': { type: 'string' },
      printing: { type: 'string' },
      noise: { type: 'string' },
      'prusalink-auth': { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const auth = values['prusalink-auth'];
  if (auth !== undefined && auth !== 'digest' && auth !== 'apikey')
    throw new UsageError(`--prusalink-auth must be digest or apikey (got "${auth}")`);
  const options: FarmOptions = {};
  const moonraker = numberOption(values, 'moonraker', 0, 10_000);
  const prusalink = numberOption(values, 'prusalink', 0, 10_000);
  const speed = numberOption(values, 'speed', 0.001, 1_000_000);
  const bambu = numberOption(values, 'bambu', 0, 10_000);
  const sdcp = numberOption(values, 'sdcp', 0, 10_000);
  const offset = numberOption(values, 'offset', 0, 1_000_000);
  const diffIntervalMs = numberOption(values, 'diff-interval', 10, 60_000);
  const bambuPushIntervalMs = numberOption(values, 'bambu-interval', 10, 60_000);
  const printing = numberOption(values, 'printing', 0, 1);
  const sensorNoise = numberOption(values, 'noise', 0, 10);
  if (moonraker !== undefined) options.moonraker = Math.floor(moonraker);
  if (prusalink !== undefined) options.prusalink = Math.floor(prusalink);
  if (speed !== undefined) options.speed = speed;
  if (bambu !== undefined) options.bambu = Math.floor(bambu);
  if (sdcp !== undefined) options.sdcp = Math.floor(sdcp);
  if (offset !== undefined) options.offset = Math.floor(offset);
  if (diffIntervalMs !== undefined) options.diffIntervalMs = diffIntervalMs;
  if (bambuPushIntervalMs !== undefined) options.bambuPushIntervalMs = bambuPushIntervalMs;
  if (printing !== undefined) options.printing = printing;
  if (sensorNoise !== undefined) options.sensorNoise = sensorNoise;
  if (auth !== undefined) options.prusalinkAuth = auth;
  if (values.host !== undefined) options.host = values.host;
  return options;
}

type Request = { type: 'mark'; id: number; name: string; bed: number } | { type: 'stats'; id: number };

function parseRequest(message: unknown): Request | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (typeof m['id'] !== 'number') return null;
  if (m['type'] === 'mark' && typeof m['name'] === 'string' && typeof m['bed'] === 'number')
    return { type: 'mark', id: m['id'], name: m['name'], bed: m['bed'] };
  if (m['type'] === 'stats') return { type: 'stats', id: m['id'] };
  return null;
}

async function main(): Promise<number> {
  let options: FarmOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`farm: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const farm = await Farm.start(options);
  const printers = farm.printers;
  process.stdout.write(`${JSON.stringify({ printers, bambuCaPem: farm.bambuCaPem })}\n`);
  const printing = printers.filter((p) => p.printing).length;
  const of = (type: string): number => printers.filter((p) => p.api_type === type).length;
  process.stderr.write(
    `farm: ${of('moonraker')} Moonraker + ${of('prusalink')} PrusaLink + ${of('bambu')} Bambu + ${of('elegoo')} SDCP printers up ` +
      `(${printing} printing), pid ${process.pid}; SIGTERM or SIGINT stops them\n`,
  );

  const send = (message: Record<string, unknown>): void => {
    if (process.send && process.connected) process.send(message);
  };
  process.on('message', (raw: unknown) => {
    const request = parseRequest(raw);
    if (!request) return;
    if (request.type === 'stats') {
      send({ type: 'stats', id: request.id, ...farm.stats() });
      return;
    }
    farm.markBedTarget(request.name, request.bed).then(
      (sentAt) => send({ type: 'marked', id: request.id, sentAt: sentAt.toString() }),
      (error: unknown) => send({ type: 'mark_failed', id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    // Forked with IPC: the parent going away ends the farm too.
    if (process.send) process.once('disconnect', () => resolve('disconnect'));
  });
  process.stderr.write(`farm: ${signal}, stopping ${printers.length} simulators…\n`);
  await farm.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`farm: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
