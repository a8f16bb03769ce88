import { ApiError } from '@/api/client';
import type { Translate } from '@/i18n';

/** "Try again in 12 minute(s)" → 12; the server puts the wait in its detail (and Retry-After). */
function minutesIn(detail: string): number | null {
  const match = /(\d+)\s*minute/i.exec(detail);
  return match ? Number(match[1]) : null;
}

/**
 * A failed login in the user's language. The server's refusals are in English, so the ones a person
 * meets at the login form (wrong password, disabled, locked, rate limited) are explained here.
 */
export function loginErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 401:
        return /disabled/i.test(error.detail) ? t('auth.errors.disabled') : t('auth.errors.credentials');
      case 423:
        return t('auth.errors.locked', { count: minutesIn(error.detail) ?? 15 });
      case 429:
        return t('auth.errors.rateLimited', { count: minutesIn(error.detail) ?? 5 });
      case 422:
      case 400:
        return t('auth.errors.incomplete');
      default:
        return error.status >= 500 ? t('auth.errors.server', { status: error.status }) : error.detail;
    }
  }
  // fetch() itself failed: the server is down or the network is gone.
  return t('auth.errors.network');
}
