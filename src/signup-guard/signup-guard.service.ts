import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { normalizeEmail } from '../common/validation/email-address.js';
import { Environment } from '../config/environment.js';
import { FactBus } from '../database/fact-bus.js';
import { AltchaChallengeService } from './altcha-challenge.service.js';
import { CaptchaVerifier } from './captcha-verifier.service.js';
import { EmailDomainPolicy } from './email-domain-policy.js';
import { MxCheck } from './mx-check.service.js';
import { RefusalWaves } from './refusal-waves.js';
import {
  blockedDomain,
  CAPTCHA_FAILURES,
  CHALLENGE_FAILURES,
  cannotReceiveMail,
  disposableDomain,
  SignupGuardError,
} from './signup-guard.errors.js';
import { ChallengeVerified, SignupRefused, type ChallengeResult, type RefusalReason } from './signup-guard.facts.js';

/** What a guarded request brings: the address (already valid), and the challenge's answer in `altcha` or `captcha`. */
export interface GuardedRequest {
  email: string;
  altcha?: unknown;
  captcha?: unknown;
  clientIp?: string;
}

/** What a page needs to show the challenge's widget (null: none), shaped for a template. */
export type ChallengeWidget = {
  altcha?: { challengeUrl: string };
  turnstile?: { siteKey: string };
  hcaptcha?: { siteKey: string };
} | null;

/**
 * The gate in front of every request that makes the service email an address an anonymous person
 * typed (sign-up, resend, sign-in code, password reset), run before any database work, and the
 * same for every address (it never looks an address up): the challenge first (a bot without a
 * solution costs one HMAC, or one call to Turnstile/hCaptcha), then the domain lists (in memory),
 * then the MX check (DNS, bounded by MX_CHECK_TIMEOUT_MS, failing open).
 */
@Injectable()
export class SignupGuard implements OnModuleDestroy {
  private readonly domains: EmailDomainPolicy;
  private readonly waves = new RefusalWaves();

  constructor(
    private readonly env: Environment,
    private readonly altcha: AltchaChallengeService,
    private readonly captcha: CaptchaVerifier,
    private readonly mx: MxCheck,
    private readonly facts: FactBus,
  ) {
    this.domains = new EmailDomainPolicy(env);
  }

  /** Throws a SignupGuardError when the request is refused; changes nothing but the used-solution mark. */
  async admit(request: GuardedRequest): Promise<void> {
    await this.checkChallenge(request);
    const domain = normalizeEmail(request.email).split('@')[1];
    const verdict = this.domains.judge(domain);
    if (verdict === 'blocked') throw this.refused('blocked', blockedDomain(domain));
    if (verdict === 'disposable') throw this.refused('disposable', disposableDomain(domain));
    if (this.env.MX_CHECK === 'on' && !(await this.mx.receivesMail(domain))) throw this.refused('no_mx', cannotReceiveMail(domain));
  }

  widget(): ChallengeWidget {
    const kind = this.env.SIGNUP_CHALLENGE;
    if (kind === 'off') return null;
    if (kind === 'altcha') return { altcha: { challengeUrl: '/api/challenge' } };
    return { [kind]: { siteKey: this.env.SIGNUP_CHALLENGE_SITE_KEY! } };
  }

  private async checkChallenge(request: GuardedRequest): Promise<void> {
    const kind = this.env.SIGNUP_CHALLENGE;
    if (kind === 'off') return;
    const result: ChallengeResult =
      kind === 'altcha' ? await this.altcha.verify(request.altcha) : await this.captcha.verify(request.captcha, request.clientIp);
    this.facts.observe(new ChallengeVerified({ result }));
    if (result === 'verified') return;
    if (result === 'unavailable')
      throw this.refused('challenge', new SignupGuardError('challenge_unavailable', CAPTCHA_FAILURES.unavailable));
    const messages: Partial<Record<ChallengeResult, string>> = kind === 'altcha' ? CHALLENGE_FAILURES : CAPTCHA_FAILURES;
    throw this.refused('challenge', new SignupGuardError('challenge_failed', messages[result] ?? CAPTCHA_FAILURES.wrong));
  }

  private refused(reason: RefusalReason, error: SignupGuardError): SignupGuardError {
    this.facts.observe(new SignupRefused({ reason }));
    this.waves.refused(reason);
    return error;
  }

  onModuleDestroy(): void {
    this.waves.stop();
  }
}
