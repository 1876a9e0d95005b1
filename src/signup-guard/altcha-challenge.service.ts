import { Injectable } from '@nestjs/common';
import { createChallenge, verifySolution, type Challenge, type Payload } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { createHmac, randomInt } from 'node:crypto';
import { Environment } from '../config/environment.js';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import type { ChallengeResult } from './signup-guard.facts.js';

export const ALTCHA_ALGORITHM = 'PBKDF2/SHA-256';
/** The solver tries counters from 0 up to one drawn in this range: about 1,000 derivations on average, never more than 1,500. */
const COUNTER_MIN = 500;
const COUNTER_MAX = 1500;
/** A payload is a challenge of ~400 bytes and a solution, base64: anything this long is not one. */
const PAYLOAD_MAX_LENGTH = 4096;
/** A used solution stays marked a little past its challenge's expiry, for clocks that differ between instances. */
const CLOCK_SKEW_MS = 60_000;

/** The two HMAC keys of the challenges, derived from APP_SECRET (its own purpose each: they sign nothing else). */
export function altchaSecrets(appSecret: string): { signature: string; keySignature: string } {
  const derive = (purpose: string) => createHmac('sha256', appSecret).update(`signup-challenge:${purpose}`).digest('hex');
  return { signature: derive('signature'), keySignature: derive('key-signature') };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * ALTCHA proof of work (altcha-lib's v2 challenges, deterministic mode): a challenge is signed with
 * a key derived from APP_SECRET and carries the HMAC of its solution's key, so a solution is
 * checked with two HMACs and no derivation. Each solution is accepted once across every web
 * instance: its nonce is marked in the rate-limit store until the challenge has expired.
 */
@Injectable()
export class AltchaChallengeService {
  private readonly signatureSecret: string;
  private readonly keySignatureSecret: string;

  constructor(
    private readonly env: Environment,
    private readonly store: RateLimitStore,
  ) {
    const secrets = altchaSecrets(env.APP_SECRET);
    this.signatureSecret = secrets.signature;
    this.keySignatureSecret = secrets.keySignature;
  }

  /** A fresh challenge, exactly as altcha-lib makes it for the widget (one PBKDF2 derivation of SIGNUP_CHALLENGE_COST iterations). */
  create(): Promise<Challenge> {
    return createChallenge({
      algorithm: ALTCHA_ALGORITHM,
      cost: this.env.SIGNUP_CHALLENGE_COST,
      counter: randomInt(COUNTER_MIN, COUNTER_MAX + 1),
      deriveKey,
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySignatureSecret,
      expiresAt: new Date(Date.now() + this.env.SIGNUP_CHALLENGE_TTL_SECONDS * 1000),
    });
  }

  /** Judges the `altcha` field of a request; a verified solution is marked used (the only write, and only then). */
  async verify(field: unknown): Promise<ChallengeResult> {
    if (field === undefined || field === null || field === '') return 'missing';
    const payload = parse(field);
    if (!payload) return 'malformed';
    let verdict: Awaited<ReturnType<typeof verifySolution>>;
    try {
      verdict = await verifySolution({
        challenge: payload.challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret: this.signatureSecret,
        hmacKeySignatureSecret: this.keySignatureSecret,
      });
    } catch {
      return 'malformed'; // e.g. a nonce that is not hex
    }
    if (verdict.expired) return 'expired';
    if (verdict.invalidSignature) return 'bad_signature';
    if (!verdict.verified) return 'wrong';
    const { nonce, expiresAt } = payload.challenge.parameters;
    const ttlMs = (expiresAt ?? 0) * 1000 - Date.now() + CLOCK_SKEW_MS;
    // While the store is away the mark cannot be kept: the solution still cost its work (fail open, as the rate limits do).
    const first = await this.store.claimOnce(`altcha:${nonce}`, ttlMs);
    return first === false ? 'used' : 'verified';
  }
}

/** The widget's payload: base64 of `{challenge: {parameters, signature}, solution: {counter, derivedKey}}`, checked for shape only. */
function parse(field: unknown): Payload | null {
  if (typeof field !== 'string' || field.length > PAYLOAD_MAX_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(field)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(field, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(decoded) || !isObject(decoded.challenge) || !isObject(decoded.solution)) return null;
  const { parameters, signature } = decoded.challenge;
  if (!isObject(parameters) || typeof signature !== 'string') return null;
  if (parameters.algorithm !== ALTCHA_ALGORITHM || typeof parameters.nonce !== 'string' || typeof parameters.salt !== 'string') return null;
  if (typeof parameters.cost !== 'number' || typeof parameters.keyPrefix !== 'string') return null;
  if (parameters.expiresAt !== undefined && typeof parameters.expiresAt !== 'number') return null;
  if (typeof decoded.solution.counter !== 'number' || typeof decoded.solution.derivedKey !== 'string') return null;
  return decoded as unknown as Payload;
}
