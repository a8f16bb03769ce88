/**
 * What a scanner read, as the code ODIN looks up. Handheld scanners type like a keyboard and end
 * with Enter; a QR code may hold a bare code or a link with the code in it. A scanner set to a US
 * layout on a German keyboard types "ß" for "-", which is put right. Null when it is not a code.
 */
const SPOOL_CODE = /SPL-[A-Z0-9]{4,28}/i;
const ANY_CODE = /^[A-Za-z0-9-]{4,32}$/;

export function parseScannedCode(raw: string): string | null {
  const text = raw.replaceAll('ß', '-').trim();
  if (!text) return null;
  const spool = SPOOL_CODE.exec(text);
  if (spool) return spool[0].toUpperCase();
  return ANY_CODE.test(text) ? text.toUpperCase() : null;
}

/** Whether this browser can read QR codes from the camera itself (Chromium's BarcodeDetector). */
export function cameraScanSupported(): boolean {
  return typeof window !== 'undefined' && 'BarcodeDetector' in window && typeof navigator.mediaDevices?.getUserMedia === 'function';
}
