import { useEffect } from 'react';

/**
 * Keeps a wall screen from dimming or sleeping while TV mode is open (Screen Wake Lock API).
 * The browser drops the lock whenever the tab is hidden, so it is asked for again on return.
 * Where the API is missing or refused (no HTTPS, battery saver) the page simply works without it.
 */
export function useScreenWakeLock(): void {
  useEffect(() => {
    if (typeof navigator === 'undefined' || !('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let active = true;
    const request = async () => {
      if (document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
      try {
        const granted = await navigator.wakeLock.request('screen');
        if (active) sentinel = granted;
        else void granted.release();
      } catch {
        // refused: the screen may sleep, nothing else changes
      }
    };
    const onVisibility = () => void request();
    void request();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      active = false;
      document.removeEventListener('visibilitychange', onVisibility);
      void sentinel?.release().catch(() => undefined);
    };
  }, []);
}
