import { describe, expect, it } from 'vitest';

import { ApiError } from '@/api/client';
import { type Language, type MessageKey, type Params, translate } from '@/i18n';

import { loginErrorText } from './login-errors';
import { safeNext } from './safe-next';

const t = (language: Language) => (key: MessageKey, params?: Params) => translate(language, key, params);

describe('login errors in words', () => {
  it('401: wrong username or password, or a disabled account', () => {
    expect(loginErrorText(new ApiError(401, 'Incorrect username or password'), t('en'))).toMatch(/wrong username or password/i);
    expect(loginErrorText(new ApiError(401, 'This account is disabled'), t('en'))).toMatch(/disabled.*ask an admin/i);
    expect(loginErrorText(new ApiError(401, 'Incorrect username or password'), t('de'))).toMatch(/Benutzername oder Passwort ist falsch/);
  });

  it('423: the account is locked, for as long as the server says', () => {
    const locked = new ApiError(423, 'This account is locked after repeated failed logins. Try again in 15 minute(s).');
    expect(loginErrorText(locked, t('en'))).toMatch(/locked for 15 more minutes/);
    expect(loginErrorText(new ApiError(423, 'Try again in 1 minute(s).'), t('en'))).toMatch(/locked for 1 more minute\b/);
    expect(loginErrorText(locked, t('de'))).toMatch(/noch 15 Minuten gesperrt/);
  });

  it('429: too many attempts from this network, wait a few minutes', () => {
    const limited = new ApiError(429, 'Too many failed login attempts from your network. Try again in 4 minute(s).');
    expect(loginErrorText(limited, t('en'))).toMatch(/from your network\. Wait 4 minutes/);
    expect(loginErrorText(new ApiError(429, 'slow down'), t('en'))).toMatch(/Wait 5 minutes/);
    expect(loginErrorText(limited, t('de'))).toMatch(/aus deinem Netzwerk\. Warte 4 Minuten/);
  });

  it('no answer at all, or a server failure', () => {
    expect(loginErrorText(new TypeError('fetch failed'), t('en'))).toMatch(/cannot reach the ODIN server/i);
    expect(loginErrorText(new ApiError(502, 'Bad gateway'), t('en'))).toMatch(/server had a problem \(HTTP 502\)/);
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
