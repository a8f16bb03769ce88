import type { ErrorCode } from '@/api/client';
import type { BodyOf, Printer } from '@/api/types';

/**
 * A printer's settings as the user types them, for the printer dialog and the setup wizard alike:
 * which fields each protocol needs, the values a saved printer starts with, the checks before
 * sending, and the request bodies (create, update, test connection). Kept free of React so the
 * rules (secrets are write-only, PATCH sends only what changed, only the chosen protocol's
 * credentials travel) are tested on their own.
 */
export const PROTOCOLS = ['moonraker', 'prusalink', 'bambu', 'elegoo'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Ports the drivers use when api_host has none (server/src/printers/drivers/index.ts). */
export const DEFAULT_PORTS: Record<Protocol, number> = { moonraker: 7125, prusalink: 80, bambu: 8883, elegoo: 3030 };

/** PrusaLink accepts HTTP digest (user "maker" + the password from the printer's screen) or an API key. */
export type PrusaAuth = 'digest' | 'apikey';
export type SecretField = 'apiKey' | 'password' | 'accessCode';

export interface PrinterFormValues {
  name: string;
  model: string;
  protocol: Protocol;
  host: string;
  /** Moonraker key, or PrusaLink key when prusaAuth is 'apikey'. Write-only: '' means "keep". */
  apiKey: string;
  prusaAuth: PrusaAuth;
  /** PrusaLink digest user; the driver uses "maker" when none is given. */
  username: string;
  password: string;
  serial: string;
  accessCode: string;
  tlsInsecure: boolean;
  /** Kept as typed so the input can be empty while editing; checked on submit. */
  slotCount: string;
  cameraUrl: string;
  isActive: boolean;
  /** Stored secrets the user chose to remove. */
  cleared: SecretField[];
}

export type FormField = Exclude<keyof PrinterFormValues, 'cleared' | 'prusaAuth'>;
export type FieldErrors = Partial<Record<FormField, string>>;

export type CreateBody = BodyOf<'/api/printers', 'post'>;
export type UpdateBody = BodyOf<'/api/printers/{printer_id}', 'patch'>;
export type TestBody = BodyOf<'/api/printers/test-connection', 'post'>;

/** The subset of a printer the form reads (so tests can build one without the live state). */
export type PrinterSettings = Pick<
  Printer,
  | 'id'
  | 'name'
  | 'model'
  | 'api_type'
  | 'api_host'
  | 'api_key_set'
  | 'username'
  | 'password_set'
  | 'serial'
  | 'access_code_set'
  | 'tls_insecure'
  | 'slot_count'
  | 'camera_url'
  | 'camera_discovered'
  | 'is_active'
>;

export function isProtocol(value: unknown): value is Protocol {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value);
}

export function emptyValues(): PrinterFormValues {
  return {
    name: '',
    model: '',
    protocol: 'moonraker',
    host: '',
    apiKey: '',
    prusaAuth: 'digest',
    username: 'maker',
    password: '',
    serial: '',
    accessCode: '',
    tlsInsecure: false,
    slotCount: '4',
    cameraUrl: '',
    isActive: true,
    cleared: [],
  };
}

export function initialValues(printer?: PrinterSettings | null): PrinterFormValues {
  if (!printer) return emptyValues();
  const protocol = isProtocol(printer.api_type) ? printer.api_type : 'moonraker';
  return {
    ...emptyValues(),
    name: printer.name,
    model: printer.model ?? '',
    protocol,
    host: printer.api_host ?? '',
    // A key stored for another protocol says nothing about how a PrusaLink printer signs in.
    prusaAuth: protocol === 'prusalink' && printer.api_key_set && !printer.password_set ? 'apikey' : 'digest',
    // What the printer has stored, not the default a new one starts with.
    username: printer.username ?? '',
    serial: printer.serial ?? '',
    tlsInsecure: printer.tls_insecure,
    slotCount: String(printer.slot_count),
    // A camera the printer announced is not something the user typed: editing it pins it.
    cameraUrl: printer.camera_url && !printer.camera_discovered ? printer.camera_url : '',
    isActive: printer.is_active,
  };
}

/** Which inputs the form shows for a protocol (and PrusaLink sign-in method). */
export function visibleFields(
  protocol: Protocol,
  prusaAuth: PrusaAuth,
): {
  apiKey: boolean;
  prusaAuth: boolean;
  username: boolean;
  password: boolean;
  serial: boolean;
  accessCode: boolean;
  tlsInsecure: boolean;
} {
  return {
    apiKey: protocol === 'moonraker' || (protocol === 'prusalink' && prusaAuth === 'apikey'),
    prusaAuth: protocol === 'prusalink',
    username: protocol === 'prusalink' && prusaAuth === 'digest',
    password: protocol === 'prusalink' && prusaAuth === 'digest',
    serial: protocol === 'bambu',
    accessCode: protocol === 'bambu',
    tlsInsecure: protocol === 'bambu',
  };
}

/**
 * Whether a secret is stored on the server and still applies: a key saved for another protocol
 * (or for the other PrusaLink sign-in method) is cleared on save, so it is not shown as "stored".
 */
