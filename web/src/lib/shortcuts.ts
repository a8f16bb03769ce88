import { useEffect, useEffectEvent } from 'react';

/**
 * Two-key "g d" style shortcuts and single keys ("?"), ignored while the user types in a field.
 * `bindings` maps a sequence ("g d", "?", "/") to an action. "mod+k" is Ctrl+K (⌘K on a Mac): such
 * chords work while typing too, as people expect of a command palette, but not inside a dialog.
 */
export function useShortcuts(bindings: Record<string, () => void>): void {
  // Effect events read this render's bindings when a key is pressed, so the listener is added once.
  const actionFor = useEffectEvent((sequence: string): (() => void) | undefined => bindings[sequence]);
  const startsSequence = useEffectEvent((key: string): boolean => Object.keys(bindings).some((binding) => binding.startsWith(`${key} `)));
  useEffect(() => {
    let pending: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        const chord = actionFor(`mod+${event.key.toLowerCase()}`);
        if (chord && !document.querySelector('dialog[open]')) {
          event.preventDefault();
          pending = null;
          chord();
        }
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (document.querySelector('dialog[open]')) return;
      const key = event.key;
      const sequence = pending ? `${pending} ${key}` : key;
      const action = actionFor(sequence);
      if (action) {
        event.preventDefault();
        pending = null;
        action();
        return;
      }
      pending = !pending && startsSequence(key) ? key : null;
      clearTimeout(timer);
      if (pending) timer = setTimeout(() => (pending = null), 1200);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      clearTimeout(timer);
    };
  }, []);
}
