import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Environment } from '../config/environment.js';
import { SesFeedbackDropped } from './ses-feedback.facts.js';
import { FactBus } from '../database/fact-bus.js';
import { SnsRejection } from './ses-feedback.errors.js';
import { FeedbackFormatError, parseSesFeedback } from './ses-feedback.parser.js';
import { SesFeedbackService, type IngestResult } from './ses-feedback.service.js';
import { looksLikeEnvelope, parseEnvelope, type SnsEnvelope } from './sns-envelope.js';
import { SnsSignatureVerifier } from './sns-signature.verifier.js';
import { allowedSnsTopics } from './sns-topics.js';

const WAIT_SECONDS = 20;
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A message that can never be handled: deleted (with a warning, counted by reason) rather than received for ever. */
class PoisonMessage extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Worker only, with SES_FEEDBACK_QUEUE_URL: reads SES feedback from SQS by long polling, the
 * durable path (SQS keeps messages for days; SNS retries an HTTPS endpoint for about an hour).
 * Takes the SNS envelope and raw message delivery alike. An envelope is checked as POST
 * /webhooks/ses checks one (signature, certificate host, and the topic when SES_SNS_TOPIC_ARNS is
 * set); raw delivery carries no signature, and the queue's policy is what admits it. A message is
 * deleted only after its change committed; if the worker dies first, SQS delivers it again after
 * its visibility timeout, and the handler recognises what it already did.
 */
@Injectable()
export class SqsFeedbackConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SqsFeedbackConsumer.name);
  private readonly stop = new AbortController();
  private client?: SQSClient;
  private loop?: Promise<void>;
  private readonly topics: ReadonlySet<string>;

  constructor(
    private readonly env: Environment,
    private readonly feedback: SesFeedbackService,
    private readonly verifier: SnsSignatureVerifier,
    private readonly facts: FactBus,
  ) {
    this.topics = allowedSnsTopics(env);
  }

  onApplicationBootstrap(): void {
    const queueUrl = this.env.SES_FEEDBACK_QUEUE_URL;
    if (!queueUrl) return;
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(queueUrl).hostname) && !process.env.AWS_ACCESS_KEY_ID;
    this.client = new SQSClient({
      region: this.env.AWS_REGION,
      // The queue URL names its endpoint (a VPC endpoint, or a local stand-in).
      endpoint: new URL(queueUrl).origin,
      credentials: local ? LOCAL_CREDENTIALS : undefined,
      // Longer than a long poll; a hung connection must not hold shutdown for ever.
      requestHandler: { connectionTimeout: 3_000, requestTimeout: (WAIT_SECONDS + 10) * 1000 },
    });
    this.loop = this.run(queueUrl);
    this.logger.log(`Reading SES feedback from ${queueUrl}`);
  }

  /** SIGTERM: the long poll is abandoned; a message being handled is finished (and deleted) first. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.loop;
    this.client?.destroy();
  }

  private async run(queueUrl: string): Promise<void> {
    let failures = 0;
    while (!this.stop.signal.aborted) {
      let messages: Message[];
      try {
        const received = await this.client!.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: WAIT_SECONDS }),
          { abortSignal: this.stop.signal },
        );
        messages = received.Messages ?? [];
        if (failures > 0) this.logger.log('Reading the SES feedback queue again');
        failures = 0;
      } catch (error) {
        if (this.stop.signal.aborted) return;
        if (failures === 0) this.logger.warn(`Cannot read the SES feedback queue (retrying): ${(error as Error).message}`);
        await sleep(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)], undefined, { signal: this.stop.signal }).catch(() => undefined);
        continue;
      }
      for (const message of messages) await this.handle(queueUrl, message);
    }
  }

  private async handle(queueUrl: string, message: Message): Promise<void> {
    try {
      const result = await this.process(message.Body ?? '');
      this.logger.debug?.(`SQS message ${message.MessageId}: ${result}`);
    } catch (error) {
      if (!(error instanceof PoisonMessage)) {
        // PostgreSQL away, say: left in the queue, it comes back after its visibility timeout.
        this.logger.warn(`SES feedback message ${message.MessageId} not handled, will come again: ${(error as Error).message}`);
        return;
      }
      this.logger.warn(`SES feedback message ${message.MessageId} dropped: ${error.message}`);
      this.facts.observe(new SesFeedbackDropped({ reason: error.reason }));
    }
    try {
      await this.client!.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    } catch (error) {
      // Delivered again later; the handler knows it already and changes nothing.
      this.logger.warn(`Could not delete SES feedback message ${message.MessageId}: ${(error as Error).message}`);
    }
  }

  private async process(body: string): Promise<IngestResult> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new PoisonMessage('not-json', 'the body is not JSON');
    }
    let key: string;
    let payload: unknown = parsed;
    if (looksLikeEnvelope(parsed)) {
      const envelope = await this.checked(parsed);
      if (envelope.Type !== 'Notification') {
        // A subscription from another account asks to be confirmed: that is done in the AWS console.
        this.logger.warn(
          `SNS ${envelope.Type} for ${envelope.TopicArn} in the feedback queue: confirm the subscription in the AWS console`,
        );
        return 'ignored';
      }
      key = envelope.MessageId;
      try {
        payload = JSON.parse(envelope.Message);
      } catch {
        throw new PoisonMessage('malformed', 'the SNS Message is not JSON');
      }
    } else {
      // Raw message delivery: no SNS MessageId; the same body delivered again has the same hash.
      key = `raw:${createHash('sha256').update(body).digest('hex')}`;
    }
    try {
      return await this.feedback.ingest(key, parseSesFeedback(payload));
    } catch (error) {
      if (error instanceof FeedbackFormatError)
        throw new PoisonMessage(/Unknown/.test(error.message) ? 'unknown-type' : 'malformed', error.message);
      throw error;
    }
  }

  /**
   * The envelope, once it passed the checks of POST /webhooks/ses. A certificate host that did not
   * answer is transient (the message is left for SQS to deliver again); any other failure is final.
   */
  private async checked(body: unknown): Promise<SnsEnvelope> {
    try {
      const envelope = parseEnvelope(body);
      if (this.topics.size > 0 && !this.topics.has(envelope.TopicArn)) {
        throw new SnsRejection('topic-not-allowed', 'its topic is not in SES_SNS_TOPIC_ARNS');
      }
      await this.verifier.verify(envelope);
      return envelope;
    } catch (error) {
      if (error instanceof SnsRejection && error.code !== 'certificate-unavailable') {
        throw new PoisonMessage(error.code, `SNS envelope refused: ${error.message}`);
      }
      throw error;
    }
  }
}
