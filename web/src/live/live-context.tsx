import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { useSession } from '@/auth/session';
import { readToken } from '@/auth/token-store';

import { type LivePrinter, type LiveStatus, LiveStore } from './live-store';

const LiveContext = createContext<LiveStore | null>(null);

/**
 * One live store per logged-in session. Print-history queries refresh when a job event arrives;
 * printer queries when a printer is added, edited, reordered or removed (by anyone, anywhere), so
 * the dashboard, TV mode and the printers page follow without a reload.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { token, renew, onTokenRefreshed } = useSession();
  const signedIn = token !== null;
  const queryClient = useQueryClient();
  // One store per mount: RequireSession unmounts this provider when the session ends, so the next
  // session never starts with the last one's printers. Refused (4401): the session is renewed (the
  // listener below connects again) or, if it cannot be, ends.
  const [store] = useState(() => new LiveStore({ getToken: readToken, onUnauthorized: () => void renew() }));
  // A refreshed token reaches the open socket, which stays open (TV mode keeps running); a store
  // the server refused connects again with it.
  useEffect(
    () =>
      onTokenRefreshed((fresh) => {
        if (store.status === 'closed') store.start();
        else store.reauthenticate(fresh);
      }),
    [store, onTokenRefreshed],
  );
  useEffect(() => {
    if (!signedIn) return;
    store.start();
    const offJob = store.onJob(() => {
      void queryClient.invalidateQueries({ queryKey: ['print-jobs'] });
      void queryClient.invalidateQueries({ queryKey: ['stats'] });
    });
    const offConfig = store.onPrinterConfig((event) => {
      void queryClient.invalidateQueries({ queryKey: ['printers'], exact: true });
      if (event.type !== 'printers_reordered') void queryClient.invalidateQueries({ queryKey: ['printers', event.data.printer_id] });
    });
    return () => {
      offJob();
      offConfig();
      store.stop();
    };
  }, [store, signedIn, queryClient]);
  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}

/** Provides a store made elsewhere (component tests feed one with applyRows; nothing connects). */
export function LiveStoreProvider({ store, children }: { store: LiveStore; children: ReactNode }) {
  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}

export function useLiveStore(): LiveStore {
  const store = useContext(LiveContext);
  if (!store) throw new Error('useLiveStore outside LiveProvider');
  return store;
}

/** Every printer's live state (re-renders on any change: use for lists, counters). */
export function useLivePrinters(): LivePrinter[] {
  const store = useLiveStore();
  return useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.all(),
  );
}

/** One printer's live state; re-renders only when that printer changes. */
export function useLivePrinter(id: number): LivePrinter | undefined {
  const store = useLiveStore();
  return useSyncExternalStore(
    (listener) => store.subscribePrinter(id, listener),
    () => store.printer(id),
  );
}

const noSubscription = () => () => {};

/** One printer's live state where a live store is provided, undefined where none is (a page rendered on its own). */
export function useLivePrinterIfAny(id: number): LivePrinter | undefined {
  const store = useContext(LiveContext);
  return useSyncExternalStore(store ? (listener) => store.subscribePrinter(id, listener) : noSubscription, () => store?.printer(id));
}

/** The ids in fleet order (changes only when printers come or go). */
export function useLivePrinterIds(): number[] {
  const store = useLiveStore();
  return useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.ids(),
  );
}

/**
 * Something derived from the whole fleet (counters, the order of the cards) that re-renders its
 * component only when the derived value changes by `isEqual`, not on every temperature tick.
 * Give a stable `select` (useCallback) — a new one recomputes, which is correct but wasted work.
 */
export function useLiveSelector<T>(select: (printers: LivePrinter[]) => T, isEqual: (a: T, b: T) => boolean): T {
  const store = useLiveStore();
  const cache = useRef<{ source: LivePrinter[]; select: (printers: LivePrinter[]) => T; value: T } | null>(null);
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const getSnapshot = () => {
    const source = store.all();
    const cached = cache.current;
    if (cached && cached.source === source && cached.select === select) return cached.value;
    const fresh = select(source);
    const value = cached && isEqual(cached.value, fresh) ? cached.value : fresh;
    cache.current = { source, select, value };
    return value;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}

export function useLiveStatus(): { status: LiveStatus; hasSnapshot: boolean } {
  const store = useLiveStore();
  const status = useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.status,
  );
  const hasSnapshot = useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.hasSnapshot,
  );
  return { status, hasSnapshot };
}
