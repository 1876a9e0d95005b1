import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AfterCommit } from '../database/on-fact.decorator.js';
import { ChallengeVerified, MxLookedUp, SignupRefused } from '../signup-guard/signup-guard.facts.js';
import { MetricsService } from './metrics.service.js';

/** The sign-up guard in /metrics: refusals by reason, challenge verdicts, MX lookups (web process). */
@Injectable()
export class SignupGuardMetrics {
  private readonly refused: Counter<'reason'>;
  private readonly verifications: Counter<'result'>;
  private readonly mxLookups: Counter<'result'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.refused = new Counter({
      name: 'signup_refused_total',
      help: 'Sign-up, resend, sign-in-code and reset requests refused before anything was done, by reason (challenge, disposable, no_mx, blocked)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.verifications = new Counter({
      name: 'signup_challenge_verifications_total',
      help: 'Challenge answers judged, by result (verified, missing, malformed, expired, bad_signature, wrong, used, unavailable)',
      labelNames: ['result'] as const,
      registers,
    });
    this.mxLookups = new Counter({
      name: 'mx_lookups_total',
      help: 'MX checks of a domain, by result (receives, no_mail, cached; timeout and error are accepted: the check fails open)',
      labelNames: ['result'] as const,
      registers,
    });
    // Every reason from the start at 0, so a rate over it exists before the first refusal.
    for (const reason of ['challenge', 'disposable', 'no_mx', 'blocked']) this.refused.labels(reason);
  }

  @AfterCommit(SignupRefused)
  onRefused(facts: readonly SignupRefused[]): void {
    for (const { data } of facts) this.refused.inc({ reason: data.reason });
  }

  @AfterCommit(ChallengeVerified)
  onVerified(facts: readonly ChallengeVerified[]): void {
    for (const { data } of facts) this.verifications.inc({ result: data.result });
  }

  @AfterCommit(MxLookedUp)
  onMxLookup(facts: readonly MxLookedUp[]): void {
    for (const { data } of facts) this.mxLookups.inc({ result: data.result });
  }
}
