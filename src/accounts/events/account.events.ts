/** Domain events of Accounts, emitted after the change has committed (for metrics, webhooks). */
export const USER_PASSWORD_CHANGED = 'user.password_changed';
export const USER_EMAIL_CHANGED = 'user.email_changed';
export const USER_DELETED = 'user.deleted';

export class UserPasswordChangedEvent {
  constructor(
    readonly userId: string,
    readonly email: string,
    /** `reset`: through an emailed link (every session ended); `change`: by a signed-in user; `set`: a first password. */
    readonly how: 'reset' | 'change' | 'set',
  ) {}
}

export class UserEmailChangedEvent {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly previousEmail: string,
  ) {}
}

export class UserDeletedEvent {
  constructor(
    readonly userId: string,
    readonly email: string,
  ) {}
}
