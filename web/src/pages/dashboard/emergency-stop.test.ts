import { describe, expect, it } from 'vitest';

import { stopAll } from './emergency-stop';

describe('stopping every running print', () => {
  it('sends every stop at once and reports each refusal without giving up on the others', async () => {
    const started: number[] = [];
    const refusal = new Error('Printer did not answer');
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pending = stopAll([1, 2, 3], async (id) => {
      started.push(id);
      await gate;
      if (id === 2) throw refusal;
    });
    // All three requests are under way before any of them finished.
    await Promise.resolve();
    expect(started).toEqual([1, 2, 3]);
    release();
    expect(await pending).toEqual({ stopped: [1, 3], failed: [{ id: 2, reason: refusal }] });
  });
});
