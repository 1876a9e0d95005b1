import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/validation/email-address.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { tooManyAttempts } from './account.errors.js';

const WINDOW_MS = 15 * 60_000;
const FAILURES = 5;

/** Passwords and codes are counted apart: stuffing passwords does not keep the owner from signing in with a code. */
export type ProofKind = 'password' | 'code';

/**
 * Per-address throttling of failed sign-ins (and of failed password/code checks by signed-in
 * users): after FAILURES within 15 minutes, 429 with Retry-After for 15 minutes, for known and
 * unknown addresses alike. Counted in the rate-limit store (shared by all instances), which keeps
 * only an HMAC of each key, so no address is readable there; like the per-IP limits, it fails open.
 */
@Injectable()
export class SignInThrottle {
  constructor(private readonly store: RateLimitStore) {}

  /** Throws a 429 AccountError while the address is blocked for this kind of proof. */
  async check(kind: ProofKind, email: string): Promise<void> {
    const seconds = await this.store.blockedFor(this.key(kind, email));
    if (seconds > 0) throw tooManyAttempts(seconds);
  }

  async failed(kind: ProofKind, email: string): Promise<void> {
    await this.store.hit(this.key(kind, email), WINDOW_MS, FAILURES - 1, WINDOW_MS);
  }

  private key(kind: ProofKind, email: string): string {
    return `sign-in-failures:${kind}:${normalizeEmail(email)}`; // the store keeps only an HMAC of the key
  }
}
