import { Injectable } from '@nestjs/common';
import { relation, type StatementPart } from '../database/composed-statement.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { durationSlotSql, hourBinSql, type HourlyCount, type HourlySlotCount } from '../common/hourly.js';
import type { User, UserRecord } from './user.js';

/** Who signed up, and which of the three cases it is: a new user, an unconfirmed one again, a confirmed one again. */
export interface SignedUp {
  id: string;
  email: string;
  /** The new user's language, or the one an existing user has. */
  locale: string;
  registered: boolean;
  unconfirmed_again: boolean;
  confirmed_again: boolean;
}
export const SIGNED_UP = relation<SignedUp>('users_signed_up');

/**
 * The new row, or the existing one. A row another request is creating makes the INSERT wait, then
 * do nothing, and the SELECT (which sees the table as it was when the statement began) finds
 * nothing either: that request answers for the address.
 */
export const SIGN_UP: StatementPart<{ id: string; address: string; locale: string }> = {
  ctes: [
    [
      'users_inserted',
      `INSERT INTO users (id, email, locale) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id, email, locale`,
    ],
    [
      SIGNED_UP.name,
      `SELECT id, email, locale, true AS registered, false AS unconfirmed_again, false AS confirmed_again FROM users_inserted
       UNION ALL
       SELECT id, email, locale, false, NOT confirmed, confirmed FROM users WHERE email = $2 AND NOT EXISTS (SELECT 1 FROM users_inserted)`,
    ],
  ],
  bind: ({ id, address, locale }) => [id, address, locale],
};

interface UserRow {
  id: string;
  email: string;
  email_sent: boolean;
  email_sent_at: Date | null;
  email_error: string | null;
  confirmed: boolean;
  confirmed_at: Date | null;
  created_at: Date;
}
const USER_COLUMNS = 'id, email, email_sent, email_sent_at, email_error, confirmed, confirmed_at, created_at';
const RECORD_COLUMNS = `id, email, confirmed, locale, created_at AS "createdAt"`;

