import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { readToken } from '@/auth/token-store';
import { useSession } from '@/auth/session';
import { LiveStore, type LivePrinter, type LiveStatus } from './live-store';

const LiveContext = createContext<LiveStore | null>(null);

/** One live store per logged-in session; print-history queries refresh when a job event arrives. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { token, logout } = useSession();
  const queryClient = useQueryClient();
  const store = useMemo(() => new LiveStore({ getToken: readToken, onUnauthorized: () => void logout() }), [token, logout]);
  useEffect(() => {
    if (!token) return;
    store.start();
    const offJob = store.onJob(() => {
      void queryClient.invalidateQueries({ queryKey: ['print-jobs'] });
      void queryClient.invalidateQueries({ queryKey: ['stats'] });
    });
    return () => {
      offJob();
      store.stop();
    };
  }, [store, token, queryClient]);
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

/** The ids in fleet order (changes only when printers come or go). */
export function useLivePrinterIds(): number[] {
  const store = useLiveStore();
  return useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.ids(),
  );
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
