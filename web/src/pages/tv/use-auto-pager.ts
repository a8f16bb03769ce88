import { useEffect, useState } from 'react';

/**
 * The page a wall screen shows: advances every `intervalMs` and wraps around. Jumping to a page
 * (a dot) restarts the wait, so the chosen page stays up for a full interval.
 */
export function useAutoPager(pages: number, intervalMs: number): { page: number; goTo: (page: number) => void } {
  const [state, setState] = useState({ page: 0, jumps: 0 });
  const page = pages > 0 ? state.page % pages : 0;
  useEffect(() => {
    if (pages <= 1) return;
    const timer = setInterval(() => setState((current) => ({ ...current, page: (current.page + 1) % pages })), intervalMs);
    return () => clearInterval(timer);
  }, [pages, intervalMs, state.jumps]);
  return { page, goTo: (next) => setState((current) => ({ page: next, jumps: current.jumps + 1 })) };
}
