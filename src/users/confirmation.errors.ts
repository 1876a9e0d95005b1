import { DomainError } from '../common/domain-error.js';
import { words, type Words } from '../common/words.js';

export type ConfirmationErrorCode = 'malformed_token' | 'unknown_token' | 'expired_token';

const STATUS = { malformed_token: 400, unknown_token: 404, expired_token: 410 } as const satisfies Record<ConfirmationErrorCode, number>;

const MESSAGE = {
  malformed_token: 'The confirmation link is invalid: the token is malformed.',
  unknown_token: 'The confirmation link is invalid. It may be mistyped or incomplete.',
  expired_token: 'The confirmation link has expired.',
} as const satisfies Record<ConfirmationErrorCode, string>;

const WORDS = {
  malformed_token: 'errors.confirmation.malformed_token',
  unknown_token: 'errors.confirmation.unknown_token',
  expired_token: 'errors.confirmation.expired_token',
} as const satisfies Record<ConfirmationErrorCode, string>;

/** Why a confirmation link cannot be used. */
export class ConfirmationError extends DomainError<ConfirmationErrorCode> {
  /** The message for a page, in the reader's language. */
  readonly words: Words;

  constructor(code: ConfirmationErrorCode) {
    super(code, STATUS[code], MESSAGE[code]);
    this.words = words(WORDS[code]);
  }
}
