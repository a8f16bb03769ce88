import type { BodyOf } from '@/api/types';

export type Protocol = 'moonraker' | 'prusalink' | 'bambu' | 'elegoo';
export const PROTOCOLS: readonly Protocol[] = ['moonraker', 'prusalink', 'bambu', 'elegoo'];
/** PrusaLink accepts HTTP digest (user "maker" + password from the printer's screen) or an API key. */
export type PrusaAuth = 'digest' | 'apikey';

export interface PrinterDraft {
  name: string;
  protocol: Protocol;
  host: string;
  apiKey: string;
  prusaAuth: PrusaAuth;
  username: string;
  password: string;
  serial: string;
  accessCode: string;
  tlsInsecure: boolean;
}

export const EMPTY_PRINTER: PrinterDraft = {
  name: '',
  protocol: 'moonraker',
  host: '',
  apiKey: '',
  prusaAuth: 'digest',
  username: 'maker',
  password: '',
  serial: '',
  accessCode: '',
  tlsInsecure: false,
};

export type TestPrinterBody = BodyOf<'/api/setup/test-printer', 'post'>;
export type CreatePrinterBody = BodyOf<'/api/setup/printer', 'post'>;
export type PrinterField = 'name' | 'host' | 'username' | 'password' | 'apiKey' | 'serial' | 'accessCode';

/** Fields that must be filled before the printer can be tested or added, for this protocol. */
export function missingFields(draft: PrinterDraft, forCreate: boolean): PrinterField[] {
  const missing: PrinterField[] = [];
  if (forCreate && !draft.name.trim()) missing.push('name');
  if (!draft.host.trim()) missing.push('host');
  if (draft.protocol === 'prusalink') {
    if (draft.prusaAuth === 'digest') {
      if (!draft.username.trim()) missing.push('username');
      if (!draft.password) missing.push('password');
    } else if (!draft.apiKey.trim()) missing.push('apiKey');
  }
  if (draft.protocol === 'bambu') {
    if (!draft.serial.trim()) missing.push('serial');
    if (!draft.accessCode.trim()) missing.push('accessCode');
  }
  return missing;
}

/** Bambu serials are letters and digits only; people often paste them with spaces from the label. */
export function cleanSerial(serial: string): string {
  return serial.replace(/\s+/g, '');
}

/**
 * Only the fields the chosen protocol uses are sent, so a host typed for Moonraker and a PrusaLink
 * password typed before switching protocol never end up on the wrong printer.
 */
export function connectionBody(draft: PrinterDraft): TestPrinterBody {
  const body: TestPrinterBody = { api_type: draft.protocol, api_host: draft.host.trim() };
  switch (draft.protocol) {
    case 'moonraker':
      if (draft.apiKey.trim()) body.api_key = draft.apiKey.trim();
      break;
    case 'prusalink':
      if (draft.prusaAuth === 'digest') {
        body.username = draft.username.trim();
        body.password = draft.password;
      } else body.api_key = draft.apiKey.trim();
      break;
    case 'bambu':
      body.serial = cleanSerial(draft.serial);
      body.access_code = draft.accessCode.trim();
      if (draft.tlsInsecure) body.tls_insecure = true;
      break;
    case 'elegoo':
      break;
  }
  return body;
}

export function createBody(draft: PrinterDraft): CreatePrinterBody {
  return { name: draft.name.trim(), ...connectionBody(draft) };
}
