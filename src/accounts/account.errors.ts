import { DomainError } from '../common/domain-error.js';
import { humanDuration } from '../common/human-duration.js';
import { duration, words, type Words } from '../common/words.js';
import { LINKS_PER_ADDRESS_DAY } from './email-change-recipients.js';

export type AccountErrorCode =
  | 'sign_in_failed'
  | 'too_many_attempts'
  | 'not_signed_in'
  | 'wrong_proof'
  | 'proof_required'
  | 'malformed_token'
  | 'unknown_token'
  | 'expired_token'
  | 'used_token'
  | 'address_taken'
  | 'too_soon';

const STATUS = {
  sign_in_failed: 401,
  too_many_attempts: 429,
  not_signed_in: 401,
  wrong_proof: 401,
  proof_required: 400,
  malformed_token: 400,
  unknown_token: 404,
  expired_token: 410,
  used_token: 410,
  address_taken: 409,
  too_soon: 429,
} as const satisfies Record<AccountErrorCode, number>;

// One message for every failed sign-in, whatever the cause: unknown, unconfirmed, no password,
// wrong password, wrong code.
export const SIGN_IN_FAILED_MESSAGE = 'The email address and password or code do not match an account. Check them and try again.';

const MESSAGE = {
  sign_in_failed: SIGN_IN_FAILED_MESSAGE,
  too_many_attempts: 'Too many failed sign-ins for this address. Please wait and try again, or sign in with an emailed code.',
  not_signed_in: 'Sign in first: the session is missing, expired or signed out.',
  wrong_proof: 'The password or code is wrong.',
  proof_required: 'Give your current password, or a sign-in code if you have no password.',
  malformed_token: 'The link is invalid: the token is malformed.',
  unknown_token: 'The link is invalid. It may be mistyped, incomplete or replaced by a newer one.',
  expired_token: 'The link has expired.',
  used_token: 'The link has already been used or was cancelled.',
  address_taken: 'That address is now used by another account, so nothing has changed.',
  too_soon: 'Asked again too soon, so nothing was sent now.',
} as const satisfies Record<AccountErrorCode, string>;

// The same for a page, in the reader's language (src/i18n/locales).
const WORDS = {
  sign_in_failed: 'errors.account.sign_in_failed',
  too_many_attempts: 'errors.account.too_many_attempts',
  not_signed_in: 'errors.account.not_signed_in',
  wrong_proof: 'errors.account.wrong_proof',
  proof_required: 'errors.account.proof_required',
  malformed_token: 'errors.account.malformed_token',
  unknown_token: 'errors.account.unknown_token',
  expired_token: 'errors.account.expired_token',
  used_token: 'errors.account.used_token',
  address_taken: 'errors.account.address_taken',
  too_soon: 'errors.account.too_soon',
} as const satisfies Record<AccountErrorCode, string>;

/** Why an account request cannot be done. `message` (with its `words`) overrides the default. */
export class AccountError extends DomainError<AccountErrorCode> {
  /** The message for a page, in the reader's language. */
  readonly words: Words;

  constructor(code: AccountErrorCode, message?: { text: string; words: Words }, headers?: Record<string, string>) {
    super(code, STATUS[code], message?.text ?? MESSAGE[code], headers);
    this.words = message?.words ?? words(WORDS[code]);
  }
}

export const tooManyAttempts = (retryAfterSeconds: number): AccountError =>
  new AccountError('too_many_attempts', undefined, { 'Retry-After': String(Math.max(1, retryAfterSeconds)) });

/**
 * The same throttle met by someone already signed in (a wrong current password, a wrong code):
 * how long to wait, without the sign-in page's advice to sign in with a code they may not have.
 */
export function tooManyWrong(kind: 'password' | 'code', retryAfterSeconds: number): AccountError {
  const seconds = Math.max(1, retryAfterSeconds);
  const what = kind === 'password' ? 'passwords' : 'codes';
  const key = kind === 'password' ? 'errors.account.too_many_wrong_passwords' : 'errors.account.too_many_wrong_codes';
  return new AccountError(
    'too_many_attempts',
    {
      text: `Too many wrong ${what} in a row. To keep your account safe, try again in ${humanDuration(seconds)}.`,
      words: words(key, { wait: duration(seconds) }),
    },
    { 'Retry-After': String(seconds) },
  );
}

/** A signed-in person asked for an email-change link again within its cooldown: nothing was sent; say when they may ask again. */
export const tooSoon = (heldUntil: Date): AccountError =>
  notSent(
    'An email-change link went out recently',
    'errors.account.email_change_too_soon',
    Math.ceil((heldUntil.getTime() - Date.now()) / 1000),
  );

/** The new address named in an email change has had its links for the day, from whichever accounts. */
export const addressHadEnough = (waitSeconds: number): AccountError =>
  notSent(
    `That address has had as many links from us as a day allows (${LINKS_PER_ADDRESS_DAY})`,
    'errors.account.address_had_enough',
    waitSeconds,
  );

function notSent(why: string, key: string, waitSeconds: number): AccountError {
  const seconds = Math.max(1, waitSeconds);
  return new AccountError(
    'too_soon',
    {
      text: `${why}, so nothing was sent now. Ask again in ${humanDuration(seconds)}.`,
      words: words(key, { count: LINKS_PER_ADDRESS_DAY, wait: duration(seconds) }),
    },
    { 'Retry-After': String(seconds) },
  );
}
