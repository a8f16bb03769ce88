import { ApiError } from '@/api/client';
import type { Translate } from '@/i18n';

/** A failed wizard call in words; the detail the server sends is kept where it says something specific. */
export function setupErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return t('setup.errors.closed');
    if (error.status === 401) return t('setup.errors.session');
    if (error.status >= 500) return t('setup.errors.server', { status: error.status });
    return error.detail;
  }
  return t('auth.errors.network');
}
