import { useCallback, useSyncExternalStore } from 'react';

/**
 * One timer per tick length for the whole page, however many components read the time: a
 * dashboard of 200 cards must not run 200 intervals. Reading Date.now() while rendering would
 * make a render depend on when it happens; here the time is a snapshot that changes on a tick.
 */
interface Ticker {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
}

const tickers = new Map<number, Ticker>();

function tickerFor(ms: number): Ticker {
  let ticker = tickers.get(ms);
  if (!ticker) {
    ticker = { now: Date.now(), listeners: new Set(), timer: null };
    tickers.set(ms, ticker);
  }
  return ticker;
}

function subscribeTo(ms: number, listener: () => void): () => void {
  const ticker = tickerFor(ms);
  ticker.listeners.add(listener);
  if (ticker.timer === null) {
    // A reader may have rendered with a time taken long before it subscribed; a fresh one would
    // re-render every card that just mounted, so only a time older than a tick is replaced.
    if (Date.now() - ticker.now >= ms) ticker.now = Date.now();
    ticker.timer = setInterval(() => {
      ticker.now = Date.now();
      for (const notify of ticker.listeners) notify();
    }, ms);
  }
  return () => {
    ticker.listeners.delete(listener);
    if (ticker.listeners.size > 0) return;
    if (ticker.timer !== null) clearInterval(ticker.timer);
    // Forgotten while nobody listens, so the next reader starts from the real time, not an old tick.
    tickers.delete(ms);
  };
}

/** The current time in ms, updated every `ms` (shared by every component asking for the same `ms`). */
export function useClock(ms: number): number {
  const subscribe = useCallback((listener: () => void) => subscribeTo(ms, listener), [ms]);
  const getSnapshot = useCallback(() => tickerFor(ms).now, [ms]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
