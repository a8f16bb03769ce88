import { describe, expect, it } from 'vitest';

import {
  buildCreateBody,
  buildTestBody,
  buildUpdateBody,
  cleanSerial,
  emptyValues,
  initialValues,
  type PrinterFormValues,
  type PrinterSettings,
  secretStored,
  serverFieldErrors,
  validate,
  visibleFields,
} from './printer-fields';

function saved(overrides: Partial<PrinterSettings> = {}): PrinterSettings {
  return {
    id: 7,
    name: 'Voron',
    model: 'Voron 2.4',
    api_type: 'moonraker',
    api_host: '10.0.0.5:7125',
    api_key_set: false,
    username: null,
    password_set: false,
    serial: null,
    access_code_set: false,
    tls_insecure: false,
    slot_count: 4,
    camera_url: null,
    camera_discovered: false,
    is_active: true,
    ...overrides,
  };
}

const values = (patch: Partial<PrinterFormValues>): PrinterFormValues => ({ ...emptyValues(), name: 'New', host: '10.0.0.9', ...patch });

describe('fields per protocol', () => {
  it('asks each protocol only for what it needs', () => {
    expect(visibleFields('moonraker', 'digest')).toMatchObject({
      apiKey: true,
      username: false,
      password: false,
      serial: false,
      accessCode: false,
      tlsInsecure: false,
    });
    expect(visibleFields('prusalink', 'digest')).toMatchObject({
      prusaAuth: true,
      apiKey: false,
      username: true,
      password: true,
      serial: false,
    });
    expect(visibleFields('prusalink', 'apikey')).toMatchObject({ prusaAuth: true, apiKey: true, username: false, password: false });
    expect(visibleFields('bambu', 'digest')).toMatchObject({
      apiKey: false,
      username: false,
      serial: true,
      accessCode: true,
      tlsInsecure: true,
    });
    expect(Object.values(visibleFields('elegoo', 'digest')).some(Boolean)).toBe(false);
  });

  it('starts an edit from the saved printer, secrets empty', () => {
    const form = initialValues(saved({ api_type: 'prusalink', username: 'maker', password_set: true }));
    expect(form).toMatchObject({
      protocol: 'prusalink',
      prusaAuth: 'digest',
      username: 'maker',
      password: '',
      host: '10.0.0.5:7125',
      slotCount: '4',
    });
    expect(initialValues(saved({ api_type: 'prusalink', api_key_set: true })).prusaAuth).toBe('apikey');
    // A camera the printer announced is not put in the field as if the user had typed it.
    expect(initialValues(saved({ camera_url: 'http://10.0.0.5/webcam', camera_discovered: true })).cameraUrl).toBe('');
  });
});

describe('create body', () => {
  it('Moonraker without a key sends no api_key', () => {
    expect(buildCreateBody(values({ protocol: 'moonraker', apiKey: '' }))).toEqual({
      name: 'New',
      model: null,
      api_type: 'moonraker',
      api_host: '10.0.0.9',
      slot_count: 4,
      camera_url: null,
      is_active: true,
    });
  });

  it('PrusaLink sends the digest user and password, or the key, never both', () => {
    const digest = buildCreateBody(values({ protocol: 'prusalink', username: ' maker ', password: 'pw', apiKey: 'left-over' }));
    expect(digest).toMatchObject({ username: 'maker', password: 'pw' });
    expect(digest).not.toHaveProperty('api_key');
    const key = buildCreateBody(values({ protocol: 'prusalink', prusaAuth: 'apikey', username: 'maker', password: 'pw', apiKey: 'k3y' }));
    expect(key).toMatchObject({ api_key: 'k3y' });
    expect(key).not.toHaveProperty('password');
    expect(key).not.toHaveProperty('username');
  });

  it('Bambu sends serial, access code and the TLS choice; Elegoo only the address', () => {
    expect(
      buildCreateBody(values({ protocol: 'bambu', serial: ' 01P00A123 ', accessCode: '12345678', tlsInsecure: true, apiKey: 'x' })),
    ).toMatchObject({
      api_type: 'bambu',
      serial: '01P00A123',
      access_code: '12345678',
      tls_insecure: true,
    });
    const elegoo = buildCreateBody(values({ protocol: 'elegoo', apiKey: 'x', password: 'y', serial: 'z' }));
    expect(Object.keys(elegoo).sort()).toEqual(['api_host', 'api_type', 'camera_url', 'is_active', 'model', 'name', 'slot_count']);
  });

  it('the setup wizard sends the same body: the name trimmed, the server defaults spelled out', () => {
    expect(buildCreateBody(values({ protocol: 'elegoo', name: ' CC1 ', host: '192.168.1.40' }))).toEqual({
      name: 'CC1',
      model: null,
      api_type: 'elegoo',
      api_host: '192.168.1.40',
      slot_count: 4,
      camera_url: null,
      is_active: true,
    });
  });
});

