import type { GuardedRequest } from './signup-guard.service.js';
import { SignupGuardError } from './signup-guard.errors.js';
import type { Words } from '../common/words.js';

/**
 * A form's challenge answer: `altcha`, or `captcha` (Turnstile is told to use that name; hCaptcha
 * posts its own `h-captcha-response`).
 */
export function challengeAnswerOf(form: Record<string, unknown> | undefined): Pick<GuardedRequest, 'altcha' | 'captcha'> {
  return { altcha: form?.altcha, captcha: form?.captcha ?? form?.['cf-turnstile-response'] ?? form?.['h-captcha-response'] };
}

/** A refusal as a page shows it: its status, and the error beside the field it is about (the address, or the widget). */
export function pageRefusal(error: SignupGuardError): { status: number; field: 'email' | 'challenge'; words: Words } {
  return { status: error.status, field: error.field, words: error.words };
}
