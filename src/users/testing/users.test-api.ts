import type { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';

const REMOVE_EVERY_USER = statement('users.test.remove-every-user', `DELETE FROM users`);
const BACKDATE_LAST_LINK = statement(
  'users.test.backdate-last-link',
  `UPDATE users SET email_sent_at = now() - $2 * interval '1 second' WHERE email = $1 RETURNING 1`,
);

/**
 * For tests only (never registered in a module): what tests do to the users table that no API
 * does. Built from the app's DatabaseService: `new UsersTestApi(app.get(DatabaseService))`.
 */
export class UsersTestApi {
  constructor(private readonly db: DatabaseService) {}

  /** Deletes every user; their tokens, emails, cooldowns, password and sessions go with them by cascade. */
  async removeEveryUser(): Promise<void> {
    await this.db.query(REMOVE_EVERY_USER, []);
  }

  /** As if the user's last link had gone out `seconds` ago (a reminder falls due a while after it). */
  async backdateLastLink(email: string, seconds: number): Promise<void> {
    if ((await this.db.query(BACKDATE_LAST_LINK, [email, seconds])).length === 0) throw new Error(`No user ${email}`);
  }
}
