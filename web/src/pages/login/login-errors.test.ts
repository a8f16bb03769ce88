import { describe, expect, it } from 'vitest';

import { ApiError } from '@/api/client';
import { type Language, type MessageKey, type Params, translate } from '@/i18n';

import { loginErrorText } from './login-errors';
import { safeNext } from './safe-next';

const t = (language: Language) => (key: MessageKey, params?: Params) => translate(language, key, params);

describe('login errors in words', () => {
  it('401: wrong username or password, or a disabled account, told apart by code', () => {
    expect(loginErrorText(new ApiError(401, 'Incorrect username or password', 'invalid_credentials'), t('en'))).toMatch(
      /wrong username or password/i,
    );
    expect(loginErrorText(new ApiError(401, 'This account is disabled', 'account_disabled'), t('en'))).toMatch(/disabled.*ask an admin/i);
    expect(loginErrorText(new ApiError(401, 'Incorrect username or password', 'invalid_credentials'), t('de'))).toMatch(
      /Benutzername oder Passwort ist falsch/,
    );
    // The English words decide nothing: the code does.
    expect(loginErrorText(new ApiError(401, 'This account is disabled', 'invalid_credentials'), t('en'))).toMatch(/wrong username/i);
  });

  it('423: the account is locked for as long as Retry-After says', () => {
    const locked = new ApiError(423, 'This account is locked after repeated failed logins.', 'account_locked', 15 * 60);
    expect(loginErrorText(locked, t('en'))).toMatch(/locked for 15 more minutes/);
    expect(loginErrorText(new ApiError(423, 'Locked', 'account_locked', 42), t('en'))).toMatch(/locked for 1 more minute\b/);
    expect(loginErrorText(new ApiError(423, 'Locked', 'account_locked', 601), t('en'))).toMatch(/locked for 11 more minutes/);
    expect(loginErrorText(new ApiError(423, 'Locked', 'account_locked'), t('en'))).toMatch(/locked for 15 more minutes/);
    expect(loginErrorText(locked, t('de'))).toMatch(/noch 15 Minuten gesperrt/);
  });

  it('429: too many attempts from this network, wait as long as Retry-After says', () => {
    const limited = new ApiError(429, 'Too many failed login attempts from your network.', 'rate_limited', 4 * 60);
    expect(loginErrorText(limited, t('en'))).toMatch(/from your network\. Wait 4 minutes/);
    expect(loginErrorText(new ApiError(429, 'slow down', 'rate_limited'), t('en'))).toMatch(/Wait 5 minutes/);
    expect(loginErrorText(limited, t('de'))).toMatch(/aus deinem Netzwerk\. Warte 4 Minuten/);
  });

  it('a missing field, no answer at all, or a server failure', () => {
    expect(loginErrorText(new ApiError(422, 'Invalid request: body.password is required', 'validation_failed'), t('en'))).toMatch(
      /both your username and your password/,
    );
    expect(loginErrorText(new TypeError('fetch failed'), t('en'))).toMatch(/cannot reach the ODIN server/i);
    expect(loginErrorText(new ApiError(502, 'Bad gateway'), t('en'))).toMatch(/server had a problem \(HTTP 502\)/);
    expect(loginErrorText(new ApiError(500, 'Internal server error', 'internal_error'), t('de'))).toMatch(/HTTP 500/);
  });
});

describe('where to go after logging in', () => {
  it('follows paths inside the app and nothing else', () => {
    expect(safeNext('/printers/3?tab=files')).toBe('/printers/3?tab=files');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
  });
});
