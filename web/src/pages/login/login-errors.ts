import { errorText, type ErrorWordings, minutesToWait } from '@/api/error-text';
import type { Translate } from '@/i18n';

/**
 * A failed login in the user's language, by the server's code; the wait after too many failures
 * comes from the Retry-After header.
 */
export function loginErrorText(error: unknown, t: Translate): string {
  const wordings: ErrorWordings = {
    invalid_credentials: 'auth.errors.credentials',
    account_disabled: 'auth.errors.disabled',
    account_locked: (refusal) => t('auth.errors.locked', { count: minutesToWait(refusal, 15) }),
    rate_limited: (refusal) => t('auth.errors.rateLimited', { count: minutesToWait(refusal, 5) }),
    validation_failed: 'auth.errors.incomplete',
    login_form_required: 'auth.errors.incomplete',
  };
  return errorText(error, t, wordings);
}
