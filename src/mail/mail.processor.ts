import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { Environment } from '../config/environment.js';
import { FactBus } from '../database/fact-bus.js';
import { effectiveLocale } from '../i18n/locale-choice.js';
import { jobLogFields } from '../logging/job-log-fields.js';
import { maskEmail } from '../logging/mask-email.js';
import { MAIL_QUEUE, type MailJobData } from '../queue/jobs.js';
import { logWorkerErrors } from '../queue/worker-errors.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { AnyEmailKind } from './email-kind.js';
import { EmailKindRegistry } from './email-kinds.js';
import { EmailOutcomes } from './email-outcomes.service.js';
import { EmailAttemptFailed, EmailHeldBack } from './mail.facts.js';
import { MailRenderer } from './mail-renderer.service.js';
import { MailTransport } from './mail-transport.js';
import { NewAddressBreaker } from './new-address-breaker.service.js';
import type { OutboxEmail } from './outbox-email.js';
import { OutboxRepository } from './outbox.repository.js';
import { SendingPauseService } from './sending-pause.service.js';
import { classifySendError, describeSendError } from './ses-errors.js';
import { SuppressionsService } from './suppressions.service.js';

const PAUSE_CLEAR_EVERY_MS = 5_000;
/** How long an email held back by the new-address breaker waits before it is looked at again. */
const HELD_BACK_MS = 15_000;
/** While sending is paused automatically (SES_AUTO_PAUSE), how often each worker looks whether it was resumed. */
const AUTO_PAUSE_POLL_MS = 2_000;

type MailJob = Job<MailJobData, string>;

