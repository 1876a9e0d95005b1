import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { MailTransport, type OutgoingEmail } from './mail-transport.js';

@Injectable()
export class SesMailTransport extends MailTransport implements OnModuleDestroy {
  private readonly client: SESClient;

  constructor(private readonly env: Environment) {
    super();
    const local = env.AWS_ENDPOINT_URL_SES !== undefined && !process.env.AWS_ACCESS_KEY_ID;
    this.client = new SESClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_SES,
      // The local emulator accepts any credentials; real SES uses the standard provider chain.
      credentials: local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
      maxAttempts: 1, // retries belong to the queue, with backoff and jitter
    });
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const charset = 'UTF-8';
    const result = await this.client.send(
      new SendEmailCommand({
        Source: this.env.MAIL_FROM,
        Destination: { ToAddresses: [email.to] },
        Message: {
          Subject: { Data: email.subject, Charset: charset },
          Body: { Text: { Data: email.text, Charset: charset }, Html: { Data: email.html, Charset: charset } },
        },
      }),
    );
    return { messageId: result.MessageId ?? '' };
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }
}
