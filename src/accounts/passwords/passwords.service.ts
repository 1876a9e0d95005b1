import { Injectable } from '@nestjs/common';
import { Environment } from '../../config/environment.js';
import { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';
import type { Tx } from '../../database/tx.js';
import { AccountError } from '../account.errors.js';
import { passwordHasher } from './password-hasher.js';
import { passwordProblem } from './password-policy.js';

const FIND = statement('passwords.find', `SELECT hash FROM user_passwords WHERE user_id = $1`);
const SET = statement(
  'passwords.set',
  `INSERT INTO user_passwords (user_id, hash, changed_at) VALUES ($1, $2, now())
   ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, changed_at = now()`,
);
const REHASH = statement('passwords.rehash', `UPDATE user_passwords SET hash = $2 WHERE user_id = $1 AND hash = $3`);

/** Users' passwords (the user_passwords table): the policy, Argon2id hashes, verification. */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly env: Environment,
  ) {}

  /** Throws AccountError('weak_password') when the policy refuses it; returns its hash otherwise. */
  async hashAcceptable(password: string, email?: string): Promise<string> {
    const problem = passwordProblem(password, this.env.PASSWORD_MIN_LENGTH, email);
    if (problem) throw new AccountError('weak_password', problem);
    return passwordHasher.hash(password);
  }

  async hashOf(userId: string): Promise<string | null> {
    const [row] = await this.db.query<{ hash: string }>(FIND, [userId]);
    return row?.hash ?? null;
  }

  async set(tx: Tx, userId: string, hash: string): Promise<void> {
    await tx.query(SET, [userId, hash]);
  }

  /**
   * Whether the password is the user's. Takes one Argon2 verification whether or not the user
   * (given as its id, or null) exists and has a password; re-hashes it when the parameters changed.
   */
  async verify(userId: string | null, password: string): Promise<boolean> {
    const hash = userId ? await this.hashOf(userId) : null;
    if (!hash) return passwordHasher.verifyNothing(password);
    const ok = await passwordHasher.verify(hash, password);
    if (ok && passwordHasher.needsRehash(hash)) {
      await this.db.query(REHASH, [userId, await passwordHasher.hash(password), hash]);
    }
    return ok;
  }
}
