import type { MessageKey, Translate } from '@/i18n';

import { ApiError, type ErrorCode } from './client';

/** How one code reads: a message key, or a function for messages that need the refusal's numbers. */
export type ErrorWording = MessageKey | ((error: ApiError) => string);
export type ErrorWordings = Partial<Record<ErrorCode, ErrorWording>>;

/** Codes a user can meet on any page, in their language. Pages add the codes only they meet. */
const COMMON: ErrorWordings = {
  not_authenticated: 'errors.session',
  invalid_token: 'errors.session',
  token_revoked: 'errors.session',
  account_disabled: 'auth.errors.disabled',
  insufficient_role: 'errors.forbidden',
  action_not_permitted: 'errors.forbidden',
  encryption_key_mismatch: 'errors.encryptionKey',
  printer_not_found: 'errors.printerNotFound',
  printer_offline: 'errors.printerOffline',
  printer_disabled: 'errors.printerDisabled',
  printer_not_configured: 'errors.printerNotConfigured',
  protocol_unsupported: 'errors.unsupported',
  command_unsupported: 'errors.unsupported',
  command_refused: 'errors.commandRefused',
  printer_timeout: 'errors.printerTimeout',
  command_failed: 'errors.commandFailed',
  file_empty: 'errors.fileEmpty',
  file_too_large: 'errors.fileTooLarge',
  unsupported_image_type: 'errors.imageType',
  unsafe_svg: 'errors.unsafeSvg',
  slot_not_found: 'errors.slotNotFound',
  filament_not_found: 'errors.filamentNotFound',
  filament_in_use: 'errors.filamentInUse',
  spool_not_found: 'errors.spoolNotFound',
  spool_qr_not_found: 'errors.spoolQrNotFound',
  spool_weight_invalid: 'errors.spoolWeightInvalid',
  spool_not_loaded: 'errors.spoolNotLoaded',
  spool_not_active: 'errors.spoolNotActive',
  rfid_tag_taken: 'errors.rfidTagTaken',
  colour_invalid: 'errors.colourInvalid',
  too_many_labels: 'errors.tooManyLabels',
  label_size_unknown: 'errors.labelSizeUnknown',
  spoolman_not_configured: 'errors.spoolmanNotConfigured',
  spoolman_unreachable: 'errors.spoolmanUnreachable',
  print_file_too_large: 'errors.printFileTooLarge',
  print_file_type_unsupported: 'errors.printFileTypeUnsupported',
  print_file_corrupt: 'errors.printFileCorrupt',
  print_file_unsafe: 'errors.printFileUnsafe',
  print_file_not_found: 'errors.printFileNotFound',
  mesh_not_available: 'errors.meshNotAvailable',
  model_not_found: 'errors.modelNotFound',
  variant_not_found: 'errors.variantNotFound',
  malformed_multipart: 'errors.uploadBroken',
};

function wordingFor(code: string | null, wordings: ErrorWordings): ErrorWording | undefined {
  if (code === null) return undefined;
  const known = code as ErrorCode;
  return wordings[known] ?? COMMON[known];
}

/**
 * A failed request in the user's language, decided by the reply's `code` (never by its English
 * words): the page's own wording first, then the common one; a server failure or an unknown code
 * falls back to a generic sentence or the server's English detail; no reply at all means the
 * server could not be reached.
 */
export function errorText(error: unknown, t: Translate, wordings: ErrorWordings = {}): string {
  if (!(error instanceof ApiError)) return t('errors.network');
  const wording = wordingFor(error.code, wordings);
  if (typeof wording === 'function') return wording(error);
  if (wording !== undefined) return t(wording, { detail: error.detail, status: error.status });
  if (error.status >= 500) return t('errors.server', { status: error.status });
  return error.detail;
}

/** Whole minutes to wait, from the refusal's Retry-After (at least 1), or the fallback when it had none. */
export function minutesToWait(error: ApiError, fallback: number): number {
  return error.retryAfterSeconds === null ? fallback : Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
}
