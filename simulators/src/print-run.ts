/**
 * A print moving through time, shared by every simulator: heat up → print layers → finish,
 * with pause, resume, cancel and failure. Time is simulated: `speed` simulated seconds pass per
 * real second, so a two-hour print can finish in a test in a second.
 */
export type PrintPhase = 'idle' | 'heating' | 'printing' | 'paused' | 'complete' | 'cancelled' | 'error';

export interface PrintPlan {
  fileName: string;
  /** Simulated seconds of printing after heat-up. */
  durationSeconds: number;
  totalLayers: number;
  nozzleTarget: number;
  bedTarget: number;
  /** Simulated seconds spent heating before the first layer. */
  heatSeconds: number;
  /** Start part-way through (0–1 of the printing time), hot, as if the print began earlier. */
  startAtProgress?: number;
}

export interface PrintSnapshot {
  phase: PrintPhase;
  fileName: string | null;
  /** 0–1 through the printing part (heating is 0). */
  progress: number;
  /** Simulated seconds since the print started (heating included), paused time excluded. */
  elapsedSeconds: number;
  printSeconds: number;
  remainingSeconds: number;
  currentLayer: number;
  totalLayers: number;
  nozzleTemp: number;
  bedTemp: number;
  nozzleTarget: number;
  bedTarget: number;
  /** Part-cooling fan 0–1: on while printing past the first layers. */
  fan: number;
}

export const DEFAULT_PLAN: PrintPlan = {
  fileName: 'benchy.gcode',
  durationSeconds: 3600,
  totalLayers: 120,
  nozzleTarget: 215,
  bedTarget: 60,
  heatSeconds: 60,
};

const AMBIENT = 22;

/**
 * A thermistor reading as firmware reports it: the true temperature plus uniform noise of up to
 * ± `noise` °C, then quantised to `stepsPerDegree` (100 Klipper, 10 PrusaLink, 32 a Bambu P1's
 * sensor). Dividing by the whole number of steps gives the nearest double (21.9, not
 * 21.900000000000002). Real sensors never read the same twice, so a printer at a steady
 * temperature still reports new values in almost every message.
 */
export function sensorReading(temperature: number, noise: number, stepsPerDegree: number): number {
  const reading = noise > 0 ? temperature + (Math.random() * 2 - 1) * noise : temperature;
  return Math.round(reading * stepsPerDegree) / stepsPerDegree;
}

export class PrintRun {
  #phase: PrintPhase = 'idle';
  #plan: PrintPlan | null = null;
  /** Simulated seconds accumulated while running (heating + printing). */
  #elapsed = 0;
  #lastTick: number;
  #nozzle = AMBIENT;
  #bed = AMBIENT;
  #manualTargets = { nozzle: 0, bed: 0 };
  /** Targets changed during a print (SET_HEATER_TEMPERATURE, M104) win over the plan's until it ends. */
  #overrides: { nozzle?: number; bed?: number } = {};

  constructor(
    private speed = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.#lastTick = now();
  }

  get phase(): PrintPhase {
    this.tick();
    return this.#phase;
  }

  setSpeed(speed: number): void {
    this.tick();
    this.speed = speed;
  }

