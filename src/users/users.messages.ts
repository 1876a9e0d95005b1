// The same words whatever the address's state, so answers never tell addresses apart.
export const REGISTERED_MESSAGE = 'Thank you for registering. Please check your inbox for a confirmation link.';
export const RESEND_MESSAGE = 'If that address is registered and not yet confirmed, a new confirmation link is on its way.';
