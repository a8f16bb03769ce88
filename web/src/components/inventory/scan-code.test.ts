import { describe, expect, it } from 'vitest';

import { parseScannedCode } from './scan-code';

describe('a scanned code', () => {
  it('reads the spool code as stored, whatever case and spaces the scanner typed', () => {
    expect(parseScannedCode('SPL-ABCD2345')).toBe('SPL-ABCD2345');
    expect(parseScannedCode('  spl-abcd2345\n')).toBe('SPL-ABCD2345');
  });

  it('finds the code inside a link printed as a QR code', () => {
    expect(parseScannedCode('https://odin.farm/spools?code=SPL-XYZW7890&x=1')).toBe('SPL-XYZW7890');
  });

  it('puts right a scanner on a US layout typing into a German keyboard layout', () => {
    expect(parseScannedCode('SPLßABCD2345')).toBe('SPL-ABCD2345');
  });

  it('passes other plain codes (Spoolman spools, older labels) and refuses what cannot be a code', () => {
    expect(parseScannedCode('web-1234')).toBe('WEB-1234');
    expect(parseScannedCode('')).toBeNull();
    expect(parseScannedCode('   ')).toBeNull();
    expect(parseScannedCode('abc')).toBeNull();
    expect(parseScannedCode('not a code at all')).toBeNull();
  });
});
