import { describe, expect, it } from 'vitest';

import { type EventBus, InProcessEventBus } from './event-bus.js';

interface TestEvents {
  tick: { n: number };
  tock: string;
}

describe('the in-process event bus', () => {
  it('delivers each payload to every listener in emit order, and stops after unsubscribe', () => {
    const bus: EventBus<TestEvents> = new InProcessEventBus<TestEvents>();
    const seen: string[] = [];
    const off = bus.on('tick', ({ n }) => seen.push(`a${n}`));
    bus.on('tick', ({ n }) => seen.push(`b${n}`));
    bus.on('tock', (text) => seen.push(text));
    bus.emit('tick', { n: 1 });
    bus.emit('tock', 'tock');
    off();
    bus.emit('tick', { n: 2 });
    expect(seen).toEqual(['a1', 'b1', 'tock', 'b2']);
  });

  it('reports a throwing listener and still reaches the others; the emitter never sees the error', () => {
    const failures: [string, unknown][] = [];
    const bus = new InProcessEventBus<TestEvents>((event, error) => failures.push([event, error]));
    const reached: number[] = [];
    bus.on('tick', () => {
      throw new Error('listener broke');
    });
    bus.on('tick', ({ n }) => reached.push(n));
    expect(() => bus.emit('tick', { n: 7 })).not.toThrow();
    expect(reached).toEqual([7]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.[0]).toBe('tick');
    expect(String(failures[0]?.[1])).toMatch(/listener broke/);
  });
});
