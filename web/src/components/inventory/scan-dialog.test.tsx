import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { I18nProvider } from '@/i18n';

import { ScanDialog } from './scan-dialog';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

afterEach(() => {
  cleanup();
  Reflect.deleteProperty(window, 'BarcodeDetector');
});

function renderScan(onCode: (code: string) => void, error: string | null = null) {
  return render(
    <I18nProvider initial="en">
      <ScanDialog open title="Scan a spool" error={error} onClose={() => {}} onCode={onCode} />
    </I18nProvider>,
  );
}

describe('the scan dialog', () => {
  it('takes what a handheld scanner types, ending with Enter, as the spool code', () => {
    const onCode = vi.fn();
    renderScan(onCode);
    const field = screen.getByLabelText('Spool code');
    expect(document.activeElement).toBe(field);
    fireEvent.change(field, { target: { value: ' spl-abcd2345 ' } });
    fireEvent.submit(field.closest('form')!);
    expect(onCode).toHaveBeenCalledWith('SPL-ABCD2345');
    // Ready for the next label.
    expect((field as HTMLInputElement).value).toBe('');
  });

  it('says so when what was typed cannot be a code, and shows the caller’s refusal', () => {
    const onCode = vi.fn();
    renderScan(onCode, 'No spool has this code. Check the label, or add the spool first.');
    const field = screen.getByLabelText('Spool code');
    fireEvent.change(field, { target: { value: 'a b' } });
    fireEvent.submit(field.closest('form')!);
    expect(onCode).not.toHaveBeenCalled();
    expect(screen.getByText(/This is not a spool code/)).toBeTruthy();
    expect(screen.getByText(/No spool has this code/)).toBeTruthy();
  });

  it('offers the camera only where the browser can read codes from it', () => {
    renderScan(() => {});
    expect(screen.queryByRole('button', { name: 'Scan with the camera' })).toBeNull();
    expect(screen.getByText(/cannot read codes from the camera/)).toBeTruthy();
    cleanup();
    Object.defineProperty(window, 'BarcodeDetector', { value: class {}, configurable: true });
    Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia: () => new Promise(() => {}) }, configurable: true });
    renderScan(() => {});
    expect(screen.getByRole('button', { name: 'Scan with the camera' })).toBeTruthy();
  });
});
