import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { BackgroundWork } from '../common/background-work.service.js';
import { normalizeEmail } from '../common/validation/email-address.js';
import { batchCalls } from '../database/batch-calls.js';
import { DatabaseService } from '../database/database.service.js';
import { composeStatement, relation, type ComposedStatement, type StatementPart } from '../database/composed-statement.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { MailService } from '../mail/mail.service.js';
import { v7 as uuidv7 } from 'uuid';
import type { DataOf } from '../webhooks/webhook-event.js';
import { UserDeleted, UserRegistered } from '../webhooks/webhook-events.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { AccountExistsEmail } from './emails/account-exists.email.js';
import { ConfirmationEmail } from './emails/confirmation.email.js';
import { USER_REGISTERED, UserRegisteredEvent } from './events/user.events.js';
import { User } from './user.entity.js';

/** Who signed up: the new user, or the one who had the address already. */
interface SignedUp {
  id: string;
  email: string;
  confirmed: boolean;
  created: boolean;
}
const SIGNED_UP = relation<SignedUp>('users_signed_up');

// The new row, or the existing one. A row another request is creating makes the INSERT wait, then
// do nothing, and the SELECT (which sees the table as it was when the statement began) finds
// nothing either: that request sends the email.
const SIGN_UP: StatementPart<{ id: string; address: string }> = {
  ctes: [
    ['users_inserted', `INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id, email, confirmed`],
    [
      SIGNED_UP.name,
      `SELECT id, email, confirmed, true AS created FROM users_inserted
       UNION ALL
       SELECT id, email, confirmed, false FROM users WHERE email = $2 AND NOT EXISTS (SELECT 1 FROM users_inserted)`,
    ],
  ],
  bind: ({ id, address }) => [id, address],
};
type SignUpInputs = [{ id: string; address: string }, { requestId: string | null }, DataOf<typeof UserRegistered>];

const FIND_UNCONFIRMED = statement('users.find-unconfirmed', `SELECT id FROM users WHERE email = $1 AND NOT confirmed`);
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
// Never confirmed, and no link sent since the cut-off either; tokens, outbox rows and cooldowns go with them.
const PURGE_NEVER_CONFIRMED = statement(
  'users.purge-never-confirmed',
  `DELETE FROM users WHERE id IN (
     SELECT id FROM users
      WHERE NOT confirmed AND created_at < $1 AND (email_sent_at IS NULL OR email_sent_at < $1)
      LIMIT $2)
   RETURNING id, email`,
);

@Injectable()
export class UsersService {
  private readonly signUp: ComposedStatement<SignUpInputs>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly db: DatabaseService,
    private readonly mail: MailService,
    private readonly events: EventEmitter2,
    private readonly background: BackgroundWork,
    private readonly webhooks: WebhooksService,
  ) {
    // One statement, one round trip: the user, its email and its webhook commit together (README, Performance).
    this.signUp = composeStatement<SignUpInputs>(
      'users.sign-up',
      [
        SIGN_UP,
        mail.emailsFrom(SIGNED_UP, {
          userId: 'id',
          to: 'email',
          firstContact: 'created',
          kind: { when: 'confirmed', then: AccountExistsEmail, else: ConfirmationEmail },
        }),
        webhooks.publishFrom(UserRegistered, SIGNED_UP, 'created'),
      ],
      `SELECT created FROM ${SIGNED_UP.name}`,
    );
  }

  /** Checks the composed sign-up statement against the schema (EXPLAIN): for the process that signs people up, at start-up. */
  checkSignUp(): Promise<void> {
    return this.db.check(this.signUp.statement);
  }

  /**
   * Stores the user, its confirmation email and its user.registered webhook in one statement. A known address is answered by
   * email instead, within its cooldown: a new link if unconfirmed, a short "someone tried to sign
   * up with your address" notice if confirmed. Every case runs the same statements and the caller
   * answers the same, so neither the answer nor its timing tells the cases apart. `requestId`: the
   * HTTP request, for the email's log lines.
   */
  async register(email: string, requestId: string | null): Promise<void> {
    const id = uuidv7();
    const address = normalizeEmail(email);
    const [user] = await this.db.run<{ created: boolean }, SignUpInputs>(
      this.signUp,
      { id, address },
      { requestId },
      {
        userId: id,
        email: address,
      },
    );
    if (user?.created) this.events.emit(USER_REGISTERED, new UserRegisteredEvent(id));
  }

  /**
   * Sends a new link to a registered, unconfirmed address, within its cooldown. The work happens
   * after the answer, so known, unknown and confirmed addresses are answered alike, in time too.
   */
  requestNewLink(email: string, requestId: string | null): void {
    const address = normalizeEmail(email);
    this.background.run('A new-link request', requestId, () =>
      this.db.transaction(async (tx) => {
        const [user] = await tx.query<{ id: string }>(FIND_UNCONFIRMED, [address]);
        if (user) await this.mail.enqueue(tx, ConfirmationEmail, { userId: user.id, to: address, requestId });
      }),
    );
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  list(filter: { email?: string; limit: number; offset: number }): Promise<User[]> {
    return this.users.find({
      where: filter.email ? { email: normalizeEmail(filter.email) } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
  }

  /** Returns true when this call confirmed the user, false when someone else already had. */
  async markConfirmed(tx: Tx, id: string): Promise<boolean> {
    return (await tx.query(MARK_CONFIRMED, [id])).length > 0;
  }

  markEmailSent(id: string, sentAt: Date): Promise<void> {
    return this.recordEmailSent({ id, sentAt });
  }

  // One statement for the emails the worker's concurrent jobs report at the same moment.
  private readonly recordEmailSent = batchCalls<{ id: string; sentAt: Date }, void>(async (sent) => {
    await this.db.query(MARK_EMAIL_SENT, [sent.map((s) => s.id), sent.map((s) => s.sentAt)]);
    return sent.map(() => undefined);
  });

  async markEmailFailed(id: string, reason: string): Promise<void> {
    await this.users.update({ id }, { emailError: reason });
  }

  /** Deletes up to `limit` users never confirmed and untouched since `cutoff`; returns how many. */
  async purgeNeverConfirmed(cutoff: Date, limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.query<{ id: string; email: string }>(PURGE_NEVER_CONFIRMED, [cutoff, limit]);
      const reason = 'never-confirmed' as const;
      await this.webhooks.publishAll(
        tx,
        UserDeleted,
        deleted.map((u) => ({ userId: u.id, email: u.email, reason })),
      );
      return deleted.length;
    });
  }
}