// The funnel (GET /api/admin/stats): sign-ups by hour, and confirmations by hour with how long each took (indexes: 1767000000000).
const REGISTERED_BY_HOUR = statement(
  'users.registered-by-hour',
  `SELECT ${hourBinSql('created_at')} AS hour, count(*)::int AS count FROM users WHERE created_at >= $1 AND created_at < $2 GROUP BY 1`,
);
const CONFIRMED_BY_HOUR = statement(
  'users.confirmed-by-hour',
  `SELECT ${hourBinSql('confirmed_at')} AS hour, ${durationSlotSql('confirmed_at - created_at')} AS slot, count(*)::int AS count
     FROM users WHERE confirmed_at >= $1 AND confirmed_at < $2 GROUP BY 1, 2`,
);
const FIND_BY_EMAIL = statement('users.find-by-email', `SELECT ${RECORD_COLUMNS} FROM users WHERE email = $1`);
const FIND_BY_ID = statement('users.find-by-id', `SELECT ${RECORD_COLUMNS} FROM users WHERE id = $1`);
// Two statements, not one with `$1 IS NULL OR email = $1`: a generic plan of that one cannot use the
// address's index, and took 1.7 s on a million users.
const LIST = statement('users.list', `SELECT ${USER_COLUMNS} FROM users ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`);
const LIST_BY_EMAIL = statement(
  'users.list-by-email',
  `SELECT ${USER_COLUMNS} FROM users WHERE email = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
);
const MARK_CONFIRMED = statement(
  'users.mark-confirmed',
  `UPDATE users SET confirmed = true, confirmed_at = now(), updated_at = now() WHERE id = $1 AND NOT confirmed RETURNING id`,
);
const MARK_EMAIL_SENT = statement(
  'users.mark-email-sent',
  `UPDATE users u SET email_sent = true, email_sent_at = s.sent_at, email_error = NULL, updated_at = now()
     FROM unnest($1::uuid[], $2::timestamptz[]) AS s(id, sent_at)
    WHERE u.id = s.id`,
);
const MARK_EMAIL_FAILED = statement('users.mark-email-failed', `UPDATE users SET email_error = $2, updated_at = now() WHERE id = $1`);
// The address is the unique key: another user holding it (even unconfirmed) keeps it.
const CHANGE_EMAIL = statement(
  'users.change-email',
  `UPDATE users SET email = $2, updated_at = now()
    WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2)
   RETURNING id`,
);
// Its tokens, emails, cooldowns, password and sessions go with it by cascade.
const DELETE = statement('users.delete', `DELETE FROM users WHERE id = $1 RETURNING email, locale`);
const SET_LOCALE = statement('users.set-locale', `UPDATE users SET locale = $2, updated_at = now() WHERE id = $1`);
const LOCALE_OF = statement('users.locale-of', `SELECT locale FROM users WHERE id = $1`);
// Never confirmed, and no link sent since the cut-off either.
const PURGE_NEVER_CONFIRMED = statement(
  'users.purge-never-confirmed',
  `DELETE FROM users WHERE id IN (
     SELECT id FROM users
      WHERE NOT confirmed AND created_at < $1 AND (email_sent_at IS NULL OR email_sent_at < $1)
      LIMIT $2)
   RETURNING id, email, locale`,
);
// Claimed and marked in one statement: row locks and reminded_at make any number of workers, and
// restarts, remind each address once; a crash before the commit leaves the rows due for the next scan.
const CLAIM_DUE_REMINDERS = statement(
  'users.claim-due-reminders',
  `UPDATE users SET reminded_at = now(), updated_at = now() WHERE id IN (
     SELECT id FROM users
      WHERE NOT confirmed AND reminded_at IS NULL AND email_sent_at <= now() - make_interval(secs => $1)
      ORDER BY email_sent_at LIMIT $2
      FOR UPDATE SKIP LOCKED)
   RETURNING id, email`,
);

/** The users table. Addresses come in normalised (see normalizeEmail). */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: DatabaseService) {}

  registeredByHour(from: Date, to: Date): Promise<HourlyCount[]> {
    return this.db.query<HourlyCount>(REGISTERED_BY_HOUR, [from, to]);
  }

  /** Confirmations by hour and by slot of the time they took (see DURATION_SLOT_BASE). */
  confirmedByHour(from: Date, to: Date): Promise<HourlySlotCount[]> {
    return this.db.query<HourlySlotCount>(CONFIRMED_BY_HOUR, [from, to]);
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    return (await this.db.query<UserRecord>(FIND_BY_EMAIL, [email]))[0] ?? null;
  }

  async findById(id: string, tx?: Tx): Promise<UserRecord | null> {
    return (await (tx ?? this.db).query<UserRecord>(FIND_BY_ID, [id]))[0] ?? null;
  }

  /** Newest first. */
  async list(filter: { email?: string; limit: number; offset: number }): Promise<User[]> {
    const rows =
      filter.email === undefined
        ? await this.db.query<UserRow>(LIST, [filter.limit, filter.offset])
        : await this.db.query<UserRow>(LIST_BY_EMAIL, [filter.email, filter.limit, filter.offset]);
    return rows.map(toUser);
  }

  /** True when this call confirmed the user, false when someone else already had. */
  async markConfirmed(tx: Tx, id: string): Promise<boolean> {
    return (await tx.query(MARK_CONFIRMED, [id])).length > 0;
  }

  async markEmailsSent(tx: Tx, sent: ReadonlyArray<{ id: string; sentAt: Date }>): Promise<void> {
    await tx.query(MARK_EMAIL_SENT, [sent.map((s) => s.id), sent.map((s) => s.sentAt)]);
  }

  async markEmailFailed(tx: Tx, id: string, reason: string): Promise<void> {
    await tx.query(MARK_EMAIL_FAILED, [id, reason]);
  }

  /** False when another user has the address. (A sign-up of it racing this statement makes it throw a unique violation instead.) */
  async changeEmail(tx: Tx, id: string, email: string): Promise<boolean> {
    return (await tx.query(CHANGE_EMAIL, [id, email])).length > 0;
  }

  /** Returns the address and language the user had, or null when there was no such user. */
  async delete(tx: Tx, id: string): Promise<{ email: string; locale: string } | null> {
    return (await tx.query<{ email: string; locale: string }>(DELETE, [id]))[0] ?? null;
  }

  async setLocale(id: string, locale: string): Promise<void> {
    await this.db.query(SET_LOCALE, [id, locale]);
  }

  /** The user's language, or null when there is no such user. */
  async localeOf(id: string): Promise<string | null> {
    return (await this.db.query<{ locale: string }>(LOCALE_OF, [id]))[0]?.locale ?? null;
  }

  purgeNeverConfirmed(tx: Tx, cutoff: Date, limit: number): Promise<Array<{ id: string; email: string; locale: string }>> {
    return tx.query(PURGE_NEVER_CONFIRMED, [cutoff, limit]);
  }

  claimDueReminders(tx: Tx, afterSeconds: number, limit: number): Promise<Array<{ id: string; email: string }>> {
    return tx.query(CLAIM_DUE_REMINDERS, [afterSeconds, limit]);
  }
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  emailSent: row.email_sent,
  emailSentAt: row.email_sent_at,
  emailError: row.email_error,
  confirmed: row.confirmed,
  confirmedAt: row.confirmed_at,
  createdAt: row.created_at,
});
