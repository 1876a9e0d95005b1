import { dictionary } from '@zxcvbn-ts/language-common';

/** Longest password accepted: NIST asks for at least 64; the bound keeps hashing input small. */
export const PASSWORD_MAX_LENGTH = 256;

// About 49,000 passwords most seen in breaches (zxcvbn-ts's list), compared case-insensitively.
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** The password as hashed and compared: Unicode NFKC, so one password typed on two keyboards is one. */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

/**
 * Why a new password is refused, or null (NIST SP 800-63B rev. 4): too short or too long (counted
 * in characters after NFKC), a known common or breached password, or the account's own address.
 * No composition rules.
 */
export function passwordProblem(password: string, minLength: number, email?: string): string | null {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < minLength) return `password must be at least ${minLength} characters long`;
  if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = normalized.toLowerCase();
  if (COMMON.has(lower)) return 'password is too common: it appears in lists of breached passwords. Choose another';
  if (new Set(lower).size === 1) return 'password must not repeat one character';
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) {
    return 'password must not be your email address';
  }
  return null;
}
