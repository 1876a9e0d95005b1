import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { Tx } from '../database/tx.js';
import { passwordHasher } from './password-hasher.js';
import { passwordRefusal } from './password-policy.js';
import { WeakPasswordError } from './password.errors.js';
import { PasswordsRepository } from './passwords.repository.js';

/** Users' passwords: the policy, Argon2id hashes, verification. */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly passwords: PasswordsRepository,
    private readonly env: Environment,
  ) {}

  /** Throws WeakPasswordError when the policy refuses it; returns its hash otherwise. */
  async hashAcceptable(password: string, email?: string): Promise<string> {
    const problem = passwordRefusal(password, this.env.PASSWORD_MIN_LENGTH, email);
    if (problem) throw new WeakPasswordError(problem.message, problem.words);
    return passwordHasher.hash(password);
  }

  hashOf(userId: string): Promise<string | null> {
    return this.passwords.hashOf(userId);
  }

  set(tx: Tx, userId: string, hash: string): Promise<void> {
    return this.passwords.set(tx, userId, hash);
  }

  /**
   * Whether the password is the user's. Takes one Argon2 verification whether or not the user
   * (given as its id, or null) exists and has a password; re-hashes it when the parameters changed.
   */
  async verify(userId: string | null, password: string): Promise<boolean> {
    const hash = userId ? await this.hashOf(userId) : null;
    if (!hash) return passwordHasher.verifyNothing(password);
    const ok = await passwordHasher.verify(hash, password);
    if (ok && passwordHasher.needsRehash(hash)) await this.passwords.rehash(userId!, await passwordHasher.hash(password), hash);
    return ok;
  }
}
