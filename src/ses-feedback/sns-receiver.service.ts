import { Injectable, Logger } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { SnsRejection } from './ses-feedback.errors.js';
import { FeedbackFormatError, parseSesFeedback } from './ses-feedback.parser.js';
import { SesFeedbackService, type IngestResult } from './ses-feedback.service.js';
import { parseEnvelope, type SnsEnvelope } from './sns-envelope.js';
import { SnsSignatureVerifier } from './sns-signature.verifier.js';
import { allowedSnsTopics } from './sns-topics.js';
import { feedbackRetentionDays } from './feedback-retention.js';

const SUBSCRIBE_TIMEOUT_MS = 5_000;
const DAY_MS = 86_400_000;

/**
 * POST /webhooks/ses: checks an SNS message (topic, certificate URL, signature) before anything
 * else, then hands it to the feedback handler. A SubscriptionConfirmation is confirmed by fetching
 * its SubscribeURL, once, after its signature checked out.
 */
@Injectable()
export class SnsReceiver {
  private readonly logger = new Logger(SnsReceiver.name);
  private readonly topics: ReadonlySet<string>;

  constructor(
    private readonly env: Environment,
    private readonly verifier: SnsSignatureVerifier,
    private readonly feedback: SesFeedbackService,
  ) {
    this.topics = allowedSnsTopics(env);
  }

  get enabled(): boolean {
    return this.topics.size > 0;
  }

  async receive(body: unknown, typeHeader?: string | string[]): Promise<IngestResult> {
    if (!this.enabled) throw new SnsRejection('not-configured', 'SES feedback over SNS is not configured (SES_SNS_TOPIC_ARNS)');
    const message = parseEnvelope(body);
    if (typeof typeHeader === 'string' && typeHeader !== message.Type) {
      throw new SnsRejection('malformed', 'x-amz-sns-message-type does not match the message Type');
    }
    if (!this.topics.has(message.TopicArn)) throw new SnsRejection('topic-not-allowed', 'Messages from this topic are not accepted');
    const sentAt = Date.parse(message.Timestamp);
    // Older than what is remembered of handled messages: it could be a replay nobody can recognise any more.
    if (Number.isNaN(sentAt) || Date.now() - sentAt > feedbackRetentionDays(this.env) * DAY_MS) {
      throw new SnsRejection('stale', 'The message Timestamp is missing or too old');
    }
    await this.verifier.verify(message);

    switch (message.Type) {
      case 'SubscriptionConfirmation':
        return this.confirmSubscription(message);
      case 'UnsubscribeConfirmation':
        this.logger.warn(`SNS unsubscribed this endpoint from ${message.TopicArn}; SES feedback from it stops arriving`);
        return this.feedback.ingest(message.MessageId, { kind: 'control', type: message.Type });
      case 'Notification':
        return this.feedback.ingest(message.MessageId, this.parseNotification(message));
    }
  }

  private parseNotification(message: SnsEnvelope) {
    let payload: unknown;
    try {
      payload = JSON.parse(message.Message);
    } catch {
      throw new SnsRejection('malformed', 'The notification Message is not JSON');
    }
    try {
      return parseSesFeedback(payload);
    } catch (error) {
      if (error instanceof FeedbackFormatError)
        throw new SnsRejection(/Unknown/.test(error.message) ? 'unknown-type' : 'malformed', error.message);
      throw error;
    }
  }

  private async confirmSubscription(message: SnsEnvelope): Promise<IngestResult> {
    const url = message.SubscribeURL!;
    if (!this.verifier.subscribeUrlAllowed(url, message.TopicArn)) {
      throw new SnsRejection('subscribe-url-not-allowed', 'The SubscribeURL is not on SNS');
    }
    // Fetched inside the claim: if it fails, nothing is recorded and SNS's next attempt tries again.
    return this.feedback.ingest(message.MessageId, { kind: 'control', type: message.Type }, async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(SUBSCRIBE_TIMEOUT_MS), redirect: 'error' }).catch((error: Error) => {
        throw new SnsRejection('subscription-not-confirmed', `Could not reach the SubscribeURL: ${error.message}`);
      });
      await res.body?.cancel();
      if (!res.ok) throw new SnsRejection('subscription-not-confirmed', `The SubscribeURL answered ${res.status}`);
      this.logger.log(`Subscribed to ${message.TopicArn}: SES feedback will arrive here`);
    });
  }
}
