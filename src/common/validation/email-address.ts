import { words, type Words } from '../words.js';

/**
 * The accepted address syntax (CONTRACT.md): ASCII only, a dot-atom local part of at most 64
 * characters, a domain name with a top-level domain (no IP literals), at most 254 characters.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*$`);
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const EMAIL_MAX_LENGTH = 254;
// Longest value looked at at all, blanks included: anything longer is refused before any regex runs.
export const EMAIL_INPUT_MAX_LENGTH = 320;

const isBlank = (code: number) => code === 0x20 || code === 0x09;

/**
 * Surrounding spaces and tabs go; everything else (line breaks included) is judged as given.
 * A loop, not a regex: `/[ \t]+$/` retries from every blank of "a" + 10,000 spaces + "b" (quadratic).
 */
export function trimEmail(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isBlank(value.charCodeAt(start))) start++;
  while (end > start && isBlank(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

export const normalizeEmail = (value: string): string => trimEmail(value).toLowerCase();

/** Returns why the value is not an acceptable address, or null when it is one. */
export const emailProblem = (value: unknown): string | null => emailRefusal(value)?.message ?? null;

/** Why the value is not an acceptable address, in English (the API) and as words (a page, in the reader's language); or null. */
export function emailRefusal(value: unknown): { message: string; words: Words } | null {
  const refuse = (message: string, key: string, params?: Record<string, unknown>) => ({ message, words: words(key, params) });
  if (typeof value !== 'string') return refuse('email must be a string', 'validation.email.not_text');
  const tooLong = () =>
    refuse(`email must be at most ${EMAIL_MAX_LENGTH} characters long`, 'validation.email.too_long', { max: EMAIL_MAX_LENGTH });
  if (value.length > EMAIL_INPUT_MAX_LENGTH) return tooLong();
  const email = trimEmail(value);
  if (email.length === 0) return refuse('email must not be empty', 'validation.email.empty');
  if (CONTROL.test(email)) return refuse('email must not contain control characters such as line breaks', 'validation.email.control');
  if (email.length > EMAIL_MAX_LENGTH) return tooLong();
  if (/[^\x20-\x7e]/.test(email)) {
    return refuse('email must use ASCII characters only (write an internationalised domain in punycode)', 'validation.email.ascii');
  }
  const at = email.indexOf('@');
  if (at <= 0 || at === email.length - 1) return refuse('email must be an address like name@example.com', 'validation.email.shape');
  if (email.indexOf('@', at + 1) >= 0)
    return refuse('email must be a single address with exactly one @ (no lists)', 'validation.email.one_at');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return refuse('the part before the @ must be at most 64 characters long', 'validation.email.local_too_long');
  if (!DOT_ATOM.test(local)) {
    return refuse(
      "the part before the @ may hold letters, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ - separated by single dots (no quotes, spaces or @)",
      'validation.email.local_characters',
    );
  }
  if (domain.startsWith('[') || /^[\d.]+$/.test(domain))
    return refuse('the domain must be a name, not an IP address', 'validation.email.ip_domain');
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels.at(-1)!)) {
    return refuse('the domain must be a valid name with a top-level domain, like example.com', 'validation.email.domain');
  }
  return null;
}
