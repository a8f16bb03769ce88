import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { InProcessEventBus } from '../../core/event-bus.js';
import type { OdinEvents } from '../../events.js';
import type { FleetLogger } from '../../printers/fleet-supervisor.js';
import { LiveStates } from '../../printers/live-states.js';
import type { PrinterLiveColumns, PrintersRepository } from './repository.js';
import { DEFAULT_PERSIST_OPTIONS, StatePersister } from './state-persister.js';

describe('StatePersister', () => {
  let writes: { id: number; columns: PrinterLiveColumns }[][];
  let live: LiveStates;
  let persister: StatePersister;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
    writes = [];
    const printers = {
      saveLiveStates: (rows: { id: number; columns: PrinterLiveColumns }[]) => {
        writes.push(rows);
        return Promise.resolve();
      },
    } as unknown as PrintersRepository;
    const logger: FleetLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
    const bus = new InProcessEventBus<OdinEvents>();
    live = new LiveStates(bus);
    persister = new StatePersister(printers, bus, live, logger);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const later = (ms: number) => vi.setSystemTime(Date.now() + ms);
  /** What the next tick would write (runs the pending flush first). */
  const tick = async () => {
    const before = writes.length;
    await persister.flush(false);
    return writes.slice(before).flat();
  };

  it('writes state changes at once and telemetry at most once a minute, everything on stop', async () => {
    expect(DEFAULT_PERSIST_OPTIONS.telemetryEveryMs).toBe(60_000);
    live.apply(7, { status: 'idle', online: true, nozzle_temp: 21, bed_temp: 20 });
    expect(await tick()).toMatchObject([{ id: 7, columns: { status: 'idle', nozzle_temp: 21, bed_temp: 20 } }]);

    // Temperatures alone wait for their turn: the live value is in LiveStates meanwhile.
    live.apply(7, { nozzle_temp: 150 });
    later(30_000);
    expect(await tick()).toEqual([]);
    live.apply(7, { nozzle_temp: 200 });
    later(29_000);
    expect(await tick()).toEqual([]);
    later(1_000);
    expect(await tick()).toMatchObject([{ id: 7, columns: { status: 'idle', nozzle_temp: 200 } }]);
    later(5_000);
    expect(await tick()).toEqual([]);

    // A state change goes out now, taking the latest telemetry with it.
    live.apply(7, { nozzle_temp: 210 });
    live.apply(7, { status: 'printing' });
    expect(await tick()).toMatchObject([{ id: 7, columns: { status: 'printing', nozzle_temp: 210 } }]);
    live.apply(7, { error_message: 'Heater extruder not heating at expected rate', error_code: 'heater' });
    expect(await tick()).toMatchObject([
      {
        id: 7,
        columns: { last_error_message: 'Heater extruder not heating at expected rate', last_error_code: 'heater' },
      },
    ]);

    // Stopping (a restart) leaves the last known values behind.
    live.apply(7, { nozzle_temp: 215, fan_speed: 80 });
    later(1_000);
    expect(await tick()).toEqual([]);
    const before = writes.length;
    await persister.stop();
    expect(writes.slice(before).flat()).toMatchObject([{ id: 7, columns: { nozzle_temp: 215, fan_speed: 80 } }]);
  });
});
