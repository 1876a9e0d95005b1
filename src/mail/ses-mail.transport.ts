import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { sesSource } from './mail-from.js';
import { MailTransport, type OutgoingEmail } from './mail-transport.js';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The emulator on this machine accepts any credentials, so none need configuring for it. Only a
 * loopback endpoint with no key in the environment qualifies: any other endpoint (a VPC endpoint,
 * say) gets the SDK's standard credential chain.
 */
function isLocalEmulator(endpoint: string | undefined): boolean {
  if (!endpoint || process.env.AWS_ACCESS_KEY_ID) return false;
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(endpoint).hostname);
}

@Injectable()
export class SesMailTransport extends MailTransport implements OnApplicationShutdown {
  private readonly client: SESClient;
  /** MAIL_FROM as SES wants it; checked at start-up, so worked out once rather than per email. */
  private readonly source: string;

  constructor(private readonly env: Environment) {
    super();
    this.source = sesSource(env.MAIL_FROM);
    this.client = new SESClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_SES,
      credentials: isLocalEmulator(env.AWS_ENDPOINT_URL_SES) ? LOCAL_CREDENTIALS : undefined,
      maxAttempts: 1, // retries belong to the queue, with backoff and jitter
      // A hung connection must not hold a job (and a graceful shutdown) forever. Without
      // throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes and waits on.
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000, throwOnRequestTimeout: true },
    });
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const charset = 'UTF-8';
    const result = await this.client.send(
      new SendEmailCommand({
        Source: this.source,
        // Bounce and complaint events are published per configuration set (SNS or SQS, see README).
        ConfigurationSetName: this.env.SES_CONFIGURATION_SET,
        Destination: { ToAddresses: [email.to] },
        Message: {
          Subject: { Data: email.subject, Charset: charset },
          Body: { Text: { Data: email.text, Charset: charset }, Html: { Data: email.html, Charset: charset } },
        },
      }),
    );
    return { messageId: result.MessageId ?? '' };
  }

  // Not onModuleDestroy: that runs before the worker's beforeApplicationShutdown has let the
  // sends in flight finish, and destroying the client cuts their connections.
  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
