import { DomainError } from '../common/domain-error.js';

/** The password policy refused a password; the message says why. */
export class WeakPasswordError extends DomainError<'weak_password'> {
  constructor(reason: string) {
    super('weak_password', 400, reason);
  }
}