export function secretStored(field: SecretField, values: PrinterFormValues, printer?: PrinterSettings | null): boolean {
  if (!printer || values.cleared.includes(field)) return false;
  if (printer.api_type !== values.protocol) return false;
  const shown = visibleFields(values.protocol, values.prusaAuth);
  if (field === 'apiKey') return shown.apiKey && printer.api_key_set;
  if (field === 'password') return shown.password && printer.password_set;
  return shown.accessCode && printer.access_code_set;
}

/** Bambu serials are letters and digits only; people often paste them with spaces from the label. */
export function cleanSerial(serial: string): string {
  return serial.replace(/\s+/g, '');
}

/**
 * A secret as typed: keys and access codes lose pasted spaces around them; a password is taken
 * exactly as typed (spaces may belong to it). '' means "nothing typed".
 */
function typed(values: PrinterFormValues, field: SecretField): string {
  return field === 'password' ? values.password : values[field].trim();
}

const CAMERA_URL = /^(https?|rtsps?):\/\/\S+$/i;
const SERIAL = /^[A-Za-z0-9]+$/;

export type ValidationProblem = 'required' | 'slotCount' | 'cameraUrl' | 'serial' | 'host';

/**
 * Checks the form before it is sent; the server checks again and its 422 wins. `purpose` 'test'
 * checks only what a connection test needs (no name, slots or camera).
 */
export function validate(
  values: PrinterFormValues,
  printer?: PrinterSettings | null,
  purpose: 'save' | 'test' = 'save',
): Partial<Record<FormField, ValidationProblem>> {
  const problems: Partial<Record<FormField, ValidationProblem>> = {};
  const shown = visibleFields(values.protocol, values.prusaAuth);
  const missing = (field: SecretField) => !typed(values, field) && !secretStored(field, values, printer);
  if (purpose === 'save') {
    if (!values.name.trim()) problems.name = 'required';
    const slots = Number(values.slotCount);
    if (!/^\d+$/.test(values.slotCount.trim()) || slots < 1 || slots > 16) problems.slotCount = 'slotCount';
    if (values.cameraUrl.trim() && !CAMERA_URL.test(values.cameraUrl.trim())) problems.cameraUrl = 'cameraUrl';
  }
  if (!values.host.trim()) problems.host = 'required';
  else if (/\s/.test(values.host.trim()) || /^[a-z][a-z0-9+.-]*:\/\/$/i.test(values.host.trim())) problems.host = 'host';
  if (shown.serial) {
    const serial = cleanSerial(values.serial);
    if (!serial) problems.serial = 'required';
    else if (!SERIAL.test(serial)) problems.serial = 'serial';
  }
  if (shown.accessCode && missing('accessCode')) problems.accessCode = 'required';
  if (values.protocol === 'prusalink' && values.prusaAuth === 'apikey' && missing('apiKey')) problems.apiKey = 'required';
  if (shown.password && missing('password')) problems.password = 'required';
  return problems;
}

const nullIfEmpty = (text: string): string | null => (text.trim() ? text.trim() : null);

/** POST /api/printers: only the credentials the chosen protocol uses. */
export function buildCreateBody(values: PrinterFormValues): CreateBody {
  const shown = visibleFields(values.protocol, values.prusaAuth);
  const body: CreateBody = {
    name: values.name.trim(),
    model: nullIfEmpty(values.model),
    api_type: values.protocol,
    api_host: values.host.trim(),
    slot_count: Number(values.slotCount),
    camera_url: nullIfEmpty(values.cameraUrl),
    is_active: values.isActive,
  };
  if (shown.apiKey && typed(values, 'apiKey')) body.api_key = typed(values, 'apiKey');
  if (shown.username && values.username.trim()) body.username = values.username.trim();
  if (shown.password && values.password) body.password = values.password;
  if (shown.serial) body.serial = cleanSerial(values.serial);
  if (shown.accessCode && typed(values, 'accessCode')) body.access_code = typed(values, 'accessCode');
  if (shown.tlsInsecure) body.tls_insecure = values.tlsInsecure;
  return body;
}

/**
 * PATCH /api/printers/{id}: only fields that changed (the audit log lists what was sent). Secrets
 * the user left empty are omitted — the server keeps the stored value for an omitted field and
 * clears it for '' — and credentials the new protocol or sign-in method no longer uses are cleared.
 */
