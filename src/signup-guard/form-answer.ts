import type { GuardedRequest } from './signup-guard.service.js';
import { SignupGuardError } from './signup-guard.errors.js';
import { SIGNUP_GUARD_STRINGS } from './signup-guard.strings.js';

/**
 * A form's challenge answer: `altcha`, or `captcha` (Turnstile is told to use that name; hCaptcha
 * posts its own `h-captcha-response`).
 */
export function challengeAnswerOf(form: Record<string, unknown> | undefined): Pick<GuardedRequest, 'altcha' | 'captcha'> {
  return { altcha: form?.altcha, captcha: form?.captcha ?? form?.['cf-turnstile-response'] ?? form?.['h-captcha-response'] };
}

/** A refusal as a page shows it: its status, and the error beside the field it is about (the address, or the widget). */
export function pageRefusal(error: SignupGuardError): { status: number; field: 'email' | 'challenge'; message: string } {
  if (error.field === 'email') return { status: error.status, field: 'email', message: error.message };
  const message = error.code === 'challenge_unavailable' ? SIGNUP_GUARD_STRINGS.challengeUnavailable : SIGNUP_GUARD_STRINGS.challengeFailed;
  return { status: error.status, field: 'challenge', message };
}