  start(plan: Partial<PrintPlan> = {}): void {
    this.tick();
    this.#plan = { ...DEFAULT_PLAN, ...plan };
    this.#phase = 'heating';
    this.#elapsed = 0;
    this.#overrides = {};
    const head = Math.min(1, Math.max(0, this.#plan.startAtProgress ?? 0));
    if (head > 0) {
      this.#phase = 'printing';
      this.#elapsed = this.#plan.heatSeconds + this.#plan.durationSeconds * head;
      this.#nozzle = this.#plan.nozzleTarget;
      this.#bed = this.#plan.bedTarget;
    }
  }

  pause(): boolean {
    this.tick();
    if (this.#phase !== 'printing' && this.#phase !== 'heating') return false;
    this.#phase = 'paused';
    return true;
  }

  resume(): boolean {
    this.tick();
    if (this.#phase !== 'paused') return false;
    this.#phase = this.#elapsed < (this.#plan?.heatSeconds ?? 0) ? 'heating' : 'printing';
    return true;
  }

  cancel(): boolean {
    this.tick();
    if (!this.isActive()) return false;
    this.#phase = 'cancelled';
    return true;
  }

  fail(): void {
    this.tick();
    this.#phase = 'error';
  }

  /** Back to idle after a finished, cancelled or failed print (the user cleared the plate). */
  reset(): void {
    this.tick();
    this.#phase = 'idle';
    this.#plan = null;
    this.#elapsed = 0;
    this.#overrides = {};
  }

  setTargets(targets: { nozzle?: number; bed?: number }): void {
    this.tick();
    if (targets.nozzle !== undefined) this.#manualTargets.nozzle = targets.nozzle;
    if (targets.bed !== undefined) this.#manualTargets.bed = targets.bed;
    if (this.isActive()) this.#overrides = { ...this.#overrides, ...targets };
  }

  isActive(): boolean {
    return this.#phase === 'heating' || this.#phase === 'printing' || this.#phase === 'paused';
  }

  /** Advances simulated time to now. Cheap; every read calls it. */
  tick(): void {
    const now = this.now();
    const dt = (Math.max(0, now - this.#lastTick) / 1000) * this.speed;
    this.#lastTick = now;
    if (dt === 0) return;
    const plan = this.#plan;
    if (plan && (this.#phase === 'heating' || this.#phase === 'printing')) {
      this.#elapsed += dt;
      if (this.#phase === 'heating' && this.#elapsed >= plan.heatSeconds) this.#phase = 'printing';
      if (this.#phase === 'printing' && this.#elapsed >= plan.heatSeconds + plan.durationSeconds) {
        this.#elapsed = plan.heatSeconds + plan.durationSeconds;
        this.#phase = 'complete';
      }
    }
    const targets = this.targets();
    // Heaters approach their targets exponentially (time constant ~20 simulated seconds).
    const k = 1 - Math.exp(-dt / 20);
    this.#nozzle += ((targets.nozzle || AMBIENT) - this.#nozzle) * k;
    this.#bed += ((targets.bed || AMBIENT) - this.#bed) * k;
  }

  snapshot(): PrintSnapshot {
    this.tick();
    const plan = this.#plan;
    const targets = this.targets();
    const printSeconds = plan ? Math.max(0, Math.min(plan.durationSeconds, this.#elapsed - plan.heatSeconds)) : 0;
    const progress = plan ? (this.#phase === 'complete' ? 1 : printSeconds / plan.durationSeconds) : 0;
    const totalLayers = plan?.totalLayers ?? 0;
    return {
      phase: this.#phase,
      fileName: plan?.fileName ?? null,
      progress,
      elapsedSeconds: this.#elapsed,
      printSeconds,
      remainingSeconds: plan ? Math.max(0, plan.durationSeconds - printSeconds) : 0,
      currentLayer: plan ? Math.min(totalLayers, Math.floor(progress * totalLayers) + (printSeconds > 0 ? 1 : 0)) : 0,
      totalLayers,
      nozzleTemp: Math.round(this.#nozzle * 100) / 100,
      bedTemp: Math.round(this.#bed * 100) / 100,
      nozzleTarget: targets.nozzle,
      bedTarget: targets.bed,
      fan: this.#phase === 'printing' && progress > 0.02 ? 1 : 0,
    };
  }

  private targets(): { nozzle: number; bed: number } {
    const plan = this.#plan;
    if (plan && (this.#phase === 'heating' || this.#phase === 'printing' || this.#phase === 'paused')) {
      return { nozzle: this.#overrides.nozzle ?? plan.nozzleTarget, bed: this.#overrides.bed ?? plan.bedTarget };
    }
    return this.#manualTargets;
  }
}
