/**
 * `npm run demo`: ODIN with a living farm of twelve simulated printers across all four protocols —
 * some printing, one paused, one with a health (HMS) error, one offline — and an admin account
 * whose password is printed. Data goes to ./data-demo (fresh each run unless --keep).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { SYSTEM_ACTOR } from '../../server/src/core/actor.js';
import { loadConfig } from '../../server/src/core/config.js';
import { type RunningOdin, startOdin } from '../../server/src/server.js';
import { type BambuModel, BambuSimulator, createSimulatorCa } from './bambu/index.js';
import { MoonrakerSimulator } from './moonraker/index.js';
import type { PrintPlan } from './print-run.js';
import { PrusaLinkSimulator } from './prusalink/index.js';
import { SdcpSimulator } from './sdcp/index.js';

interface Stoppable {
  stop(): Promise<void>;
}

const HOURS = 3600;

function adminPassword(): string {
  // Meets the password policy: upper, lower, digit, 16 characters.
  return `Odin-${randomBytes(6).toString('hex')}-Demo7`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { keep: { type: 'boolean' }, speed: { type: 'string' } } });
  const speed = Number(values.speed ?? 1);
  const dataDir = path.resolve(process.env['ODIN_DATA_DIR'] ?? 'data-demo');
  if (!values.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });

  const sims: Stoppable[] = [];
  const ca = createSimulatorCa();
  const caFile = path.join(dataDir, 'demo-printers-ca.pem');
  fs.writeFileSync(caFile, ca.caPem);

  const longPrint = (fileName: string, hours: number, layers: number, startAtProgress: number): Partial<PrintPlan> => ({
    fileName,
    durationSeconds: hours * HOURS,
    totalLayers: layers,
    heatSeconds: 90,
    startAtProgress,
  });

  // Klipper printers.
  const voron = new MoonrakerSimulator({ speed, name: 'Voron 2.4' });
  const ender = new MoonrakerSimulator({ speed, name: 'Ender 3 S1' });
  const ratrig = new MoonrakerSimulator({ speed, name: 'RatRig V-Core' });
  // Prusa printers.
  const mk4 = new PrusaLinkSimulator({ speed, auth: { username: 'maker', password: 'demo-prusa' }, firmware: 'buddy', name: 'Prusa MK4' });
  const xl = new PrusaLinkSimulator({ speed, auth: { apiKey: 'demo-prusa-key' }, firmware: 'buddy', name: 'Prusa XL' });
  const mini = new PrusaLinkSimulator({ speed, auth: { username: 'maker', password: 'demo-prusa' }, firmware: 'pi', name: 'Prusa MINI+' });
  // Bambu printers (one is never started: it shows as offline).
  const bambu = (serial: string, model: BambuModel, amsUnits: number) =>
    new BambuSimulator({ serial, accessCode: 'demo1234', model, ca, speed, amsUnits, mqttPort: 0, ftpsPort: 0 });
  const x1c = bambu('00M09A350100001', 'X1C', 2);
  const p1s = bambu('01P00A3B0700002', 'P1S', 1);
  const a1 = bambu('03919A3A0600003', 'A1', 1);
  // Elegoo Centauri Carbon.
  const cc1 = new SdcpSimulator({ speed, name: 'Centauri Carbon 1', udpPort: null });
  const cc2 = new SdcpSimulator({ speed, name: 'Centauri Carbon 2', udpPort: null });

  for (const sim of [voron, ender, ratrig, mk4, xl, mini, x1c, p1s, a1, cc1, cc2]) {
    await sim.start();
    sims.push(sim);
  }

  // Prints already under way, as a farm looks when you walk in.
  voron.startPrint('enclosure_panel_ABS.gcode', longPrint('enclosure_panel_ABS.gcode', 5, 400, 0.35));
  ratrig.startPrint('bracket_PETG.gcode', longPrint('bracket_PETG.gcode', 3, 220, 0.4));
  mk4.startPrint('planter_PLA.bgcode', longPrint('planter_PLA.bgcode', 6, 600, 0.62));
  x1c.startPrint('multicolor_sign.3mf', longPrint('multicolor_sign.3mf', 4, 300, 0.48));
  p1s.startPrint('gridfinity_bins.3mf', longPrint('gridfinity_bins.3mf', 2, 150, 0.15));
  cc1.startPrint('cable_clips.gcode', longPrint('cable_clips.gcode', 1.5, 120, 0.8));
  // A health message on the A1: AMS Lite filament runout.
  a1.injectHms(0x07002000, 0x00020001);

  const password = adminPassword();
  const config = loadConfig({
    ...process.env,
    ODIN_DATA_DIR: dataDir,
    ODIN_ADMIN_USERNAME: process.env['ODIN_ADMIN_USERNAME'] ?? 'admin',
    ODIN_ADMIN_PASSWORD: password,
    ODIN_BAMBU_CA_FILE: caFile,
    ODIN_LOG_LEVEL: process.env['ODIN_LOG_LEVEL'] ?? 'warn',
  });
  const odin: RunningOdin = await startOdin(config);
  const stopAll = async () => {
    await odin.close();
    await Promise.all(sims.map((s) => s.stop()));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  const { printers } = odin.services;
  const existing = new Set((await printers.list()).map((p) => p.name));
  const add = async (input: Parameters<typeof printers.create>[0]) =>
    existing.has(input.name) ? null : printers.create(input, SYSTEM_ACTOR);
  const local = (port: number) => `127.0.0.1:${port}`;
  await add({ name: 'Voron 2.4', model: 'Voron 2.4 350', api_type: 'moonraker', api_host: local(voron.port) });
  await add({ name: 'Ender 3 S1', model: 'Creality Ender 3 S1', api_type: 'moonraker', api_host: local(ender.port) });
  const ratrigPrinter = await add({
    name: 'RatRig V-Core',
    model: 'RatRig V-Core 3.1',
    api_type: 'moonraker',
    api_host: local(ratrig.port),
  });
  await add({
    name: 'Prusa MK4',
    model: 'Original Prusa MK4',
    api_type: 'prusalink',
    api_host: local(mk4.port),
    username: 'maker',
    password: 'demo-prusa',
  });
  await add({
    name: 'Prusa XL',
    model: 'Original Prusa XL',
    api_type: 'prusalink',
    api_host: local(xl.port),
    api_key: 'demo-prusa-key',
    slot_count: 5,
  });
  await add({
    name: 'Prusa MINI+',
    model: 'Original Prusa MINI+',
    api_type: 'prusalink',
    api_host: local(mini.port),
    username: 'maker',
    password: 'demo-prusa',
  });
  await add({
    name: 'X1 Carbon',
    model: 'Bambu Lab X1C',
    api_type: 'bambu',
    api_host: local(x1c.mqttPort),
    serial: x1c.serial,
    access_code: 'demo1234',
    slot_count: 8,
  });
  await add({
    name: 'P1S',
    model: 'Bambu Lab P1S',
    api_type: 'bambu',
    api_host: local(p1s.mqttPort),
    serial: p1s.serial,
    access_code: 'demo1234',
  });
  await add({
    name: 'A1',
    model: 'Bambu Lab A1',
    api_type: 'bambu',
    api_host: local(a1.mqttPort),
    serial: a1.serial,
    access_code: 'demo1234',
  });
  await add({
    name: 'P1S (unplugged)',
    model: 'Bambu Lab P1S',
    api_type: 'bambu',
    api_host: '127.0.0.1:1',
    serial: '01P00A3B0799999',
    access_code: 'demo1234',
  });
  await add({ name: 'Centauri Carbon 1', model: 'Elegoo Centauri Carbon', api_type: 'elegoo', api_host: local(cc1.port) });
  await add({ name: 'Centauri Carbon 2', model: 'Elegoo Centauri Carbon', api_type: 'elegoo', api_host: local(cc2.port) });

  const line = '─'.repeat(64);
  console.log(`\n${line}\n  ODIN demo farm is running: ${odin.url.replace('127.0.0.1', 'localhost')}\n`);
  console.log(`  Log in as   admin`);
  console.log(`  Password    ${password}\n`);
  console.log('  12 simulated printers: 3 Klipper, 3 Prusa, 4 Bambu Lab (one unplugged), 2 Elegoo.');
  console.log('  Try: GET /api/printers/live-status, the /ws live feed, /api/docs.');
  console.log(`  Data in ${dataDir}. Stop with Ctrl+C.\n${line}\n`);

  // Pause the RatRig once ODIN has it online, as an operator would.
  if (ratrigPrinter) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const driver = odin.services.fleet.driverFor(ratrigPrinter.id);
      if (driver && odin.services.live.get(ratrigPrinter.id).status === 'printing') {
        await driver.pause().catch(() => undefined);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
