import { describe, expect, it, vi } from 'vitest';

import { createScannerBuffer } from './use-scanner-input';

function typer(onCode: (code: string) => void) {
  let clock = 0;
  const feed = createScannerBuffer(onCode, () => clock);
  const body = document.body;
  return {
    type(text: string, gap: number, target: HTMLElement = body) {
      for (const key of [...text, 'Enter']) {
        clock += gap;
        feed({ key, ctrlKey: false, metaKey: false, altKey: false, target });
      }
    },
  };
}

describe('a handheld scanner typing on the page', () => {
  it('opens the spool when a fast burst of keys ends with Enter', () => {
    const onCode = vi.fn();
    typer(onCode).type('spl-abcd2345', 8);
    expect(onCode).toHaveBeenCalledWith('SPL-ABCD2345');
  });

  it('ignores a person typing slowly, other codes, and keys typed into a field', () => {
    const onCode = vi.fn();
    const keys = typer(onCode);
    keys.type('SPL-ABCD2345', 200);
    keys.type('HELLO-1234', 5);
    keys.type('SPL-ABCD2345', 5, document.createElement('input'));
    expect(onCode).not.toHaveBeenCalled();
  });
});
