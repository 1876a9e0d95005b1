import { duration, words, type Words } from '../common/words.js';
import { CODES_PER_ACCOUNT, CODES_PER_REQUESTER_DAY, type CodeGrant } from './sign-in-code-budget.js';

// The same words whatever the address's state, so answers never tell addresses apart.
export const SIGN_IN_CODE_MESSAGE = 'If that address has a confirmed account, a sign-in code is on its way. It works for 10 minutes.';
export const PASSWORD_RESET_MESSAGE =
  'If that address has a confirmed account, a link to choose a new password is on its way. It works for 1 hour.';
export const EMAIL_CHANGE_MESSAGE =
  'We sent a link to the new address: the change happens when it is used. Your current address got a notice.';
export const SAME_ADDRESS_MESSAGE = 'That is already the address of your account: nothing was sent.';

// To someone signed in, who has nothing to enumerate: what happened to the code they asked for.
export function codeNotSentWords(refusal: Extract<CodeGrant, { granted: false }>): Words {
  return refusal.spentBy === 'account'
    ? words('flash.codeNotSentAccount', { count: CODES_PER_ACCOUNT, wait: duration(refusal.waitSeconds) })
    : words('flash.codeNotSentRequester', { count: CODES_PER_REQUESTER_DAY, wait: duration(refusal.waitSeconds) });
}
