import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { normalizeEmail } from '../common/validation/email-address.js';
import { Environment } from '../config/environment.js';
import { PreparedSql } from '../database/prepared-sql.service.js';
import { MailService } from '../mail/mail.service.js';
import type { MailKind } from '../queue/jobs.js';
import { USER_REGISTERED, UserRegisteredEvent } from './events/user.events.js';
import { User } from './user.entity.js';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly env: Environment,
    private readonly events: EventEmitter2,
    private readonly sql: PreparedSql,
  ) {}

  /**
   * Stores the user and its confirmation email in one transaction. A known address is answered
   * by email instead, within the resend cooldown: a new link if unconfirmed, a short "someone
   * tried to sign up with your address" notice if confirmed. Every case does about the same work
   * and the caller answers the same, so nothing tells the cases apart.
   */
  async register(email: string): Promise<void> {
    const address = normalizeEmail(email);
    let created: string | undefined;
    await this.queueMailInTransaction(async (manager) => {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO users (email, last_email_queued_at) VALUES ($1, now())
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [address],
      );
      if (inserted.length === 0) return this.claimCooldown(manager, address, { notifyConfirmed: true });
      created = inserted[0].id;
      return { kind: 'confirmation', userId: inserted[0].id, recipient: address };
    });
    if (created) this.events.emit(USER_REGISTERED, new UserRegisteredEvent(created));
  }

  /** Sends a new link to a registered, unconfirmed address, at most once per cooldown. */
  async requestNewLink(email: string): Promise<void> {
    const address = normalizeEmail(email);
    await this.queueMailInTransaction((manager) => this.claimCooldown(manager, address, { notifyConfirmed: false }));
  }

  private async queueMailInTransaction(
    decide: (manager: EntityManager) => Promise<{ kind: MailKind; userId: string; recipient: string } | null>,
  ): Promise<void> {
    const queued = await this.dataSource.transaction(async (manager) => {
      const message = await decide(manager);
      if (message) await this.mail.queue(manager, message);
      return message !== null;
    });
    if (queued) this.mail.dispatchPending();
  }

  // One conditional UPDATE claims the cooldown slot, so concurrent requests on any instance
  // cannot slip two emails through.
  private async claimCooldown(
    manager: EntityManager,
    address: string,
    { notifyConfirmed }: { notifyConfirmed: boolean },
  ): Promise<{ kind: MailKind; userId: string; recipient: string } | null> {
    const [rows]: [Array<{ id: string; confirmed: boolean }>, number] = await manager.query(
      `UPDATE users SET last_email_queued_at = now()
        WHERE email = $1 AND (NOT confirmed OR $3)
          AND (last_email_queued_at IS NULL OR last_email_queued_at <= now() - make_interval(secs => $2))
        RETURNING id, confirmed`,
      [address, this.env.RESEND_COOLDOWN_SECONDS, notifyConfirmed],
    );
    if (rows.length === 0) return null;
    const kind: MailKind = rows[0].confirmed ? 'account-exists' : 'confirmation';
    return { kind, userId: rows[0].id, recipient: address };
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

  async markEmailSent(id: string, sentAt: Date): Promise<void> {
    await this.sql.query(
      'users.mark-email-sent',
      `UPDATE users SET email_sent = true, email_sent_at = $2, email_error = NULL, updated_at = now() WHERE id = $1`,
      [id, sentAt],
    );
  }

  async markEmailFailed(id: string, reason: string): Promise<void> {
    await this.users.update({ id }, { emailError: reason });
  }
}
