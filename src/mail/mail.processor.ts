import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { maskEmail } from '../common/mask-email.js';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { jobLogFields } from '../logging/job-log-fields.js';
import { MAIL_QUEUE, type MailJobData } from '../queue/jobs.js';
import { logWorkerErrors } from '../queue/worker-errors.js';
import type { TokenPurpose } from '../tokens/token-purposes.js';
import { ReputationGuard } from '../ses-feedback/reputation-guard.service.js';
import { SuppressionsService } from '../ses-feedback/suppressions.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import { EmailFailed } from '../webhooks/webhook-events.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import {
  MAIL_ATTEMPT_FAILED,
  MAIL_FAILED,
  MAIL_HELD_BACK,
  MAIL_SENT,
  MailAttemptFailedEvent,
  MailFailedEvent,
  MailHeldBackEvent,
  MailSentEvent,
} from './events/mail.events.js';
import { EMAIL_KINDS, emailKindNamed, type AnyEmailKind } from './email-kinds.js';
import { MailRenderer } from './mail-renderer.service.js';
import { MailTransport } from './mail-transport.js';
import { NewAddressBreaker } from './new-address-breaker.service.js';
import type { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRepository } from './outbox.repository.js';
import { SendingPauseService } from './sending-pause.service.js';
import { classifySendError, describeSendError } from './ses-errors.js';

const PAUSE_CLEAR_EVERY_MS = 5_000;
/** How long an email held back by the new-address breaker waits before it is looked at again. */
const HELD_BACK_MS = 15_000;
/** While sending is paused automatically (SES_AUTO_PAUSE), how often each worker looks whether it was resumed. */
const AUTO_PAUSE_POLL_MS = 2_000;

type MailJob = Job<MailJobData, string>;

/**
 * Worker only: turns an outbox record into an email through SES, whatever its kind: the kind (from
 * the registry) says which token to issue and how to render it; then domain events for Metrics and
 * for the module that owns the kind.
 */
