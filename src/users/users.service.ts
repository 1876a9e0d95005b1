import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { normalizeEmail } from '../common/validation/email-address.js';
import { Environment } from '../config/environment.js';
import { batchCalls } from '../database/batch-calls.js';
import { PreparedSql } from '../database/prepared-sql.service.js';
import { MailService } from '../mail/mail.service.js';
import type { MailKind } from '../queue/jobs.js';
import { USER_REGISTERED, UserRegisteredEvent } from './events/user.events.js';
import { User } from './user.entity.js';

/**
 * A CTE `claimed` taking the resend cooldown of address $1 ($2 seconds) with one conditional
 * UPDATE, so concurrent requests on any instance cannot slip two emails through.
 */
const claimCooldown = (condition: string, returning: string) => `claimed AS (
  UPDATE users SET last_email_queued_at = now()
   WHERE email = $1 AND ${condition}
     AND (last_email_queued_at IS NULL OR last_email_queued_at <= now() - make_interval(secs => $2))
  RETURNING ${returning})`;

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly mail: MailService,
    private readonly env: Environment,
    private readonly events: EventEmitter2,
    private readonly sql: PreparedSql,
  ) {}

  /**
   * Stores the user and its confirmation email. A known address is answered by email instead,
   * within the resend cooldown: a new link if unconfirmed, a short "someone tried to sign up with
   * your address" notice if confirmed. Every case is the same single statement and the caller
   * answers the same, so neither the answer nor its timing tells the cases apart.
   */
  async register(email: string): Promise<void> {
    const address = normalizeEmail(email);
    // The UPDATE sees the table as it was before this statement, so it never claims a row the
    // INSERT just created; a row another request is creating makes the INSERT wait, then do nothing.
    const [queued] = await this.mail.queueWith<{ id: string; kind: MailKind; created: boolean }>(
      {
        name: 'users.register',
        ctes: `inserted AS (
                 INSERT INTO users (email, last_email_queued_at) VALUES ($1, now())
                 ON CONFLICT (email) DO NOTHING RETURNING id
               ),
               ${claimCooldown('NOT EXISTS (SELECT 1 FROM inserted)', 'id, confirmed')}`,
        select: `SELECT id, 'confirmation' AS kind, true AS created FROM inserted
                 UNION ALL
                 SELECT id, CASE WHEN confirmed THEN 'account-exists' ELSE 'confirmation' END, false FROM claimed`,
        params: [address, this.env.RESEND_COOLDOWN_SECONDS],
      },
      address,
    );
    if (queued?.created) this.events.emit(USER_REGISTERED, new UserRegisteredEvent(queued.id));
  }

  /** Sends a new link to a registered, unconfirmed address, at most once per cooldown. */
  async requestNewLink(email: string): Promise<void> {
    const address = normalizeEmail(email);
    await this.mail.queueWith(
      {
        name: 'users.request-new-link',
        ctes: claimCooldown('NOT confirmed', 'id'),
        select: `SELECT id, 'confirmation' AS kind FROM claimed`,
        params: [address, this.env.RESEND_COOLDOWN_SECONDS],
      },
      address,
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
  async markConfirmed(id: string): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ confirmed: true, confirmedAt: () => 'now()' })
      .where('id = :id AND confirmed = false', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  markEmailSent(id: string, sentAt: Date): Promise<void> {
    return this.recordEmailSent({ id, sentAt });
  }

  // One statement for the confirmations the worker's concurrent jobs report at the same moment.
  private readonly recordEmailSent = batchCalls<{ id: string; sentAt: Date }, void>(async (sent) => {
    await this.sql.query(
      'users.mark-email-sent',
      `UPDATE users u SET email_sent = true, email_sent_at = s.sent_at, email_error = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::timestamptz[]) AS s(id, sent_at)
        WHERE u.id = s.id`,
      [sent.map((s) => s.id), sent.map((s) => s.sentAt)],
    );
    return sent.map(() => undefined);
  });

  async markEmailFailed(id: string, reason: string): Promise<void> {
    await this.users.update({ id }, { emailError: reason });
  }
}
