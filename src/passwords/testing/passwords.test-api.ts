import type { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';

const REPLACE_HASH = statement('passwords.test.replace-hash', `UPDATE user_passwords SET hash = $2 WHERE user_id = $1 RETURNING 1`);

/**
 * For tests only (never registered in a module): the stored password hashes as no API changes
 * them. Built from the app's DatabaseService: `new PasswordsTestApi(app.get(DatabaseService))`.
 */
export class PasswordsTestApi {
  constructor(private readonly db: DatabaseService) {}

  /** Stores `hash` as the user's password hash (one made long ago, with other parameters, say). */
  async replaceHash(userId: string, hash: string): Promise<void> {
    if ((await this.db.query(REPLACE_HASH, [userId, hash])).length === 0) throw new Error(`User ${userId} has no password`);
  }
}
