import { Module } from '@nestjs/common';
import { ReputationMonitor } from './reputation-monitor.service.js';
import { SesFeedbackModule } from './ses-feedback.module.js';
import { SqsFeedbackConsumer } from './sqs-feedback.consumer.js';

/** Worker only: the SQS feedback consumer (with SES_FEEDBACK_QUEUE_URL) and the reputation monitor. */
@Module({
  imports: [SesFeedbackModule],
  providers: [SqsFeedbackConsumer, ReputationMonitor],
})
export class SesFeedbackWorkerModule {}