export function buildUpdateBody(values: PrinterFormValues, printer: PrinterSettings): UpdateBody {
  const before = initialValues(printer);
  const shown = visibleFields(values.protocol, values.prusaAuth);
  const protocolChanged = printer.api_type !== values.protocol;
  const body: UpdateBody = {};
  if (values.name.trim() !== before.name) body.name = values.name.trim();
  if (values.model.trim() !== before.model) body.model = nullIfEmpty(values.model);
  if (protocolChanged) body.api_type = values.protocol;
  if (values.host.trim() !== before.host || protocolChanged) body.api_host = values.host.trim();
  if (Number(values.slotCount) !== printer.slot_count) body.slot_count = Number(values.slotCount);
  if (values.cameraUrl.trim() !== before.cameraUrl) body.camera_url = nullIfEmpty(values.cameraUrl);
  if (values.isActive !== printer.is_active) body.is_active = values.isActive;

  // The api_key column: a typed key, or removal when it is no longer used (Bambu folds its serial and
  // access code into it, so for Bambu it is only written through serial/access_code).
  if (values.protocol !== 'bambu') {
    if (shown.apiKey && typed(values, 'apiKey')) body.api_key = typed(values, 'apiKey');
    else if (printer.api_key_set && (!shown.apiKey || protocolChanged || values.cleared.includes('apiKey'))) body.api_key = '';
  }
  if (shown.username) {
    if (values.username.trim() !== before.username) body.username = nullIfEmpty(values.username);
  } else if (printer.username) body.username = '';
  if (shown.password && values.password) body.password = values.password;
  else if (printer.password_set && (!shown.password || protocolChanged || values.cleared.includes('password'))) body.password = '';

  if (values.protocol === 'bambu') {
    if (cleanSerial(values.serial) !== before.serial || protocolChanged) body.serial = cleanSerial(values.serial);
    if (typed(values, 'accessCode')) body.access_code = typed(values, 'accessCode');
    else if (printer.access_code_set && values.cleared.includes('accessCode')) body.access_code = '';
    if (values.tlsInsecure !== printer.tls_insecure) body.tls_insecure = values.tlsInsecure;
  } else if (printer.tls_insecure) body.tls_insecure = false;
  return body;
}

/**
 * POST /api/printers/test-connection (and /api/setup/test-printer) with what the form holds: only
 * the chosen protocol's credentials. Editing a printer of the same protocol passes printer_id and
 * leaves untouched secrets out, so the stored ones are used; a secret the user removed is sent as
 * null so the stored one is not.
 */
export function buildTestBody(values: PrinterFormValues, printer?: PrinterSettings | null): TestBody {
  const shown = visibleFields(values.protocol, values.prusaAuth);
  const useStored = Boolean(printer) && printer?.api_type === values.protocol;
  const body: TestBody = { api_type: values.protocol, api_host: values.host.trim() };
  if (useStored && printer) body.printer_id = printer.id;
  const secret = (field: SecretField): string | null | undefined => {
    if (typed(values, field)) return typed(values, field);
    return useStored && values.cleared.includes(field) ? null : undefined;
  };
  const apiKey = secret('apiKey');
  if (shown.apiKey) {
    if (apiKey !== undefined) body.api_key = apiKey;
  } else if (values.protocol !== 'bambu' && useStored) body.api_key = null;
  if (shown.username) body.username = nullIfEmpty(values.username);
  const password = secret('password');
  if (shown.password) {
    if (password !== undefined) body.password = password;
  } else if (values.protocol === 'prusalink' && useStored) body.password = null;
  if (shown.serial) body.serial = cleanSerial(values.serial) || null;
  const accessCode = secret('accessCode');
  if (shown.accessCode && accessCode !== undefined) body.access_code = accessCode;
  if (shown.tlsInsecure) body.tls_insecure = values.tlsInsecure;
  return body;
}

/** The server's field names → the form's inputs (for 422 details). */
const SERVER_FIELDS: Record<string, FormField> = {
  name: 'name',
  model: 'model',
  api_type: 'protocol',
  api_host: 'host',
  api_key: 'apiKey',
  username: 'username',
  password: 'password',
  serial: 'serial',
  access_code: 'accessCode',
  tls_insecure: 'tlsInsecure',
  slot_count: 'slotCount',
  camera_url: 'cameraUrl',
  is_active: 'isActive',
};

interface FieldProblem {
  loc?: unknown;
  msg?: unknown;
}

/** Refusals about one input, by their code: the server's sentence goes under that input. */
const FIELD_OF_CODE: Partial<Record<ErrorCode, keyof FieldErrors>> = {
  host_required: 'host',
  invalid_host: 'host',
  printer_name_taken: 'name',
};

/**
 * A refusal placed on the inputs it is about: each 422 field problem (`errors`) goes under its
 * input; a 400 whose code is about one input (a bad host, a taken name) too.
 */
export function serverFieldErrors(body: unknown): FieldErrors {
  const reply = typeof body === 'object' && body !== null ? (body as { detail?: unknown; code?: unknown; errors?: unknown }) : {};
  const errors: FieldErrors = {};
  if (Array.isArray(reply.errors)) {
    for (const problem of reply.errors as FieldProblem[]) {
      const loc = Array.isArray(problem.loc) ? problem.loc : [];
      const name = loc.find((part): part is string => typeof part === 'string' && part in SERVER_FIELDS);
      const field = name ? SERVER_FIELDS[name] : undefined;
      if (field && !errors[field]) errors[field] = typeof problem.msg === 'string' ? problem.msg : 'invalid';
    }
  } else if (typeof reply.detail === 'string' && typeof reply.code === 'string') {
    const field = FIELD_OF_CODE[reply.code as ErrorCode];
    if (field) errors[field] = reply.detail;
  }
  return errors;
}
