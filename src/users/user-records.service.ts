import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/validation/email-address.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';

export interface UserRecord {
  id: string;
  email: string;
  confirmed: boolean;
  createdAt: Date;
}

const FIELDS = `id, email, confirmed, created_at AS "createdAt"`;
const FIND_BY_EMAIL = statement('users.find-by-email', `SELECT ${FIELDS} FROM users WHERE email = $1`);
const FIND_BY_ID = statement('users.find-record', `SELECT ${FIELDS} FROM users WHERE id = $1`);
// The address is the unique key: another user holding it (even unconfirmed) keeps it.
const CHANGE_EMAIL = statement(
  'users.change-email',
  `UPDATE users SET email = $2, updated_at = now()
    WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2)
   RETURNING id`,
);
const DELETE = statement('users.delete', `DELETE FROM users WHERE id = $1 RETURNING email`);

/**
 * What Accounts reads and changes of a user: look-ups, the address, deletion (its tokens, emails,
 * cooldowns, password and sessions go with it by cascade). Users still owns the table.
 */
@Injectable()
export class UserRecords {
  constructor(private readonly db: DatabaseService) {}

  async findByEmail(email: string): Promise<UserRecord | null> {
    const [user] = await this.db.query<UserRecord>(FIND_BY_EMAIL, [normalizeEmail(email)]);
    return user ?? null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const [user] = await this.db.query<UserRecord>(FIND_BY_ID, [id]);
    return user ?? null;
  }

  /**
   * Gives the user a new address, with the caller's change: false when another user has it. (A
   * sign-up of that address racing this statement makes it throw a unique violation instead.)
   */
  async changeEmail(tx: Tx, userId: string, newEmail: string): Promise<boolean> {
    return (await tx.query(CHANGE_EMAIL, [userId, normalizeEmail(newEmail)])).length > 0;
  }

  /** Deletes the user with everything that hangs off it; returns the address it had, or null. */
  async delete(tx: Tx, userId: string): Promise<string | null> {
    const [row] = await tx.query<{ email: string }>(DELETE, [userId]);
    return row?.email ?? null;
  }
}

/** PostgreSQL's unique_violation. */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === '23505';