describe('update body', () => {
  it('sends only what changed, and leaves an untouched secret out so the server keeps it', () => {
    const printer = saved({ api_type: 'prusalink', username: 'maker', password_set: true });
    expect(buildUpdateBody(initialValues(printer), printer)).toEqual({});
    expect(buildUpdateBody({ ...initialValues(printer), name: 'Voron 2' }, printer)).toEqual({ name: 'Voron 2' });
  });

  it('replaces a secret that was typed and clears one the user removed', () => {
    const printer = saved({ api_key_set: true });
    expect(buildUpdateBody({ ...initialValues(printer), apiKey: 'new-key' }, printer)).toEqual({ api_key: 'new-key' });
    expect(buildUpdateBody({ ...initialValues(printer), cleared: ['apiKey'] }, printer)).toEqual({ api_key: '' });
  });

  it('Bambu: a new serial keeps the stored access code (it is not sent)', () => {
    const printer = saved({ api_type: 'bambu', serial: '01P00A1', access_code_set: true, api_key_set: true });
    expect(buildUpdateBody({ ...initialValues(printer), serial: '01P00A2' }, printer)).toEqual({ serial: '01P00A2' });
    expect(buildUpdateBody({ ...initialValues(printer), tlsInsecure: true }, printer)).toEqual({ tls_insecure: true });
  });

  it('a new protocol clears the credentials of the old one', () => {
    const prusa = saved({ api_type: 'prusalink', username: 'maker', password_set: true, api_key_set: true });
    expect(buildUpdateBody({ ...initialValues(prusa), protocol: 'elegoo' }, prusa)).toEqual({
      api_type: 'elegoo',
      api_host: '10.0.0.5:7125',
      api_key: '',
      username: '',
      password: '',
    });
    // Bambu keeps serial|code in api_key: moving to Moonraker must not reuse it as a Moonraker key.
    const bambu = saved({ api_type: 'bambu', serial: '01P00A1', access_code_set: true, api_key_set: true, tls_insecure: true });
    expect(buildUpdateBody({ ...initialValues(bambu), protocol: 'moonraker' }, bambu)).toEqual({
      api_type: 'moonraker',
      api_host: '10.0.0.5:7125',
      api_key: '',
      tls_insecure: false,
    });
  });

  it('PrusaLink: switching to the API key drops user and password', () => {
    const printer = saved({ api_type: 'prusalink', username: 'maker', password_set: true });
    expect(buildUpdateBody({ ...initialValues(printer), prusaAuth: 'apikey', apiKey: 'k' }, printer)).toEqual({
      api_key: 'k',
      username: '',
      password: '',
    });
  });
});

describe('test-connection body', () => {
  it('a new printer: only the credentials of the chosen protocol travel', () => {
    // Fields typed before switching protocol must not travel with the printer.
    const leftovers = {
      host: '192.168.1.40',
      apiKey: 'moon-key',
      password: 'prusa-pass',
      serial: '01P00A3B0700002',
      accessCode: 'demo1234',
    };
    expect(buildTestBody(values({ ...leftovers, protocol: 'elegoo' }))).toEqual({ api_type: 'elegoo', api_host: '192.168.1.40' });
    expect(buildTestBody(values({ ...leftovers, protocol: 'moonraker' }))).toEqual({
      api_type: 'moonraker',
      api_host: '192.168.1.40',
      api_key: 'moon-key',
    });
    expect(buildTestBody(values({ ...leftovers, protocol: 'prusalink' }))).toEqual({
      api_type: 'prusalink',
      api_host: '192.168.1.40',
      username: 'maker',
      password: 'prusa-pass',
    });
    expect(buildTestBody(values({ ...leftovers, protocol: 'prusalink', prusaAuth: 'apikey' }))).toEqual({
      api_type: 'prusalink',
      api_host: '192.168.1.40',
      api_key: 'moon-key',
    });
    expect(buildTestBody(values({ ...leftovers, protocol: 'bambu', serial: ' 01P00A3B 0700002 ', tlsInsecure: true }))).toEqual({
      api_type: 'bambu',
      api_host: '192.168.1.40',
      serial: '01P00A3B0700002',
      access_code: 'demo1234',
      tls_insecure: true,
    });
  });

  it('a new printer: an empty optional Moonraker key is left out, the host and pasted keys trimmed', () => {
    expect(buildTestBody(values({ host: '  voron.local:7125 ' }))).toEqual({ api_type: 'moonraker', api_host: 'voron.local:7125' });
    expect(buildTestBody(values({ apiKey: ' k3y\n' }))).toMatchObject({ api_key: 'k3y' });
    // A password is sent exactly as typed.
    expect(buildTestBody(values({ protocol: 'prusalink', password: ' pw ' }))).toMatchObject({ password: ' pw ' });
  });

  it('editing: passes printer_id and leaves untouched secrets out, so the stored ones are used', () => {
    const printer = saved({ api_type: 'bambu', serial: '01P00A1', access_code_set: true, api_key_set: true });
    expect(buildTestBody(initialValues(printer), printer)).toEqual({
      api_type: 'bambu',
      api_host: '10.0.0.5:7125',
      printer_id: 7,
      serial: '01P00A1',
      tls_insecure: false,
    });
    expect(buildTestBody({ ...initialValues(printer), accessCode: 'typed' }, printer)).toMatchObject({ access_code: 'typed' });
    expect(buildTestBody({ ...initialValues(printer), cleared: ['accessCode'] }, printer)).toMatchObject({ access_code: null });
  });

  it('a changed protocol tests without the stored credentials', () => {
    const printer = saved({ api_key_set: true });
    const body = buildTestBody({ ...initialValues(printer), protocol: 'prusalink', username: 'maker', password: 'pw' }, printer);
    expect(body).toEqual({ api_type: 'prusalink', api_host: '10.0.0.5:7125', username: 'maker', password: 'pw' });
  });

  it('PrusaLink with digest does not let a stored key win over the password', () => {
    const printer = saved({ api_type: 'prusalink', username: 'maker', password_set: true, api_key_set: true });
    const body = buildTestBody({ ...initialValues(printer), prusaAuth: 'digest' }, printer);
    expect(body).toMatchObject({ printer_id: 7, username: 'maker', api_key: null });
    expect(body).not.toHaveProperty('password');
  });
});

