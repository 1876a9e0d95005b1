import { Module } from '@nestjs/common';
import { SesFeedbackModule } from '../ses-feedback/ses-feedback.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { MailRenderer } from './mail-renderer.service.js';
import { MailTransport } from './mail-transport.js';
import { MailModule } from './mail.module.js';
import { MailProcessor } from './mail.processor.js';
import { SesMailTransport } from './ses-mail.transport.js';

/** The delivering side of Mail, for the worker process only: the web never runs jobs. */
@Module({
  imports: [MailModule, TokensModule, WebhooksModule, SesFeedbackModule],
  providers: [MailRenderer, { provide: MailTransport, useClass: SesMailTransport }, MailProcessor],
})
export class MailWorkerModule {}
