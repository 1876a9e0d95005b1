import { dictionary } from '@zxcvbn-ts/language-common';
import { words, type Words } from '../common/words.js';

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
export function passwordRefusal(password: string, minLength: number, email?: string): PasswordProblem | null {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < minLength)
    return problem(`password must be at least ${minLength} characters long`, 'validation.password.too_short', { min: minLength });
  if (length > PASSWORD_MAX_LENGTH)
    return problem(`password must be at most ${PASSWORD_MAX_LENGTH} characters long`, 'validation.password.too_long', {
      max: PASSWORD_MAX_LENGTH,
    });
  const lower = normalized.toLowerCase();
  if (COMMON.has(lower))
    return problem('password is too common: it appears in lists of breached passwords. Choose another', 'validation.password.too_common');
  if (new Set(lower).size === 1) return problem('password must not repeat one character', 'validation.password.one_character');
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) {
    return problem('password must not be your email address', 'validation.password.is_email');
  }
  return null;
}

/** Why a new password is refused, in English, or null. */
export const passwordProblem = (password: string, minLength: number, email?: string): string | null =>
  passwordRefusal(password, minLength, email)?.message ?? null;

/** Why a password is refused: in English for the API, as words for a page. */
export interface PasswordProblem {
  message: string;
  words: Words;
}

const problem = (message: string, key: string, params?: Record<string, unknown>): PasswordProblem => ({
  message,
  words: words(key, params),
});
