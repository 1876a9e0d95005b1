import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { ChallengeResult } from './signup-guard.facts.js';

const SITEVERIFY = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
} as const;
/** A verify call that has not answered by then refuses the request (503): never let it through unchecked. */
export const CAPTCHA_VERIFY_TIMEOUT_MS = 3000;
const TOKEN_MAX_LENGTH = 4096;

/**
 * Turnstile or hCaptcha tokens, checked against the provider's siteverify (which refuses a token
 * used before, on whichever instance). SIGNUP_CHALLENGE_VERIFY_URL points it at a stand-in outside
 * production.
 */
@Injectable()
export class CaptchaVerifier {
  constructor(private readonly env: Environment) {}

  async verify(token: unknown, clientIp: string | undefined): Promise<ChallengeResult> {
    if (token === undefined || token === null || token === '') return 'missing';
    if (typeof token !== 'string' || token.length > TOKEN_MAX_LENGTH || !/^[\x21-\x7e]+$/.test(token)) return 'malformed';
    const provider = this.env.SIGNUP_CHALLENGE as keyof typeof SITEVERIFY;
    const form = new URLSearchParams({ secret: this.env.SIGNUP_CHALLENGE_SECRET ?? '', response: token });
    if (clientIp) form.set('remoteip', clientIp);
    if (provider === 'hcaptcha' && this.env.SIGNUP_CHALLENGE_SITE_KEY) form.set('sitekey', this.env.SIGNUP_CHALLENGE_SITE_KEY);
    try {
      const res = await fetch(this.env.SIGNUP_CHALLENGE_VERIFY_URL ?? SITEVERIFY[provider], {
        method: 'POST',
        body: form,
        redirect: 'error',
        signal: AbortSignal.timeout(CAPTCHA_VERIFY_TIMEOUT_MS),
      });
      if (!res.ok) return 'unavailable';
      const answer = (await res.json()) as { success?: unknown };
      return answer.success === true ? 'verified' : 'wrong';
    } catch {
      return 'unavailable';
    }
  }
}
