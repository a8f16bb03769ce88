/**
 * The server's password policy (spec/api-contract.md, server/src/core/auth/passwords.ts), checked in
 * the browser so people see which rule is missing while they type instead of after a 400.
 */
export type PasswordRule = 'length' | 'upper' | 'lower' | 'digit';

export const PASSWORD_RULES: readonly PasswordRule[] = ['length', 'upper', 'lower', 'digit'];

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads only the first 72 bytes, so the server refuses longer passwords. */
export const MAX_PASSWORD_BYTES = 72;

const TESTS: Record<PasswordRule, (password: string) => boolean> = {
  length: (password) => password.length >= MIN_PASSWORD_LENGTH,
  upper: (password) => /[A-Z]/.test(password),
  lower: (password) => /[a-z]/.test(password),
  digit: (password) => /[0-9]/.test(password),
};

export interface PasswordCheck {
  met: Record<PasswordRule, boolean>;
  tooLong: boolean;
  ok: boolean;
}

export function checkPassword(password: string): PasswordCheck {
  const met = { length: false, upper: false, lower: false, digit: false };
  for (const rule of PASSWORD_RULES) met[rule] = TESTS[rule](password);
  const tooLong = new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES;
  return { met, tooLong, ok: !tooLong && PASSWORD_RULES.every((rule) => met[rule]) };
}

/** Same rule as the server's UsernameSchema: letters, digits and . _ @ + -, starting with a letter or digit. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/;
export const MAX_USERNAME_LENGTH = 64;

export function usernameProblem(username: string): 'empty' | 'characters' | 'length' | null {
  if (username.length === 0) return 'empty';
  if (username.length > MAX_USERNAME_LENGTH) return 'length';
  return USERNAME.test(username) ? null : 'characters';
}

/** Empty is fine (the address is optional); otherwise it needs something on both sides of one @. */
export function looksLikeEmail(email: string): boolean {
  const trimmed = email.trim();
  return trimmed === '' || /^[^\s@]+@[^\s@]+$/.test(trimmed);
}
