import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  CONFIRMATION_EMAIL_FAILED,
  CONFIRMATION_EMAIL_SENT,
  ConfirmationEmailFailedEvent,
  ConfirmationEmailSentEvent,
} from '../mail/events/confirmation-email.events.js';
import { UsersService } from './users.service.js';

/** Keeps the user's delivery state in step with what the Mail module reports. */
@Injectable()
export class ConfirmationEmailListener {
  constructor(private readonly users: UsersService) {}

  // Errors propagate so the job fails and is retried; the retry emits the event again.
  @OnEvent(CONFIRMATION_EMAIL_SENT, { suppressErrors: false })
  async onSent(event: ConfirmationEmailSentEvent): Promise<void> {
    await this.users.markEmailSent(event.userId, event.sentAt);
  }

  @OnEvent(CONFIRMATION_EMAIL_FAILED, { suppressErrors: false })
  async onFailed(event: ConfirmationEmailFailedEvent): Promise<void> {
    await this.users.markEmailFailed(event.userId, event.reason);
  }
}
