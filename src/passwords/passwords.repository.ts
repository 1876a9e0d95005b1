import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';

const FIND = statement('passwords.find', `SELECT hash FROM user_passwords WHERE user_id = $1`);
const SET = statement(
  'passwords.set',
  `INSERT INTO user_passwords (user_id, hash, changed_at) VALUES ($1, $2, now())
   ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, changed_at = now()`,
);
const REHASH = statement('passwords.rehash', `UPDATE user_passwords SET hash = $2 WHERE user_id = $1 AND hash = $3`);

/** The user_passwords table: Argon2id hashes, never a password. */
@Injectable()
export class PasswordsRepository {
  constructor(private readonly db: DatabaseService) {}

  async hashOf(userId: string): Promise<string | null> {
    return (await this.db.query<{ hash: string }>(FIND, [userId]))[0]?.hash ?? null;
  }

  async set(tx: Tx, userId: string, hash: string): Promise<void> {
    await tx.query(SET, [userId, hash]);
  }

  /** Replaces the hash only if it is still `previous` (a concurrent change wins). */
  async rehash(userId: string, hash: string, previous: string): Promise<void> {
    await this.db.query(REHASH, [userId, hash, previous]);
  }
}
