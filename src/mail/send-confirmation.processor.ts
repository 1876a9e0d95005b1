import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { maskEmail } from '../common/mask-email.js';
import { Environment } from '../config/environment.js';
import { WithJobLogContext } from '../logging/job-log-context.js';
import { MAIL_QUEUE, MailJob, type MailJobPayloads } from '../queue/jobs.js';
import { TokensService } from '../tokens/tokens.service.js';
import {
  CONFIRMATION_EMAIL_ATTEMPT_FAILED,
  CONFIRMATION_EMAIL_FAILED,
  CONFIRMATION_EMAIL_SENT,
  ConfirmationEmailAttemptFailedEvent,
  ConfirmationEmailFailedEvent,
  ConfirmationEmailSentEvent,
} from './events/confirmation-email.events.js';
import { MailRenderer } from './mail-renderer.service.js';
import { MailTransport } from './mail-transport.js';
import { OutboxRepository } from './outbox.repository.js';
import { classifySendError, describeSendError } from './ses-errors.js';

type SendConfirmationJob = Job<MailJobPayloads[MailJob.SendConfirmation], string, MailJob.SendConfirmation>;

/** Worker only: turns an outbox record into a token, an email through SES and a domain event. */
@Processor(MAIL_QUEUE, { autorun: false })
export class SendConfirmationProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(SendConfirmationProcessor.name);

  constructor(
    private readonly env: Environment,
    private readonly outbox: OutboxRepository,
    private readonly tokens: TokensService,
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    private readonly events: EventEmitter2,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.env.WORKER_CONCURRENCY;
    // Held in Redis, so it bounds all workers together.
    await this.queue.setGlobalRateLimit(this.env.SES_MAX_SEND_RATE, 1000);
    void this.worker.run();
  }

  @WithJobLogContext()
  async process(job: SendConfirmationJob): Promise<string> {
    const message = await this.outbox.find(job.data.outboxId);
    if (!message) return 'skipped: user deleted';
    if (message.sentAt) return 'skipped: already sent';
    if (message.failedAt) return 'skipped: failed for good';

    const { token } = await this.tokens.issue(message.userId);
    const email = this.renderer.confirmationEmail(token);
    let messageId: string;
    try {
      ({ messageId } = await this.transport.send({ to: message.recipient, ...email }));
    } catch (error) {
      const reason = describeSendError(error);
      this.events.emit(CONFIRMATION_EMAIL_ATTEMPT_FAILED, new ConfirmationEmailAttemptFailedEvent(message.userId, reason));
      if (classifySendError(error) !== 'permanent') throw new Error(reason);
      this.logger.warn(`Confirmation to ${maskEmail(message.recipient)} rejected for good: ${reason}`);
      await this.outbox.markFailed(message.id, reason);
      await this.events.emitAsync(CONFIRMATION_EMAIL_FAILED, new ConfirmationEmailFailedEvent(message.userId, reason));
      throw new UnrecoverableError(reason);
    }
    const sentAt = await this.outbox.markSent(message.id, messageId);
    await this.events.emitAsync(CONFIRMATION_EMAIL_SENT, new ConfirmationEmailSentEvent(message.userId, sentAt, message.createdAt));
    this.logger.log(`Confirmation sent to ${maskEmail(message.recipient)} (outbox ${message.id}, SES ${messageId})`);
    return 'sent';
  }
}
