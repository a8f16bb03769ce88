/**
 * What the simulator tests (and the server's driver tests) share: polling until something happens,
 * clean-up after each test, and a JSON-object guard.
 */
import { afterEach } from 'vitest';

export type Json = Record<string, unknown>;

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns something truthy; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | false | null | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Work to undo after each test (simulators to stop, clients to close), last registered first. */
export function cleanupAfterEach(): (() => Promise<void> | void)[] {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });
  return cleanups;
}
