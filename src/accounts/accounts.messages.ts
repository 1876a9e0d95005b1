// The same words whatever the address's state, so answers never tell addresses apart.
export const SIGN_IN_CODE_MESSAGE = 'If that address has a confirmed account, a sign-in code is on its way. It works for 10 minutes.';
export const PASSWORD_RESET_MESSAGE =
  'If that address has a confirmed account, a link to choose a new password is on its way. It works for 1 hour.';
export const EMAIL_CHANGE_MESSAGE =
  'We sent a link to the new address: the change happens when it is used. Your current address got a notice.';
export const SAME_ADDRESS_MESSAGE = 'That is already the address of your account: nothing was sent.';
