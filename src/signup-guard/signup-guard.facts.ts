import { ObservedFact } from '../database/fact.js';

/** Why a request to email an address was refused before anything was done. */
export type RefusalReason = 'challenge' | 'disposable' | 'no_mx' | 'blocked';

/** How a challenge solution (ALTCHA) or token (Turnstile, hCaptcha) was judged. */
export type ChallengeResult = 'verified' | 'missing' | 'malformed' | 'expired' | 'bad_signature' | 'wrong' | 'used' | 'unavailable';

/** How an MX check ended: an answer (cached or not), or no answer in time (accepted). */
export type MxResult = 'receives' | 'no_mail' | 'cached' | 'timeout' | 'error';

/** A sign-up, resend, code or reset request refused by the guard; nothing was done. */
export class SignupRefused extends ObservedFact<{ reason: RefusalReason }> {}

/** One challenge judged. */
export class ChallengeVerified extends ObservedFact<{ result: ChallengeResult }> {}

/** One MX check of a domain. */
export class MxLookedUp extends ObservedFact<{ result: MxResult }> {}

export const SIGNUP_GUARD_FACTS = [SignupRefused, ChallengeVerified, MxLookedUp];
