import { describe, expect, it } from 'vitest';

import { type Language, type MessageKey, type Params, translate } from '@/i18n';

import { ApiError } from './client';
import { errorText, minutesToWait } from './error-text';

const t = (language: Language) => (key: MessageKey, params?: Params) => translate(language, key, params);

describe('error text by code', () => {
  it('words the codes any page can meet in the user language', () => {
    const offline = new ApiError(409, 'Voron is offline', 'printer_offline');
    expect(errorText(offline, t('en'))).toMatch(/printer is offline/i);
    expect(errorText(offline, t('de'))).toMatch(/Drucker ist offline/);
    expect(errorText(new ApiError(403, 'This needs the operator role or higher', 'insufficient_role'), t('de'))).toMatch(
      /Rolle darf das nicht/,
    );
  });

  it('words refused print files and missing models in both languages, keeping the limit the server names', () => {
    const big = new ApiError(413, 'The upload is larger than the 200 MB limit (ODIN_MAX_UPLOAD_MB)', 'print_file_too_large');
    expect(errorText(big, t('en'))).toBe(
      'The file is larger than the server accepts: The upload is larger than the 200 MB limit (ODIN_MAX_UPLOAD_MB)',
    );
    expect(errorText(new ApiError(415, 'Not a print file', 'print_file_type_unsupported'), t('de'))).toMatch(/weder ein 3MF-Projekt/);
    expect(errorText(new ApiError(404, 'Model 3 does not exist', 'model_not_found'), t('de'))).toBe('Dieses Modell gibt es nicht mehr.');
  });

  it("keeps the printer's own reason where the wording has room for it", () => {
    const refused = new ApiError(409, 'No print job is running', 'command_refused');
    expect(errorText(refused, t('en'))).toBe('The printer refused: No print job is running');
  });

  it('lets a page word a code its own way, before the common wording', () => {
    const gone = new ApiError(404, 'Printer not found', 'printer_not_found');
    expect(errorText(gone, t('en'), { printer_not_found: 'settings.users.errors.notFound' })).toMatch(/user no longer exists/);
    expect(errorText(gone, t('en'), { printer_not_found: (error) => `gone (${error.status})` })).toBe('gone (404)');
  });

  it('falls back to a generic sentence for server failures and to the detail for codes it does not word', () => {
    expect(errorText(new ApiError(500, 'Internal server error', 'internal_error'), t('en'))).toMatch(/server had a problem \(HTTP 500\)/);
    expect(errorText(new ApiError(502, '<html>proxy</html>'), t('en'))).toMatch(/HTTP 502/);
    expect(errorText(new ApiError(400, 'Unknown time zone "Mars/Base"', 'invalid_timezone'), t('en'))).toBe(
      'Unknown time zone "Mars/Base"',
    );
    expect(errorText(new TypeError('Failed to fetch'), t('en'))).toMatch(/cannot reach the ODIN server/i);
  });

  it('turns Retry-After into whole minutes, at least one', () => {
    expect(minutesToWait(new ApiError(429, '', 'rate_limited', 61), 5)).toBe(2);
    expect(minutesToWait(new ApiError(429, '', 'rate_limited', 0), 5)).toBe(1);
    expect(minutesToWait(new ApiError(429, '', 'rate_limited'), 5)).toBe(5);
  });
});