describe('checks before sending', () => {
  it('a connection test needs the address and credentials, not a name; saving needs the name too', () => {
    expect(validate(values({ name: '', host: '' }), null, 'test')).toEqual({ host: 'required' });
    expect(validate(values({ name: '' }), null, 'test')).toEqual({});
    expect(validate(values({ name: '' }))).toEqual({ name: 'required' });
    expect(validate(values({ protocol: 'bambu' }), null, 'test')).toEqual({ serial: 'required', accessCode: 'required' });
    // PrusaLink: the driver signs in as "maker" when no user is given, so only the password is needed.
    expect(validate(values({ protocol: 'prusalink', username: '' }), null, 'test')).toEqual({ password: 'required' });
    expect(validate(values({ protocol: 'prusalink', prusaAuth: 'apikey', apiKey: '  ' }), null, 'test')).toEqual({ apiKey: 'required' });
    expect(validate(values({ protocol: 'elegoo', name: 'CC1' }))).toEqual({});
  });

  it('a serial pasted with spaces from the label is accepted without them', () => {
    expect(cleanSerial(' 01P00A3B 0700002 ')).toBe('01P00A3B0700002');
    expect(validate(values({ protocol: 'bambu', serial: '01P00A3B 0700002', accessCode: '12345678' }))).toEqual({});
  });

  it('wants a name, an address and the credentials the protocol needs', () => {
    expect(validate({ ...emptyValues() })).toMatchObject({ name: 'required', host: 'required' });
    expect(validate(values({ protocol: 'bambu', serial: '' }))).toMatchObject({ serial: 'required', accessCode: 'required' });
    expect(validate(values({ protocol: 'bambu', serial: '01-P', accessCode: 'x' }))).toEqual({ serial: 'serial' });
    expect(validate(values({ slotCount: '0', cameraUrl: 'ftp://cam' }))).toEqual({ slotCount: 'slotCount', cameraUrl: 'cameraUrl' });
    expect(validate(values({ protocol: 'moonraker' }))).toEqual({});
  });

  it('a stored secret counts as given, a removed one does not', () => {
    const printer = saved({ api_type: 'bambu', serial: '01P00A1', access_code_set: true });
    const form = initialValues(printer);
    expect(secretStored('accessCode', form, printer)).toBe(true);
    expect(validate(form, printer)).toEqual({});
    expect(validate({ ...form, cleared: ['accessCode'] }, printer)).toEqual({ accessCode: 'required' });
    expect(secretStored('accessCode', { ...form, protocol: 'moonraker' }, printer)).toBe(false);
  });
});

describe("the server's refusals on the inputs", () => {
  it('places 422 field problems under their inputs', () => {
    const body = {
      detail: 'Invalid request: body.slot_count must be <= 16; …',
      code: 'validation_failed',
      errors: [
        { loc: ['body', 'slot_count'], msg: 'must be <= 16', type: 'maximum' },
        { loc: ['body', 'access_code'], msg: 'must NOT have more than 64 characters', type: 'maxLength' },
        { loc: ['body'], msg: 'something general', type: 'x' },
      ],
    };
    expect(serverFieldErrors(body)).toEqual({ slotCount: 'must be <= 16', accessCode: 'must NOT have more than 64 characters' });
  });

  it('places refusals whose code is about one input', () => {
    const badHost = { detail: 'api_host "a b" is not a host name, IP address or URL', code: 'invalid_host' };
    expect(serverFieldErrors(badHost)).toEqual({ host: badHost.detail });
    expect(serverFieldErrors({ detail: 'The host is required', code: 'host_required' })).toEqual({ host: 'The host is required' });
    const taken = { detail: 'A printer named "X" already exists', code: 'printer_name_taken' };
    expect(serverFieldErrors(taken)).toEqual({ name: taken.detail });
    // The words alone place nothing: only the code does.
    expect(serverFieldErrors({ detail: 'api_host is wrong' })).toEqual({});
    expect(serverFieldErrors({ detail: 'Internal server error', code: 'internal_error' })).toEqual({});
    expect(serverFieldErrors(null)).toEqual({});
  });
});
