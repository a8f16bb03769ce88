/**
 * What the driver tests share: a listener that records what a driver reports, a logger that keeps
 * warnings and errors, a free port and a connection to a simulator on this host; polling and
 * clean-up come from the simulators' test support, which the driver tests run against.
 */
import { createServer } from 'node:net';

import type { ApiType, DriverListener, DriverLogger, PrinterConnection } from '../driver.js';
import { offlineState, type PrinterState, type PrinterStatePatch, type PrinterStatus } from '../state.js';

export { cleanupAfterEach, sleep, waitFor } from '../../../../simulators/src/test-support.js';

/** The listener a driver reports to, keeping every patch, disconnect and sign of life. */
export class Recorder implements DriverListener {
  readonly patches: PrinterStatePatch[] = [];
  readonly disconnects: string[] = [];
  alive = 0;
  state: PrinterState = offlineState();

  onState(patch: PrinterStatePatch): void {
    this.patches.push(patch);
    this.state = { ...this.state, ...patch };
  }

  onDisconnect(reason: string): void {
    this.disconnects.push(reason);
  }

  onAlive(): void {
    this.alive++;
  }

  /** Every status the patches set, consecutive repeats removed. */
  statuses(from = 0): PrinterStatus[] {
    const out: PrinterStatus[] = [];
    for (const patch of this.patches.slice(from)) if (patch.status && out.at(-1) !== patch.status) out.push(patch.status);
    return out;
  }

  /** Every stage the patches set (null included), in order. */
  stages(from = 0): (string | null)[] {
    return this.patches.slice(from).flatMap((p) => (p.stage === undefined ? [] : [p.stage]));
  }
}

export interface LogLine {
  obj: object;
  msg: string | undefined;
}

/** A driver logger that keeps warnings and errors (debug and info are dropped). */
export function recordingLogger(): DriverLogger & { warnings: LogLine[]; errors: LogLine[]; warned(msg: string): number } {
  const warnings: LogLine[] = [];
  const errors: LogLine[] = [];
  return {
    warnings,
    errors,
    /** How many warnings had this message. */
    warned: (msg) => warnings.filter((line) => line.msg === msg).length,
    debug: () => undefined,
    info: () => undefined,
    warn: (obj, msg) => warnings.push({ obj, msg }),
    error: (obj, msg) => errors.push({ obj, msg }),
  };
}

/** A port nothing listens on (for "connection refused"). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A connection to a printer on this host without credentials; `overrides` adds them. */
export function localConnection(apiType: ApiType, port: number | null, overrides: Partial<PrinterConnection> = {}): PrinterConnection {
  return {
    printerId: 1,
    apiType,
    host: '127.0.0.1',
    port,
    apiKey: null,
    username: null,
    password: null,
    serial: null,
    accessCode: null,
    tlsInsecure: false,
    ...overrides,
  };
}
