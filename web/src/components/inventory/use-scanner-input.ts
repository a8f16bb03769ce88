import { useEffect, useEffectEvent } from 'react';

import { parseScannedCode } from './scan-code';

/** A handheld scanner types a whole code within a few dozen milliseconds; people type far slower. */
const MAX_GAP_MS = 60;
const SPOOL_PREFIX = /^SPL-/;

/**
 * Feeds keys typed outside any field into a small buffer; Enter after a fast burst that reads as a
 * spool code (SPL-…) calls `onCode`. Lets a handheld scanner open a spool from anywhere on the page
 * without clicking "Scan" first. Keys a person types slowly are ignored, as are keys in fields and
 * while a dialog is open (the dialog has its own field).
 */
export function createScannerBuffer(onCode: (code: string) => void, now: () => number = () => performance.now()) {
  let buffer = '';
  let last = 0;
  return (event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): boolean => {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return false;
    if (typeof document !== 'undefined' && document.querySelector('dialog[open]')) return false;
    const time = now();
    if (time - last > MAX_GAP_MS) buffer = '';
    last = time;
    if (event.key === 'Enter') {
      const code = parseScannedCode(buffer);
      buffer = '';
      if (code && SPOOL_PREFIX.test(code)) {
        onCode(code);
        return true;
      }
      return false;
    }
    if (event.key.length === 1) buffer = (buffer + event.key).slice(-40);
    return false;
  };
}

export function useScannerInput(onCode: (code: string) => void): void {
  const found = useEffectEvent(onCode);
  useEffect(() => {
    const feed = createScannerBuffer((code) => found(code));
    const onKey = (event: KeyboardEvent) => {
      if (feed(event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