/**
 * Worker only: turns an outbox email into an email through SES, whatever its kind: the kind (from
 * the registry) says which token to issue and how to render it; its outcome is recorded with a
 * fact (EmailSent, EmailFailed) that the modules owning the kinds follow.
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
    private readonly kinds: EmailKindRegistry,
    private readonly outbox: OutboxRepository,
    private readonly outcomes: EmailOutcomes,
    private readonly tokens: TokensService,
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    private readonly facts: FactBus,
    private readonly sending: SendingPauseService,
    private readonly newAddresses: NewAddressBreaker,
    private readonly suppressions: SuppressionsService,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
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

  async process(job: MailJob, lockToken?: string): Promise<string> {
    const email = await this.outbox.find(job.data.outboxId);
    if (!email) return 'skipped: outbox record gone (user deleted)';
    // A redelivered job (crash, stall) whose email already went out is not sent again.
    if (email.sentAt) return 'skipped: already sent';
    if (email.failedAt) return 'skipped: failed for good';
    const kind = this.kinds.named(email.kind);
    if (!kind) {
      await this.fail(job, email, `no email kind "${email.kind}" in this release`);
      throw new UnrecoverableError(`unknown email kind ${email.kind}`);
    }
    if (await this.sending.isAutoPaused()) return this.waitForResume();
    const suppressed = await this.suppressions.reasonFor(email.recipient);
    if (suppressed) {
      this.logger.log({
        ...jobLogFields(job),
        msg: `Email ${email.kind} to ${maskEmail(email.recipient)} not sent: the address is suppressed (${suppressed})`,
      });
      await this.fail(job, email, `suppressed: ${suppressed}`);
      return 'skipped: suppressed';
    }
    if (email.firstContact && !(await this.newAddresses.admit())) return this.holdBack(job, lockToken, email);

    const rendered = await this.render(kind, email);
    if (!rendered) {
      await this.fail(job, email, "voided: the account's credentials changed after it was asked for");
      return 'skipped: voided';
    }
    let messageId: string;
    const sendStartedAt = Date.now();
    try {
      ({ messageId } = await this.transport.send({ to: email.recipient, ...rendered }));
    } catch (error) {
      throw await this.failure(job, email, error);
    }
    await this.outcomes.sent(email, messageId);
    this.logger.log({
      ...jobLogFields(job),
      msg: `Email ${email.kind} sent to ${maskEmail(email.recipient)} in ${Date.now() - sendStartedAt} ms (SES ${messageId})`,
    });
    await this.sendingAgain(sendStartedAt);
    return 'sent';
  }

  /**
   * Issues the kind's token (its plaintext goes into the email only) and renders the templates; null
   * when the token is void (the account's credentials changed since the email was asked for).
   */
  private async render(kind: AnyEmailKind, email: OutboxEmail) {
    const purpose = kind.token;
    const token = purpose ? await this.tokens.issue(purpose, email.userId, email.createdAt, kind.tokenSubject?.(email.payload)) : undefined;
    if (token === null) return null;
    return this.renderer.render(kind, { payload: email.payload, token }, effectiveLocale(email.locale, this.env.SUPPORTED_LOCALES));
  }

  /**
   * A successful send proves a pause is over, whichever worker saw it begin; clearing the shared
   * flag at most every few seconds keeps that off the per-email cost.
   */
  private async sendingAgain(sendStartedAt: number): Promise<void> {
    if (!this.sawPause && Date.now() - this.pauseClearedAt <= PAUSE_CLEAR_EVERY_MS) return;
    if (this.sawPause) this.logger.log('SES is sending again; jobs resume');
    this.sawPause = false;
    this.pauseClearedAt = Date.now();
    await this.sending.sesResumed(sendStartedAt);
  }

  /** Sending is paused automatically: no worker takes jobs until an admin resumes; the job waits, its attempt not counted. */
  private async waitForResume(): Promise<never> {
    await this.worker.rateLimit(AUTO_PAUSE_POLL_MS);
    throw Worker.RateLimitError();
  }

  /** Puts the job back for a while without using an attempt; BullMQ takes DelayedError to mean exactly that. */
  private async holdBack(job: MailJob, lockToken: string | undefined, email: OutboxEmail): Promise<never> {
    this.facts.observe(new EmailHeldBack({ kind: email.kind }));
    if (Date.now() - this.heldBackLoggedAt > 60_000) {
      this.heldBackLoggedAt = Date.now();
      this.logger.warn(
        `Emails to new addresses over NEW_ADDRESS_EMAILS_PER_MINUTE (${this.env.NEW_ADDRESS_EMAILS_PER_MINUTE}): holding them back`,
      );
    }
    await job.moveToDelayed(Date.now() + HELD_BACK_MS * (1 + Math.random() / 2), lockToken);
    throw new DelayedError();
  }

  /** Decides what a failed send means and returns the error for BullMQ to act on. */
  private async failure(job: MailJob, email: OutboxEmail, error: unknown): Promise<Error> {
    const reason = describeSendError(error);
    this.facts.observe(new EmailAttemptFailed({ kind: email.kind, reason }));
    switch (classifySendError(error)) {
      case 'paused': {
        // No worker takes jobs until the pause is over; this job goes back to waiting, its attempt not counted.
        const retryMs = this.env.SES_PAUSED_RETRY_SECONDS * 1000;
        this.logger.error(`SES paused sending for the account (${reason}); taking no jobs for ${retryMs / 1000} s`);
        this.sawPause = true;
        await this.sending.pauseForSes(reason, retryMs * 2);
        await this.worker.rateLimit(retryMs);
        return Worker.RateLimitError();
      }
      case 'permanent':
        this.logger.warn({
          ...jobLogFields(job),
          msg: `Email ${email.kind} to ${maskEmail(email.recipient)} rejected for good: ${reason}`,
        });
        await this.fail(job, email, reason);
        return new UnrecoverableError(reason);
      case 'transient': {
        const attempts = job.opts.attempts ?? 1;
        if (job.attemptsMade + 1 >= attempts) await this.fail(job, email, `${reason} (gave up after ${attempts} attempts)`);
        return new Error(reason);
      }
    }
  }

  private async fail(job: MailJob, email: OutboxEmail, reason: string): Promise<void> {
    await this.outcomes.failed(email, reason, { requestId: job.data.requestId ?? null });
  }
}
