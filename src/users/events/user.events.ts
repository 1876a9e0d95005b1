/** Domain events the Users module emits after the change has committed. */
export const USER_REGISTERED = 'user.registered';
export const USER_CONFIRMED = 'user.confirmed';

export class UserRegisteredEvent {
  constructor(readonly userId: string) {}
}

export class UserConfirmedEvent {
  constructor(readonly userId: string) {}
}
