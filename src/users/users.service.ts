import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { normalizeEmail } from '../common/validation/email-address.js';
import { Environment } from '../config/environment.js';
import { MailService } from '../mail/mail.service.js';
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
  ) {}

  /**
   * Stores the user and its confirmation email in one transaction. A known, unconfirmed address
   * gets a new link instead (within the resend cooldown); a confirmed one gets nothing.
   * The caller answers the same in every case.
   */
  async register(email: string): Promise<void> {
    const address = normalizeEmail(email);
    let created: string | undefined;
    const queued = await this.dataSource.transaction(async (manager) => {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO users (email, last_email_queued_at) VALUES ($1, now())
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [address],
      );
      if (inserted.length === 0) return this.queueNewLink(manager, address);
      await this.mail.queueConfirmation(manager, { userId: inserted[0].id, recipient: address });
      created = inserted[0].id;
      return true;
    });
    if (created) this.events.emit(USER_REGISTERED, new UserRegisteredEvent(created));
    if (queued) this.mail.dispatchPending();
  }

  /** Sends a new link to a registered, unconfirmed address, at most once per cooldown. */
  async requestNewLink(email: string): Promise<void> {
    const address = normalizeEmail(email);
    const queued = await this.dataSource.transaction((manager) => this.queueNewLink(manager, address));
    if (queued) this.mail.dispatchPending();
  }

  // One conditional UPDATE claims the cooldown slot, so concurrent requests on any instance
  // cannot slip two emails through.
  private async queueNewLink(manager: EntityManager, address: string): Promise<boolean> {
    const [rows]: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE users SET last_email_queued_at = now()
        WHERE email = $1 AND NOT confirmed
          AND (last_email_queued_at IS NULL OR last_email_queued_at <= now() - make_interval(secs => $2))
        RETURNING id`,
      [address, this.env.RESEND_COOLDOWN_SECONDS],
    );
    if (rows.length === 0) return false;
    await this.mail.queueConfirmation(manager, { userId: rows[0].id, recipient: address });
    return true;
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
    await this.users.update({ id }, { emailSent: true, emailSentAt: sentAt, emailError: null });
  }

  async markEmailFailed(id: string, reason: string): Promise<void> {
    await this.users.update({ id }, { emailError: reason });
  }
}
