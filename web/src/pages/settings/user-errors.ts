import { ApiError } from '@/api/client';
import type { MessageKey, Translate } from '@/i18n';

/** The server's refusals for user changes (server/src/modules/users/service.ts), in the user's language. */
const KNOWN: Array<[RegExp, MessageKey]> = [
  [/cannot delete your own account/i, 'settings.users.errors.deleteSelf'],
  [/cannot disable your own account/i, 'settings.users.errors.disableSelf'],
  [/cannot demote or disable the last active admin/i, 'settings.users.errors.lastAdmin'],
  [/cannot delete the last active admin/i, 'settings.users.errors.lastAdminDelete'],
  [/username already exists/i, 'settings.users.errors.duplicate'],
  [/^password must/i, 'settings.users.errors.policy'],
  [/user not found/i, 'settings.users.errors.notFound'],
];

export function userErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    for (const [pattern, key] of KNOWN) if (pattern.test(error.detail)) return t(key);
    return error.detail;
  }
  return t('auth.errors.network');
}
