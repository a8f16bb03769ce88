/**
 * A print farm in one process: Moonraker, PrusaLink, Bambu Lab and Elegoo SDCP simulators, each on
 * its own ephemeral ports, a fraction of them busy with long prints (a print that ends is
 * restarted, so the fleet stays busy). For benchmarks and demos; `farm-cli.ts` runs one from the
 * command line.
 *
 * Printing printers start at a random point of their print (heaters at temperature), so the fleet
 * looks like a farm that has been running for a while rather than a thousand printers all heating
 * up at once. The traffic is what real printers send while printing: every printer reads its
 * thermistors with noise (±0.3 °C by default), and the print fields move in every message —
 * Moonraker pushes diffs at Klipper's 250 ms cadence (durations, unrounded progress and file
 * position, layers as they go by), Bambu P1/A1 printers send delta reports every second
 * (temperatures in 1/32 °C steps, mc_percent, mc_remaining_time, layer_num as they change),
 * PrusaLink printers answer the server's polls with fresh progress and times, and SDCP printers
 * push their status every 2 s, as the Centauri Carbon does.
 *
 * Every simulator type shares one timer per interval across the process (shared-ticker.ts), and
 * the Bambu printers share one CA, so a thousand printers cost a handful of timers, not thousands.
 */
import { randomBytes } from 'node:crypto';

import { type BambuModel, BambuSimulator, createSimulatorCa } from './bambu/index.js';
import { MoonrakerSimulator } from './moonraker/index.js';
import type { PrintPhase, PrintPlan } from './print-run.js';
import { PrusaLinkSimulator } from './prusalink/index.js';
import { SdcpSimulator } from './sdcp/index.js';

export type FarmApiType = 'moonraker' | 'prusalink' | 'bambu' | 'elegoo';

