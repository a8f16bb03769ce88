import type { DriverLogger } from '../../driver.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** At most this many warnings about dropped input per minute per session; the rest are counted. */
const DROPPED_PER_MINUTE = 10;

export interface SessionLogNames {
  printerId: number;
  /** The `protocol` field of every line: 'moonraker', 'sdcp', 'bambu'. */
  protocol: string;
  /** How people call the protocol in a sentence: 'Moonraker', 'SDCP', 'Bambu'. */
  label: string;
  /** What the printer sends, for the "more … were dropped" line: 'frames', 'messages'. */
  input: string;
}

/**
 * A push session's logger. Every line names the printer and protocol; a logger that throws never
 * breaks the session; warnings about dropped input are rate-limited, because a printer sending
 * garbage would otherwise flood the log at its push rate.
 */
export class SessionLog {
  #windowStart = 0;
  #count = 0;
  #suppressed = 0;

  constructor(
    private readonly logger: DriverLogger,
    private readonly names: SessionLogNames,
  ) {}

  write(level: Level, obj: Record<string, unknown>, msg: string): void {
    try {
      this.logger[level]({ printerId: this.names.printerId, protocol: this.names.protocol, ...obj }, msg);
    } catch {
      // A broken logger must not break the session.
    }
  }

  /** A warning about input the session dropped; at most DROPPED_PER_MINUTE a minute are written. */
  dropped(obj: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    if (now - this.#windowStart > 60_000) {
      if (this.#suppressed > 0)
        this.write('warn', { suppressed: this.#suppressed }, `more malformed ${this.names.label} ${this.names.input} were dropped`);
      this.#windowStart = now;
      this.#count = 0;
      this.#suppressed = 0;
    }
    if (this.#count++ < DROPPED_PER_MINUTE) this.write('warn', obj, msg);
    else this.#suppressed++;
  }

  /** Runs an event handler; nothing it throws reaches the event loop. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.write(
        'error',
        { err: err instanceof Error ? (err.stack ?? err.message) : String(err) },
        `${this.names.label} event handler failed`,
      );
    }
  }

  /** Calls the supervisor's listener (`which`: state, alive, disconnect); what it throws is logged, not passed on. */
  tell(which: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.write('error', { err: err instanceof Error ? err.message : String(err) }, `${which} listener threw`);
    }
  }
}
