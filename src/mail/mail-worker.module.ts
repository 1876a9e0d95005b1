import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { EmailOutcomes } from './email-outcomes.service.js';
import { MailRenderer } from './mail-renderer.service.js';
import { MailTransport } from './mail-transport.js';
import { MailProcessor } from './mail.processor.js';
import { OutboxRepository } from './outbox.repository.js';
import { SesMailTransport } from './ses-mail.transport.js';

/** The delivering side of Mail, for the worker process only (the web never runs jobs); MailModule.forRoot comes from the entry point. */
@Module({
  imports: [TokensModule],
  providers: [MailRenderer, EmailOutcomes, OutboxRepository, { provide: MailTransport, useClass: SesMailTransport }, MailProcessor],
})
export class MailWorkerModule {}
