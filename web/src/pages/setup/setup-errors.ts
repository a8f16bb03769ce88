import { errorText, type ErrorWordings } from '@/api/error-text';
import type { Translate } from '@/i18n';

/** The wizard's refusals by code; the server's detail is kept where it says something specific. */
const SETUP_ERRORS: ErrorWordings = {
  setup_complete: 'setup.errors.closed',
  setup_locked: 'setup.errors.closed',
  setup_admin_exists: 'setup.errors.closed',
  not_authenticated: 'setup.errors.session',
  invalid_token: 'setup.errors.session',
  token_revoked: 'setup.errors.session',
  password_too_weak: 'settings.users.errors.policy',
  password_too_long: 'auth.policy.tooLong',
};

/** A failed wizard call in words. */
export function setupErrorText(error: unknown, t: Translate): string {
  return errorText(error, t, SETUP_ERRORS);
}