// Short locks so a killed worker's jobs are picked up again within seconds; a job may stall a few
// times (several crashes) before BullMQ gives up on it.
@Processor(MAIL_QUEUE, { autorun: false, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 5 })
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailProcessor.name);
  private sawPause = false;
  private pauseClearedAt = 0;
  private heldBackLoggedAt = 0;

  constructor(
    private readonly env: Environment,
    private readonly outbox: OutboxRepository,
    private readonly tokens: TokensService,
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    private readonly events: EventEmitter2,
    private readonly sending: SendingPauseService,
    private readonly newAddresses: NewAddressBreaker,
    private readonly suppressions: SuppressionsService,
    private readonly reputation: ReputationGuard,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
    private readonly db: DatabaseService,
    private readonly webhooks: WebhooksService,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.checkEventHandlers();
    logWorkerErrors(this.worker, this.logger);
    this.worker.concurrency = this.env.WORKER_CONCURRENCY;
    // Held in the queue backend (Redis, or PostgreSQL in postgres mode), so it bounds all workers together.
    await this.queue.setGlobalRateLimit(this.env.SES_MAX_SEND_RATE, 1000);
    void this.worker.run();
  }

  /** SIGTERM: take no new jobs, let in-flight ones finish, before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  /** A kind whose events nobody handles would send email whose effects never happen: refuse to start. */
  private checkEventHandlers(): void {
    for (const kind of EMAIL_KINDS as readonly AnyEmailKind[]) {
      for (const event of [kind.events?.sent, kind.events?.failed]) {
        if (!event) continue;
        if (this.events.listenerCount(event) === 0) throw new Error(`email kind "${kind.name}": nothing handles its event "${event}"`);
      }
    }
  }

  async process(job: MailJob, lockToken?: string): Promise<string> {
    const message = await this.outbox.find(job.data.outboxId);
    if (!message) return 'skipped: outbox record gone (user deleted)';
    const kind = emailKindNamed(message.kind);
    if (!kind) {
      await this.markFailed(message, undefined, `no email kind "${message.kind}" in this release`);
      throw new UnrecoverableError(`unknown email kind ${message.kind}`);
    }
    // A redelivered job (crash, stall) whose email already went out is not sent again; its event
    // is emitted again (the handlers are idempotent) in case it was what failed the first time.
    if (message.sentAt) {
      await this.emitSent(kind, message, message.sentAt, true);
      return 'skipped: already sent';
    }
    if (message.failedAt) return 'skipped: failed for good';
    if (await this.reputation.isAutoPaused()) return this.waitForResume();
    const suppressed = await this.suppressions.reasonFor(message.recipient);
    if (suppressed) {
      // Through the failed path, so the kind's failed event tells its module (the user's emailError).
      this.logger.log({
        ...jobLogFields(job),
        msg: `Email ${message.kind} to ${maskEmail(message.recipient)} not sent: the address is suppressed (${suppressed})`,
      });
      await this.markFailed(message, kind, `suppressed: ${suppressed}`);
      return 'skipped: suppressed';
    }
    if (message.firstContact && !(await this.newAddresses.admit())) return this.holdBack(job, lockToken, message);

    const purpose = kind.token as TokenPurpose | undefined;
    const token = purpose ? await this.tokens.issue(purpose, message.userId, kind.tokenSubject?.(message.payload)) : undefined;
    const email = this.renderer.render(kind, { payload: message.payload, token });
    let messageId: string;
    const sendStartedAt = Date.now();
    try {
      ({ messageId } = await this.transport.send({ to: message.recipient, ...email }));
    } catch (error) {
      throw await this.failure(job, kind, message, error);
    }
    await this.recordSent(job, kind, message, messageId, sendStartedAt);
    return 'sent';
  }

  /** Sending is paused automatically: no worker takes jobs until an admin resumes; the job waits, its attempt not counted. */
  private async waitForResume(): Promise<never> {
    await this.worker.rateLimit(AUTO_PAUSE_POLL_MS);
    throw Worker.RateLimitError();
  }

  /** Puts the job back for a while without using an attempt; BullMQ takes DelayedError to mean exactly that. */
  private async holdBack(job: MailJob, lockToken: string | undefined, message: OutboxMessage): Promise<never> {
    this.events.emit(MAIL_HELD_BACK, new MailHeldBackEvent(message.kind));
    if (Date.now() - this.heldBackLoggedAt > 60_000) {
      this.heldBackLoggedAt = Date.now();
      this.logger.warn(
        `Emails to new addresses over NEW_ADDRESS_EMAILS_PER_MINUTE (${this.env.NEW_ADDRESS_EMAILS_PER_MINUTE}): holding them back`,
      );
    }
    await job.moveToDelayed(Date.now() + HELD_BACK_MS * (1 + Math.random() / 2), lockToken);
    throw new DelayedError();
  }

  private async emitSent(kind: AnyEmailKind, message: OutboxMessage, sentAt: Date, repeated = false): Promise<void> {
    const event = new MailSentEvent(message.kind, message.userId, sentAt, message.createdAt, repeated);
    await this.events.emitAsync(MAIL_SENT, event);
    if (kind.events?.sent) await this.events.emitAsync(kind.events.sent, event);
  }

  private async recordSent(
    job: MailJob,
    kind: AnyEmailKind,
    message: OutboxMessage,
    messageId: string,
    sendStartedAt: number,
  ): Promise<void> {
    const sentAt = await this.outbox.markSent({ id: message.id, messageId });
    await this.emitSent(kind, message, sentAt);
    this.logger.log({
      ...jobLogFields(job),
      msg: `Email ${message.kind} sent to ${maskEmail(message.recipient)} (outbox ${message.id}, SES ${messageId})`,
    });
    // A successful send proves a pause is over, whichever worker saw it begin; clearing the shared
    // flag at most every few seconds keeps that off the per-email cost.
    if (this.sawPause || Date.now() - this.pauseClearedAt > PAUSE_CLEAR_EVERY_MS) {
      if (this.sawPause) this.logger.log('SES is sending again; jobs resume');
      this.sawPause = false;
      this.pauseClearedAt = Date.now();
      await this.sending.resume(sendStartedAt);
    }
  }

  /** Decides what a failed send means and returns the error for BullMQ to act on. */
  private async failure(job: MailJob, kind: AnyEmailKind, message: OutboxMessage, error: unknown): Promise<Error> {
    const reason = describeSendError(error);
    this.events.emit(MAIL_ATTEMPT_FAILED, new MailAttemptFailedEvent(message.kind, message.userId, reason));
    switch (classifySendError(error)) {
      case 'paused': {
        // No worker takes jobs until the pause is over; this job goes back to waiting, its attempt not counted.
        const retryMs = this.env.SES_PAUSED_RETRY_SECONDS * 1000;
        this.logger.error(`SES paused sending for the account (${reason}); taking no jobs for ${retryMs / 1000} s`);
        this.sawPause = true;
        await this.sending.pause(reason, retryMs * 2);
        await this.worker.rateLimit(retryMs);
        return Worker.RateLimitError();
      }
      case 'permanent':
        this.logger.warn({
          ...jobLogFields(job),
          msg: `Email ${message.kind} to ${maskEmail(message.recipient)} rejected for good: ${reason}`,
        });
        await this.markFailed(message, kind, reason);
        return new UnrecoverableError(reason);
      case 'transient': {
        const attempts = job.opts.attempts ?? 1;
        if (job.attemptsMade + 1 >= attempts) await this.markFailed(message, kind, `${reason} (gave up after ${attempts} attempts)`);
        return new Error(reason);
      }
    }
  }

  private async markFailed(message: OutboxMessage, kind: AnyEmailKind | undefined, reason: string): Promise<void> {
    // The email.failed webhook commits with the failure, once, however often a job gets here.
    await this.db.transaction(async (tx) => {
      if (!(await this.outbox.markFailed(tx, message.id, reason))) return;
      const data = { userId: message.userId, email: message.recipient, kind: message.kind, reason };
      await this.webhooks.publish(tx, EmailFailed, data);
    });
    const event = new MailFailedEvent(message.kind, message.userId, reason);
    await this.events.emitAsync(MAIL_FAILED, event);
    if (kind?.events?.failed) await this.events.emitAsync(kind.events.failed, event);
  }
}
