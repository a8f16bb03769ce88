import { describe, expect, it } from 'vitest';

import { describeHms, describePrintError, hmsCode, parseHmsCode, printErrorCode } from './hms-codes.js';

describe('HMS and print_error codes', () => {
  it('builds codes from the wire numbers (protocols.md §1.2 examples)', () => {
    expect(hmsCode(50331904, 65543)).toBe('0300_0100_0001_0007');
    expect(printErrorCode(117473286)).toBe('0700_8006');
    expect(printErrorCode(50348044)).toBe('0300_400C');
    expect(parseHmsCode('HMS_0300_0100_0001_0007')).toEqual({ attr: 0x03000100, code: 0x00010007 });
    expect(parseHmsCode('0300010000010007')).toEqual({ attr: 0x03000100, code: 0x00010007 });
    expect(parseHmsCode('0300_0100')).toBeNull();
  });

  it('describes known codes with module and severity', () => {
    expect(describeHms('0300_0100_0001_0007')).toMatchObject({
      code: '0300_0100_0001_0007',
      module: 'motion controller',
      severity: 'fatal',
      known: true,
      message: 'Heatbed temperature malfunction: the temperature sensor may be open-circuited',
      url: 'https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0300_0100_0001_0007',
    });
    expect(describeHms('hms_0300_0200_0001_0001').message).toBe('Nozzle temperature malfunction: the heater may be short-circuited');
    expect(describeHms('0C00_0300_0003_0008')).toMatchObject({ module: 'camera (xcam)', severity: 'common' });
    expect(describeHms('0C00_0300_0003_0008').message).toMatch(/spaghetti/i);
    expect(describeHms('0300_1200_0002_0001').message).toMatch(/front cover/i);
  });

  it('decodes AMS unit and slot from the code', () => {
    expect(describeHms('0700_2000_0002_0001')).toMatchObject({
      module: 'AMS',
      severity: 'serious',
      message: 'AMS A slot 1 has run out of filament',
    });
    expect(describeHms('0701_2300_0002_0001').message).toBe('AMS B slot 4 has run out of filament');
    expect(describeHms('0702_2100_0002_0004').message).toBe('AMS C slot 2: the filament may be tangled or stuck');
    expect(describeHms('0700_1200_0001_0004').message).toBe(
      'AMS A slot 3: the feed motor is overloaded; the filament may be tangled or stuck',
    );
    expect(describeHms('0703_5000_0002_0001').message).toBe('AMS D communication is abnormal: check the AMS cable');
  });

  it('falls back to the module name and the wiki link', () => {
    expect(describeHms('0800_1000_0004_0002')).toEqual({
      code: '0800_1000_0004_0002',
      module: 'toolhead',
      severity: 'info',
      known: false,
      message: 'Toolhead reported HMS 0800_1000_0004_0002; see https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0800_1000_0004_0002',
      url: 'https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0800_1000_0004_0002',
    });
    expect(describeHms('1200_2000_0002_0001').module).toBe('module 0x12');
    expect(describeHms('0300_0100_0009_0007').severity).toBe('common');
    expect(describeHms('not-a-code')).toMatchObject({
      known: false,
      url: null,
      message: 'Not an HMS code: not-a-code (expected AAAA_AAAA_CCCC_CCCC)',
    });
  });

  it('describes print_error codes given as hex, decimal text or number', () => {
    for (const code of ['0300_400C', '0300400c', '50348044', 50348044]) {
      expect(describePrintError(code)).toMatchObject({
        code: '0300_400C',
        message: 'The print was cancelled',
        severity: 'info',
        known: true,
      });
    }
    expect(describePrintError('0700_8006')).toMatchObject({
      code: '0700_8006',
      module: 'AMS',
      known: false,
      message: "The printer reported error 0700_8006 (AMS); look the code up on Bambu Lab's wiki",
    });
    expect(describePrintError('zz')).toMatchObject({ known: false, message: 'Not a print error code: zz (expected XXXX_XXXX)' });
    expect(describePrintError(-1).known).toBe(false);
  });
});
