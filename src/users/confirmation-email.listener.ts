import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { MailFailedEvent, MailSentEvent } from '../mail/events/mail.events.js';
import { CONFIRMATION_LINK_FAILED, CONFIRMATION_LINK_SENT } from './events/user.events.js';
import { UsersService } from './users.service.js';

/** Keeps the user's confirmation-email state in step with what the Mail module reports. */
@Injectable()
export class ConfirmationEmailListener {
  constructor(private readonly users: UsersService) {}

  // Errors propagate so the job fails and is retried; the retry emits the event again.
  @OnEvent(CONFIRMATION_LINK_SENT, { suppressErrors: false })
  async onSent(event: MailSentEvent): Promise<void> {
    await this.users.markEmailSent(event.userId, event.sentAt);
  }

  @OnEvent(CONFIRMATION_LINK_FAILED, { suppressErrors: false })
  async onFailed(event: MailFailedEvent): Promise<void> {
    await this.users.markEmailFailed(event.userId, event.reason);
  }
}
