/**
 * One timer per interval for every simulator in the process: a benchmark running a hundred
 * printers at 1 Hz wakes up once a second, not a hundred times. The timer is unref'd (the
 * simulators' own servers keep a process alive) and stops when its last listener leaves.
 */
interface Ticker {
  timer: NodeJS.Timeout;
  callbacks: Set<() => void>;
}

const tickers = new Map<number, Ticker>();

export function onTick(intervalMs: number, callback: () => void): () => void {
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    const callbacks = new Set<() => void>();
    const timer = setInterval(() => {
      for (const cb of callbacks) {
        try {
          cb();
        } catch (err) {
          // One simulator's failure must not stop the others' pushes.
          console.error('simulator tick failed', err);
        }
      }
    }, intervalMs);
    timer.unref();
    ticker = { timer, callbacks };
    tickers.set(intervalMs, ticker);
  }
  const entry = ticker;
  const cb = callback;
  entry.callbacks.add(cb);
  return () => {
    entry.callbacks.delete(cb);
    if (entry.callbacks.size === 0 && tickers.get(intervalMs) === entry) {
      clearInterval(entry.timer);
      tickers.delete(intervalMs);
    }
  };
}
