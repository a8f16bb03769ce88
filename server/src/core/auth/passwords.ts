import bcrypt from 'bcrypt';

/** What the password lacks, in words and as an error code, or null when it meets the policy. */
export function passwordPolicyProblem(password: string): { code: 'password_too_weak' | 'password_too_long'; detail: string } | null {
  const missing: string[] = [];
  if (password.length < 8) missing.push('at least 8 characters');
  if (!/[A-Z]/.test(password)) missing.push('an upper-case letter');
  if (!/[a-z]/.test(password)) missing.push('a lower-case letter');
  if (!/[0-9]/.test(password)) missing.push('a digit');
  // bcrypt reads only the first 72 bytes; a longer password would silently match its own prefix.
  if (Buffer.byteLength(password, 'utf8') > 72) return { code: 'password_too_long', detail: 'Password must be at most 72 bytes long' };
  return missing.length === 0 ? null : { code: 'password_too_weak', detail: `Password must contain ${missing.join(', ')}` };
}

export class PasswordHasher {
  /** Compared against when the username is unknown, so a miss costs as much time as a wrong password. */
  readonly #decoy: Promise<string>;

  constructor(private readonly rounds: number) {
    this.#decoy = bcrypt.hash('decoy-password-never-matches', rounds);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.rounds);
  }

  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash === null) {
      await bcrypt.compare(password, await this.#decoy);
      return false;
    }
    try {
      // Hashes from the original (passlib) use the $2b$ prefix, which bcrypt reads natively.
      return await bcrypt.compare(password, hash);
    } catch {
      return false;
    }
  }
}
