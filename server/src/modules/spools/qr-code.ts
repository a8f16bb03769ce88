import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code read off a label by a person must not be ambiguous. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A new spool code, `SPL-` and eight characters (31^8 ≈ 8.5e11 codes; the unique index catches a repeat). */
export function newSpoolCode(): string {
  let code = 'SPL-';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What a scanner or a person typed, as stored: upper case, no spaces; `spl-abc…` finds `SPL-ABC…`. */
export function normaliseSpoolCode(input: string): string {
  return input.trim().toUpperCase();
}
