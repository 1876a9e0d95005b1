import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { MAIL_FAILED, MAIL_SENT, MailFailedEvent, MailSentEvent } from '../mail/events/mail.events.js';
import { UsersService } from './users.service.js';

/** Keeps the user's confirmation-email state in step with what the Mail module reports. */
@Injectable()
export class ConfirmationEmailListener {
  constructor(private readonly users: UsersService) {}

  // Errors propagate so the job fails and is retried; the retry emits the event again.
  @OnEvent(MAIL_SENT, { suppressErrors: false })
  async onSent(event: MailSentEvent): Promise<void> {
    if (event.kind !== 'confirmation') return;
    await this.users.markEmailSent(event.userId, event.sentAt);
  }

  @OnEvent(MAIL_FAILED, { suppressErrors: false })
  async onFailed(event: MailFailedEvent): Promise<void> {
    if (event.kind !== 'confirmation') return;
    await this.users.markEmailFailed(event.userId, event.reason);
  }
}
