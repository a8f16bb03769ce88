/**
 * Every `code` an error reply may carry, with what it means. Clients (the web app, scripts) act on
 * the code and never on the English `detail`, so a code, once shipped, keeps its meaning; add new
 * ones rather than repurposing old ones. The OpenAPI document lists them as the enum of
 * `ErrorReply.code`, with these meanings in its description.
 */
export const ERROR_CODES = {
  // The request itself (mostly answered before any route code runs).
  bad_request: 'The request could not be read',
  malformed_json: 'The body is not valid JSON',
  empty_json_body: 'The content type says JSON but the body is empty',
  content_length_mismatch: 'The body is shorter or longer than its Content-Length',
  malformed_url: 'The URL contains an invalid percent-encoding',
  url_too_long: 'A path parameter is too long',
  body_too_large: 'The body is larger than the server accepts',
  unsupported_media_type: 'The body has a content type this route does not take',
  validation_failed: 'Fields are missing or invalid; `errors` lists each one as {loc, msg, type}',
  route_not_found: 'No route with this method and path',
  not_found: 'The thing asked for does not exist',
  websocket_required: 'The path is a WebSocket endpoint',
  internal_error: 'The server failed; the details are in its log',

  // Who is calling.
  not_authenticated: 'No bearer token was sent',
  invalid_token: 'The token is malformed, forged, expired, or its user no longer exists',
  token_revoked: 'The token was revoked (logged out)',
  account_disabled: 'The account is disabled',
  invalid_api_key: 'The perimeter API key (X-API-Key) is missing or wrong',
  invalid_credentials: 'Wrong username or password',
  account_locked: 'Too many failed logins for this username; Retry-After says for how long',
  rate_limited: 'Too many failed logins from this address; Retry-After says for how long',
  login_form_required: 'Login takes the OAuth2 password form, not JSON',
  refresh_body_required: 'Refresh takes JSON {"refresh_token"} or the OAuth2 form with grant_type=refresh_token',
  refresh_token_invalid: 'The refresh token was never issued here, or its user no longer exists',
  refresh_token_expired: 'The refresh token was not used within ODIN_REFRESH_TOKEN_DAYS; log in again',
  refresh_token_revoked: 'The refresh token was revoked: logged out, password changed, or its login ended',
  refresh_token_reused: 'The refresh token had been exchanged already, so its whole login was ended (possible theft)',
  insufficient_role: 'The route needs a higher role',
  action_not_permitted: 'The permissions matrix does not give this role the action',

  // First-run setup.
  setup_complete: 'Setup is finished; the setup routes are closed',
  setup_locked: 'Setup has an admin; only that admin may continue it',
  setup_admin_exists: 'The first admin exists already',

  // Users.
  user_not_found: 'No such user',
  username_taken: 'The username exists already (ignoring case)',
  password_too_weak: 'The password misses a rule of the policy; the detail says which',
  password_too_long: 'The password is longer than 72 bytes',
  cannot_delete_self: 'Users cannot delete their own account',
  cannot_disable_self: 'Users cannot disable their own account',
  last_admin: 'The change would leave no active admin',

  // Printers.
  printer_not_found: 'No such printer',
  printer_name_taken: 'Another printer has this name',
  slot_not_found: 'The printer has no such filament slot',
  nozzle_not_found: 'The printer has no such nozzle record',
  nozzle_already_retired: 'The nozzle was retired already',
  host_required: 'The printer connection needs a host',
  invalid_host: 'The host is not a host name, IP address or URL',
  encryption_key_mismatch: 'A stored printer credential cannot be decrypted with this ENCRYPTION_KEY',
  printer_not_configured: 'The printer has no connection configured',
  printer_disabled: 'The printer is disabled',
  printer_offline: 'The printer is not connected',
  protocol_unsupported: 'This server cannot control or test printers of this protocol',
  command_unsupported: 'This printer protocol does not support the command',
  command_invalid: 'The command was not sent: its arguments do not fit this printer',
  command_refused: 'The printer refused the command in its current state',
  printer_timeout: 'The printer did not answer the command in time',
  command_failed: 'The command did not reach the printer or failed there',
  ams_not_reported: 'The printer reports no AMS trays',

  // Branding uploads.
  multipart_required: 'The upload must be multipart/form-data',
  malformed_multipart: 'The multipart body cannot be read',
  file_missing: 'The upload has no field named "file"',
  file_empty: 'The uploaded file is empty',
  file_too_large: 'The uploaded file is larger than this asset allows',
  unsupported_image_type: 'The uploaded image is not of a type this asset takes',
  unsafe_svg: 'The SVG contains scripts, event handlers or external references',
  asset_not_found: 'No such branding asset',

  // Settings.
  invalid_timezone: 'Not an IANA time zone name',
  blackout_incomplete: 'Blackout needs both a start and an end, or neither',

  // Inventory: filaments, spools, slots.
  filament_not_found: 'No such filament in the library',
  filament_in_use: 'Spools still refer to this filament; archive or reassign them first',
  spool_not_found: 'No such spool',
  spool_qr_not_found: 'No spool has this QR code',
  spool_weight_invalid: 'A weight is negative, absurd, or larger than the spool can hold',
  spool_not_loaded: 'The spool is not loaded in any slot',
  spool_not_active: 'The spool is empty or archived; it cannot be loaded or used',
  rfid_tag_taken: 'Another spool carries this RFID tag',
  colour_invalid: 'Not a colour ODIN can read (#RGB, #RRGGBB, RRGGBBAA, rgb(…), or a colour name)',
  too_many_labels: 'A label batch is limited in size',
  label_size_unknown: 'Not one of the label sizes ODIN prints',

  // Print files and models.
  print_file_not_found: 'No such print file',
  print_file_type_unsupported: 'The upload is not a 3MF, G-code or binary G-code file (judged by its content)',
  print_file_corrupt: 'The file is damaged or truncated and cannot be read',
  print_file_unsafe: 'The archive inflates past the limit or names a path outside itself',
  print_file_too_large: 'The upload is larger than ODIN_MAX_UPLOAD_MB',
  mesh_not_available: 'The file holds no mesh the 3D viewer can show',
  model_not_found: 'No such model',
  variant_not_found: 'The model has no such variant',

  // Spoolman.
  spoolman_not_configured: 'No Spoolman URL is set',
  spoolman_unreachable: 'Spoolman did not answer, answered too slowly, or answered with an error',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code, for the OpenAPI enum and for tests. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** One bad field of a 422: where (`['body', 'username']`), what is wrong, and the failed rule. */
export interface FieldProblem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * Thrown anywhere in a request; the one error handler answers `{detail, code}` (and `errors` when
 * set) with this status and headers. `detail` is an English sentence for people reading logs or
 * scripts; clients decide by `code`.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly errors?: readonly FieldProblem[],
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

export const badRequest = (code: ErrorCode, detail: string) => new HttpError(400, code, detail);
export const unauthorized = (code: ErrorCode = 'not_authenticated', detail = 'Not authenticated') =>
  new HttpError(401, code, detail, { 'www-authenticate': 'Bearer' });
export const forbidden = (code: ErrorCode = 'insufficient_role', detail = 'Insufficient permissions') => new HttpError(403, code, detail);
export const notFound = (code: ErrorCode = 'not_found', detail = 'Not found') => new HttpError(404, code, detail);
export const conflict = (code: ErrorCode, detail: string) => new HttpError(409, code, detail);

/** A 422 naming each bad field, the same shape the schema validation answers with. */
export function validationFailed(problems: readonly FieldProblem[]): HttpError {
  return new HttpError(422, 'validation_failed', validationSentence(problems), {}, problems);
}

/** "Invalid request: body.username must be string; body.password is required." */
export function validationSentence(problems: readonly FieldProblem[]): string {
  const parts = problems.map((problem) => {
    const where = problem.loc.join('.') || 'request';
    return problem.type === 'missing' ? `${where} is required` : `${where} ${problem.msg}`;
  });
  return parts.length > 0 ? `Invalid request: ${parts.join('; ')}` : 'Invalid request';
}