export interface FarmOptions {
  /** Moonraker printers (default 0). */
  moonraker?: number;
  /** PrusaLink printers (default 0). */
  prusalink?: number;
  /** Bambu Lab printers (default 0): P1S, A1 and P1P in turn, all sending delta (`"msg":1`) reports. */
  bambu?: number;
  /** Elegoo Centauri Carbon (SDCP) printers (default 0). */
  sdcp?: number;
  /**
   * Numbering of names and serials starts after this (default 0), so several farm processes can
   * make one fleet without two printers sharing a name or a Bambu serial.
   */
  offset?: number;
  /** Listen address of every simulator (default 127.0.0.1). */
  host?: string;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** Moonraker `notify_status_update` cadence in ms (default 250, Klipper's). */
  diffIntervalMs?: number;
  /** Bambu report cadence in ms (default 1000, what P1/A1 printers do while printing). */
  bambuPushIntervalMs?: number;
  /** Fraction (0–1) of each protocol's printers kept printing (default 0.8). */
  printing?: number;
  /** Thermistor noise of every printer, ± °C (default 0.3; 0 = exact readings). */
  sensorNoise?: number;
  /** How PrusaLink printers authenticate: HTTP Digest (default, as PrusaLink ships) or X-Api-Key. */
  prusalinkAuth?: 'digest' | 'apikey';
  /** How often ended prints are looked for and restarted, real ms (default 2000). */
  restartCheckMs?: number;
}

/** One printer as a farm manager would be told about it. */
export interface FarmPrinter {
  api_type: FarmApiType;
  /** The port to give as api_host (Bambu: the MQTT port). */
  port: number;
  api_key: string | null;
  username: string | null;
  password: string | null;
  /** Bambu: the serial (CN of its certificate) and LAN access code; null for the others. */
  serial: string | null;
  access_code: string | null;
  /** Bambu: the printer model, for the record. */
  model: string | null;
  name: string;
  /** Whether the farm keeps this printer printing. */
  printing: boolean;
}

export interface FarmStats {
  /** `notify_status_update` diffs written to Moonraker clients since the farm started. */
  moonrakerPushes: number;
  /** `push_status` reports published by Bambu printers since the farm started. */
  bambuPushes: number;
  /** Prints restarted after they ended. */
  restarts: number;
}

/** A bed target waiting to go out in a push: resolved with the push's send time. */
interface Mark {
  target: number;
  resolve: (sentAt: bigint) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface MoonrakerMember {
  kind: 'moonraker';
  printer: FarmPrinter;
  sim: MoonrakerSimulator;
  mark: Mark | null;
}

interface BambuMember {
  kind: 'bambu';
  printer: FarmPrinter;
  sim: BambuSimulator;
  mark: Mark | null;
}

interface PrusaLinkMember {
  kind: 'prusalink';
  printer: FarmPrinter;
  sim: PrusaLinkSimulator;
}

interface SdcpMember {
  kind: 'elegoo';
  printer: FarmPrinter;
  sim: SdcpSimulator;
}

type Member = MoonrakerMember | PrusaLinkMember | BambuMember | SdcpMember;
type MarkableMember = MoonrakerMember | BambuMember;

/** A mark whose push has not gone out within this long is given up (the printer lost its client?). */
const MARK_TIMEOUT_MS = 10_000;

const MATERIALS = [
  { nozzleTarget: 215, bedTarget: 60 }, // PLA
  { nozzleTarget: 240, bedTarget: 80 }, // PETG
  { nozzleTarget: 255, bedTarget: 100 }, // ABS/ASA
] as const;

/** Delta-reporting models (X1C sends the whole object on every push, which is not what this farm models). */
const BAMBU_MODELS: readonly BambuModel[] = ['P1S', 'A1', 'P1P'];
/** Serial prefixes in the style of each model's real serials (15 characters in all). */
const BAMBU_SERIAL_PREFIX: Record<string, string> = { P1S: '01P00A', A1: '03919A', P1P: '01S00C' };

const ENDED: ReadonlySet<PrintPhase> = new Set(['complete', 'cancelled', 'error', 'idle']);

/**
 * A long print: 4–12 simulated hours, a layer every ~40 s. `midway`: already 5–45 % through,
 * heaters at temperature (PrintRun's startAtProgress), as in a farm that has been running a while.
 */
function longPlan(fileName: string, midway: boolean): Partial<PrintPlan> {
  const durationSeconds = Math.round(4 * 3600 + Math.random() * 8 * 3600);
  const material = MATERIALS[Math.floor(Math.random() * MATERIALS.length)] ?? MATERIALS[0];
  const plan: Partial<PrintPlan> = {
    fileName,
    durationSeconds,
    totalLayers: Math.max(50, Math.round(durationSeconds / 40)),
    heatSeconds: 90,
    ...material,
  };
  if (midway) plan.startAtProgress = 0.05 + Math.random() * 0.4;
  return plan;
}

function secret(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

function count(value: number | undefined): number {
  return Math.max(0, Math.floor(value ?? 0));
}

export class Farm {
  readonly #members: Member[];
  readonly #byName = new Map<string, Member>();
  readonly #restartCheckMs: number;
  readonly #bambuCaPem: string | null;
  #restartTimer: NodeJS.Timeout | null = null;
  #stopped = false;
  #moonrakerPushes = 0;
  #bambuPushes = 0;
  #restarts = 0;
  #plans = 0;

  private constructor(members: Member[], restartCheckMs: number, bambuCaPem: string | null) {
    this.#members = members;
    this.#restartCheckMs = restartCheckMs;
    this.#bambuCaPem = bambuCaPem;
  }

  /** Starts every simulator (ports are ephemeral), the prints, and the restart watch. */
  static async start(options: FarmOptions = {}): Promise<Farm> {
    const moonraker = count(options.moonraker);
    const prusalink = count(options.prusalink);
    const bambu = count(options.bambu);
    const sdcp = count(options.sdcp);
    const offset = count(options.offset);
    const speed = options.speed ?? 1;
    const printing = Math.min(1, Math.max(0, options.printing ?? 0.8));
    const host = options.host ?? '127.0.0.1';
    const sensorNoise = options.sensorNoise ?? 0.3;
    const members: Member[] = [];
    const ca = bambu > 0 ? createSimulatorCa() : null;
    // The farm is built before any simulator starts, so the push hooks can reach it.
    const farm = new Farm(members, options.restartCheckMs ?? 2000, ca?.caPem ?? null);
    const number = (i: number, digits = 3): string => String(offset + i + 1).padStart(digits, '0');
    const base = { api_key: null, username: null, password: null, serial: null, access_code: null, model: null, port: 0 };

    const printingMoonraker = Math.round(moonraker * printing);
    for (let i = 0; i < moonraker; i++) {
      const name = `voron-${number(i)}`;
      const apiKey = secret();
      const member: MoonrakerMember = {
        kind: 'moonraker',
        printer: { ...base, api_type: 'moonraker', api_key: apiKey, name, printing: i < printingMoonraker },
        sim: new MoonrakerSimulator({
          host,
          apiKey,
          speed,
          diffIntervalMs: options.diffIntervalMs ?? 250,
          name,
          sensorNoise,
          onStatusPush: (diff, sentAt) => farm.#onMoonrakerPush(member, diff, sentAt),
        }),
        mark: null,
      };
      members.push(member);
    }
    const printingPrusaLink = Math.round(prusalink * printing);
    const digest = (options.prusalinkAuth ?? 'digest') === 'digest';
    for (let i = 0; i < prusalink; i++) {
      const name = `prusa-${number(i)}`;
      const password = digest ? secret(8) : null;
      const apiKey = digest ? null : secret(8);
      members.push({
        kind: 'prusalink',
        printer: {
          ...base,
          api_type: 'prusalink',
          api_key: apiKey,
          username: digest ? 'maker' : null,
          password,
          name,
          printing: i < printingPrusaLink,
        },
        sim: new PrusaLinkSimulator({
          host,
          speed,
          name,
          firmware: 'buddy',
          auth: password !== null ? { username: 'maker', password } : { apiKey: apiKey ?? '' },
          sensorNoise,
        }),
      });
    }
    const printingBambu = Math.round(bambu * printing);
    for (let i = 0; i < bambu; i++) {
      const model = BAMBU_MODELS[i % BAMBU_MODELS.length] ?? 'P1S';
      const serial = `${BAMBU_SERIAL_PREFIX[model] ?? '01P00A'}${number(i, 9)}`;
      const accessCode = secret(4);
      const member: BambuMember = {
        kind: 'bambu',
        printer: {
          ...base,
          api_type: 'bambu',
          serial,
          access_code: accessCode,
          model,
          name: `bambu-${number(i)}`,
          printing: i < printingBambu,
        },
        sim: new BambuSimulator({
          serial,
          accessCode,
          model,
          host,
          ca: ca ?? undefined,
          speed,
          pushIntervalMs: options.bambuPushIntervalMs ?? 1000,
          sensorNoise,
          onReportPush: (payload, sentAt) => farm.#onBambuPush(member, payload, sentAt),
        }),
        mark: null,
      };
      members.push(member);
    }
    const printingSdcp = Math.round(sdcp * printing);
    for (let i = 0; i < sdcp; i++) {
      const name = `centauri-${number(i)}`;
      members.push({
        kind: 'elegoo',
        printer: { ...base, api_type: 'elegoo', name, printing: i < printingSdcp },
        sim: new SdcpSimulator({ host, speed, name, udpPort: null, sensorNoise }),
      });
    }
    for (const member of members) farm.#byName.set(member.printer.name, member);

    try {
      // A few dozen at a time: a thousand listen() calls at once gain nothing.
      for (let i = 0; i < members.length; i += 50) {
        await Promise.all(
          members.slice(i, i + 50).map(async (member) => {
            await member.sim.start();
            member.printer.port = member.kind === 'bambu' ? member.sim.mqttPort : member.sim.port;
          }),
        );
      }
      for (const member of members) if (member.printer.printing) farm.#startPrint(member, true);
    } catch (error) {
      await farm.stop();
      throw error;
    }
    farm.#restartTimer = setInterval(() => farm.#restartEnded(), farm.#restartCheckMs);
    farm.#restartTimer.unref();
    return farm;
  }

  get printers(): FarmPrinter[] {
    return this.#members.map((member) => ({ ...member.printer }));
  }

  /** The CA (PEM) that signed every Bambu printer's certificate, null without Bambu printers. */
  get bambuCaPem(): string | null {
    return this.#bambuCaPem;
  }

  stats(): FarmStats {
    return { moonrakerPushes: this.#moonrakerPushes, bambuPushes: this.#bambuPushes, restarts: this.#restarts };
  }

  /**
   * Sets a Moonraker or Bambu printer's bed target (as from its screen) and resolves with
   * `process.hrtime.bigint()` taken when the push carrying it was written to the client's socket
   * (Moonraker) or published to the broker's subscribers (Bambu). One mark per printer at a time;
   * the target must differ from the printer's current one.
   */
  markBedTarget(name: string, target: number): Promise<bigint> {
    const member = this.#byName.get(name);
    if (!member || (member.kind !== 'moonraker' && member.kind !== 'bambu'))
      return Promise.reject(new Error(`no Moonraker or Bambu printer named ${name}`));
    if (this.#stopped) return Promise.reject(new Error('the farm is stopping'));
    if (member.mark) return Promise.reject(new Error(`${name} already has a mark waiting`));
    if (currentBedTarget(member) === target) return Promise.reject(new Error(`${name}'s bed target is already ${target}`));
    return new Promise<bigint>((resolve, reject) => {
      const timer = setTimeout(() => {
        member.mark = null;
        reject(new Error(`no push carried ${name}'s bed target ${target} within ${MARK_TIMEOUT_MS / 1000} s`));
      }, MARK_TIMEOUT_MS);
      member.mark = { target, resolve, reject, timer };
      try {
        member.sim.setTargets({ bed: target });
      } catch (error) {
        clearTimeout(timer);
        member.mark = null;
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#restartTimer) clearInterval(this.#restartTimer);
    this.#restartTimer = null;
    for (const member of this.#members) {
      if ((member.kind !== 'moonraker' && member.kind !== 'bambu') || !member.mark) continue;
      clearTimeout(member.mark.timer);
      member.mark.reject(new Error('the farm stopped'));
      member.mark = null;
    }
    await Promise.all(this.#members.map((member) => member.sim.stop()));
  }

  #onMoonrakerPush(member: MoonrakerMember, diff: Readonly<Record<string, Readonly<Record<string, unknown>>>>, sentAt: bigint): void {
    this.#moonrakerPushes++;
    const mark = member.mark;
    if (mark && diff['heater_bed']?.['target'] === mark.target) this.#settle(member, sentAt);
  }

  #onBambuPush(member: BambuMember, payload: string, sentAt: bigint): void {
    this.#bambuPushes++;
    const mark = member.mark;
    // The report is the simulator's own JSON (numbers as JSON.stringify writes them): a substring test is exact.
    if (mark && payload.includes(`"bed_target_temper":${JSON.stringify(mark.target)}`)) this.#settle(member, sentAt);
  }

  #settle(member: MarkableMember, sentAt: bigint): void {
    const mark = member.mark;
    if (!mark) return;
    clearTimeout(mark.timer);
    member.mark = null;
    mark.resolve(sentAt);
  }

  /** Starts a long print; `midway` starts it 5–45 % through. */
  #startPrint(member: Member, midway: boolean): void {
    const n = ++this.#plans;
    const extension = member.kind === 'prusalink' ? 'bgcode' : member.kind === 'bambu' ? '3mf' : 'gcode';
    const fileName = `part-${n}.${extension}`;
    member.sim.startPrint(fileName, longPlan(fileName, midway));
  }

  /** Prints that ended (finished, cancelled, failed) start again, so the fleet stays busy. */
  #restartEnded(): void {
    if (this.#stopped) return;
    for (const member of this.#members) {
      if (!member.printer.printing) continue;
      try {
        if (member.kind === 'prusalink') {
          const state = member.sim.state;
          if (state !== 'FINISHED' && state !== 'STOPPED' && state !== 'ERROR' && state !== 'IDLE') continue;
          member.sim.acknowledge();
        } else if (!ENDED.has(member.sim.phase)) {
          continue;
        }
        this.#startPrint(member, false);
        this.#restarts++;
      } catch (error) {
        process.stderr.write(
          `farm: restarting ${member.printer.name}'s print failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }
  }
}

function currentBedTarget(member: MarkableMember): unknown {
  if (member.kind === 'moonraker') return member.sim.objects()['heater_bed']?.['target'];
  return member.sim.report()['bed_target_temper'];
}
