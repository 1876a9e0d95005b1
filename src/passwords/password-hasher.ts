import argon2 from 'argon2';
import { normalizePassword } from './password-policy.js';

/** Argon2id at OWASP's minimum: 19 MiB, 2 passes, 1 lane (about 45 ms here). */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let dummy: Promise<string> | undefined;

/** Hashing and verifying passwords; every password is NFKC-normalised first. */
export const passwordHasher = {
  hash(password: string): Promise<string> {
    return argon2.hash(normalizePassword(password), ARGON2_OPTIONS);
  },

  /** False for a wrong password or an unreadable hash. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, normalizePassword(password));
    } catch {
      return false;
    }
  },

  /**
   * Spends the time of one verification and returns false: for an unknown address, an unconfirmed
   * one or one without a password, so that every failed sign-in takes as long.
   */
  async verifyNothing(password: string): Promise<false> {
    dummy ??= argon2.hash('not-a-password-of-anyone', ARGON2_OPTIONS);
    await this.verify(await dummy, password);
    return false;
  },

  /** Whether the hash was made with other parameters than today's (then it is made again at sign-in). */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, ARGON2_OPTIONS);
    } catch {
      return true;
    }
  },
};
