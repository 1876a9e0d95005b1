import { Module } from '@nestjs/common';
import { ReputationMonitor } from './reputation-monitor.service.js';
import { SesFeedbackModule } from './ses-feedback.module.js';
import { SnsSignatureVerifier } from './sns-signature.verifier.js';
import { SqsFeedbackConsumer } from './sqs-feedback.consumer.js';

/** Worker only: the SQS feedback consumer (with SES_FEEDBACK_QUEUE_URL, checking SNS envelopes like the web's endpoint) and the reputation monitor. */
@Module({
  imports: [SesFeedbackModule],
  providers: [SqsFeedbackConsumer, SnsSignatureVerifier, ReputationMonitor],
})
export class SesFeedbackWorkerModule {}
