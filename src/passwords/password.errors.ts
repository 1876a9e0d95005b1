import { DomainError } from '../common/domain-error.js';
import type { Words } from '../common/words.js';

/** The password policy refused a password; the message says why (`words`: the same, for a page in the reader's language). */
export class WeakPasswordError extends DomainError<'weak_password'> {
  constructor(
    reason: string,
    readonly words: Words,
  ) {
    super('weak_password', 400, reason);
  }
}
