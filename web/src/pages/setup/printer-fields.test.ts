import { describe, expect, it } from 'vitest';

import { connectionBody, createBody, EMPTY_PRINTER, missingFields, type PrinterDraft } from './printer-fields';

const draft = (patch: Partial<PrinterDraft>): PrinterDraft => ({ ...EMPTY_PRINTER, host: '192.168.1.40', ...patch });

describe('first-printer form', () => {
  it('sends only the fields the chosen protocol uses', () => {
    // Fields typed before switching protocol must not travel with the printer.
    const leftovers = { apiKey: 'moon-key', password: 'prusa-pass', serial: '01P00A3B0700002', accessCode: 'demo1234' };
    expect(connectionBody(draft({ ...leftovers, protocol: 'elegoo' }))).toEqual({ api_type: 'elegoo', api_host: '192.168.1.40' });
    expect(connectionBody(draft({ ...leftovers, protocol: 'moonraker' }))).toEqual({
      api_type: 'moonraker',
      api_host: '192.168.1.40',
      api_key: 'moon-key',
    });
    expect(connectionBody(draft({ ...leftovers, protocol: 'prusalink' }))).toEqual({
      api_type: 'prusalink',
      api_host: '192.168.1.40',
      username: 'maker',
      password: 'prusa-pass',
    });
    expect(connectionBody(draft({ ...leftovers, protocol: 'prusalink', prusaAuth: 'apikey' }))).toEqual({
      api_type: 'prusalink',
      api_host: '192.168.1.40',
      api_key: 'moon-key',
    });
    expect(connectionBody(draft({ ...leftovers, protocol: 'bambu', serial: ' 01P00A3B 0700002 ', tlsInsecure: true }))).toEqual({
      api_type: 'bambu',
      api_host: '192.168.1.40',
      serial: '01P00A3B0700002',
      access_code: 'demo1234',
      tls_insecure: true,
    });
  });

  it('leaves out an empty optional Moonraker key and trims the host', () => {
    expect(connectionBody(draft({ host: '  voron.local:7125 ' }))).toEqual({ api_type: 'moonraker', api_host: 'voron.local:7125' });
  });

  it('names what is missing per protocol; only adding needs a name', () => {
    expect(missingFields(draft({ host: '' }), false)).toEqual(['host']);
    expect(missingFields(draft({}), true)).toEqual(['name']);
    expect(missingFields(draft({ protocol: 'bambu' }), false)).toEqual(['serial', 'accessCode']);
    expect(missingFields(draft({ protocol: 'prusalink', username: '' }), false)).toEqual(['username', 'password']);
    expect(missingFields(draft({ protocol: 'prusalink', prusaAuth: 'apikey' }), false)).toEqual(['apiKey']);
    expect(missingFields(draft({ protocol: 'elegoo', name: 'CC1' }), true)).toEqual([]);
    expect(createBody(draft({ protocol: 'elegoo', name: ' CC1 ' }))).toEqual({ name: 'CC1', api_type: 'elegoo', api_host: '192.168.1.40' });
  });
});
