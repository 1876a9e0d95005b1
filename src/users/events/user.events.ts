/** Domain events of the Users module. USER_* are emitted after the change has committed. */
export const USER_REGISTERED = 'user.registered';
export const USER_CONFIRMED = 'user.confirmed';

/** Emitted by the worker (declared by the kinds that carry a confirmation link) as such an email settles. */
export const CONFIRMATION_LINK_SENT = 'users.confirmation-link.sent';
export const CONFIRMATION_LINK_FAILED = 'users.confirmation-link.failed';

export class UserRegisteredEvent {
  constructor(readonly userId: string) {}
}

export class UserConfirmedEvent {
  constructor(readonly userId: string) {}
}
