import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/validation/email-address.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { tooManyAttempts } from './account.errors.js';

const WINDOW_MS = 15 * 60_000;
const ATTEMPTS = 5;

/** Passwords and codes are counted apart: stuffing passwords does not keep the owner from signing in with a code. */
export type ProofKind = 'password' | 'code';

/**
 * Per-address throttling of failed sign-ins (and of failed password/code checks by signed-in
 * users): after 5 failures within 15 minutes, 429 with Retry-After for 15 minutes, for known and
 * unknown addresses alike. Counted in the rate-limit store (shared by all instances), which keeps
 * only an HMAC of each key, so no address is readable there; like the per-IP limits, it fails open.
 */
@Injectable()
export class SignInThrottle {
  constructor(private readonly store: RateLimitStore) {}

  /**
   * Runs `check` (a password or code verification) as one of the address's attempts for this kind
   * of proof, or throws a 429 AccountError when none is left. The attempt is taken atomically
   * before the check (an Argon2 verification takes ~45 ms), so concurrent guesses cannot all pass
   * a count that is not yet written; a check that succeeds gives it back, so only failures (and a
   * check that throws) use the budget. Out of attempts, it throws `refusal` (the sign-in wording by default).
   */
  async attempt(
    kind: ProofKind,
    email: string,
    check: () => Promise<boolean>,
    refusal: (waitSeconds: number) => Error = tooManyAttempts,
  ): Promise<boolean> {
    const key = this.key(kind, email);
    const waitSeconds = await this.store.reserve(key, ATTEMPTS, WINDOW_MS);
    if (waitSeconds > 0) throw refusal(waitSeconds);
    const ok = await check();
    if (ok) await this.store.release(key, ATTEMPTS);
    return ok;
  }

  private key(kind: ProofKind, email: string): string {
    return `sign-in-failures:${kind}:${normalizeEmail(email)}`; // the store keeps only an HMAC of the key
  }
}
