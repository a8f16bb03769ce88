import { errorText, type ErrorWordings } from '@/api/error-text';
import type { Translate } from '@/i18n';

/** The server's refusals for user changes (server/src/modules/users/service.ts), by code. */
const USER_ERRORS: ErrorWordings = {
  cannot_delete_self: 'settings.users.errors.deleteSelf',
  cannot_disable_self: 'settings.users.errors.disableSelf',
  last_admin: 'settings.users.errors.lastAdmin',
  username_taken: 'settings.users.errors.duplicate',
  password_too_weak: 'settings.users.errors.policy',
  password_too_long: 'auth.policy.tooLong',
  user_not_found: 'settings.users.errors.notFound',
};

/** A refused user change in the user's language; `wordings` words a code differently for one action. */
export function userErrorText(error: unknown, t: Translate, wordings: ErrorWordings = {}): string {
  return errorText(error, t, { ...USER_ERRORS, ...wordings });
}
