import { Injectable } from '@nestjs/common';
import { InTransaction } from '../database/on-fact.decorator.js';
import type { Tx } from '../database/tx.js';
import { EmailFailed, EmailSent } from '../mail/mail.facts.js';
import { ConfirmationReminderEmail } from './emails/confirmation-reminder.email.js';
import { ConfirmationEmail } from './emails/confirmation.email.js';
import { UsersRepository } from './users.repository.js';

/** The kinds that carry a confirmation link: the user's email_sent follows the latest of them. */
const LINK_KINDS: ReadonlySet<string> = new Set([ConfirmationEmail.name, ConfirmationReminderEmail.name]);

/** Keeps the user's confirmation-email state (email_sent, email_error) in step with what Mail records. */
@Injectable()
export class EmailStateSubscriber {
  constructor(private readonly users: UsersRepository) {}

  @InTransaction(EmailSent)
  async onSent(facts: readonly EmailSent[], tx: Tx): Promise<void> {
    const sent = facts.filter((f) => LINK_KINDS.has(f.data.kind)).map((f) => ({ id: f.data.userId, sentAt: f.data.sentAt }));
    if (sent.length > 0) await this.users.markEmailsSent(tx, sent);
  }

  @InTransaction(EmailFailed)
  async onFailed(facts: readonly EmailFailed[], tx: Tx): Promise<void> {
    for (const { data } of facts) if (LINK_KINDS.has(data.kind)) await this.users.markEmailFailed(tx, data.userId, data.reason);
  }
}
