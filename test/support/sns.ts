import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnsEnvelope } from '../../src/ses-feedback/sns-envelope.js';

/**
 * Global setup: the key and self-signed CA certificate for 127.0.0.1 in test/fixtures/sns-test-ca
 * (made once with openssl, valid until 2126: tests need no openssl), a second key for forged
 * signatures, and NODE_EXTRA_CA_CERTS pointing at the certificate. Node reads that variable only
 * when a process starts, so it is set here, before Vitest forks its workers (and child processes
 * inherit it). Test processes alone trust this CA, and only for loopback stand-ins.
 */
export function setUpSnsTestCertificate(): void {
  const fixture = join(import.meta.dirname, '..', 'fixtures', 'sns-test-ca');
  const dir = mkdtempSync(join(tmpdir(), 'sns-test-ca-'));
  for (const file of ['key.pem', 'cert.pem']) copyFileSync(join(fixture, file), join(dir, file));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'other-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  process.env.SNS_TEST_CERT_DIR = dir;
  process.env.NODE_EXTRA_CA_CERTS = join(dir, 'cert.pem');
}

const certDir = () => {
  const dir = process.env.SNS_TEST_CERT_DIR;
  if (!dir) throw new Error('SNS_TEST_CERT_DIR is unset: test/support/global-setup.ts makes the test certificate');
  return dir;
};

export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-feedback';

/** An envelope as SNS posts it; `Type` is any string, so tests can send types SNS never would. */
export type SnsMessage = Omit<SnsEnvelope, 'Type'> & { Type: string };

/**
 * The loopback stand-in for SNS's certificate host: serves the signing certificate over HTTPS and
 * counts SubscribeURL calls; signs envelopes as AWS documents it (written from AWS's description,
 * not from the service's code).
 */
export async function startSnsStandIn() {
  const dir = certDir();
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const otherKey = readFileSync(join(dir, 'other-key.pem'), 'utf8');
  const subscribeCalls: string[] = [];
  let certFetches = 0;
  const server: Server = createServer({ key, cert }, (req, res) => {
    if (req.url === '/SimpleNotificationService-test.pem') {
      certFetches++;
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(cert);
    } else if (req.url?.startsWith('/confirm?')) {
      subscribeCalls.push(req.url);
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>');
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const base = `https://127.0.0.1:${port}/`;
  const certUrl = `${base}SimpleNotificationService-test.pem`;

  const sign = (message: Omit<SnsMessage, 'Signature'>, signingKey = key): SnsMessage => {
    const keys =
      message.Type === 'Notification'
        ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
        : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    const text = keys
      .filter((k) => (message as unknown as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${k}\n${(message as unknown as Record<string, string>)[k]}\n`)
      .join('');
    const signer = createSign(message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    signer.update(text, 'utf8');
    return { ...message, Signature: signer.sign(signingKey, 'base64') };
  };

  const envelope = (
    fields: Partial<SnsMessage> & { Type: string },
    { version = '1', forged = false }: { version?: '1' | '2'; forged?: boolean } = {},
  ): SnsMessage =>
    sign(
      {
        MessageId: randomUUID(),
        TopicArn: TOPIC,
        Message: '',
        Timestamp: new Date().toISOString(),
        SignatureVersion: version,
        SigningCertURL: certUrl,
        ...fields,
      },
      forged ? otherKey : key,
    );

  return {
    base,
    certUrl,
    subscribeCalls,
    certFetches: () => certFetches,
    sign,
    /** A signed Notification carrying an SES message. */
    notification: (ses: object, options: { version?: '1' | '2'; forged?: boolean } = {}) =>
      envelope(
        {
          Type: 'Notification',
          Message: JSON.stringify(ses),
          Subject: 'Amazon SES Email Event Notification',
          UnsubscribeURL: `${base}unsubscribe`,
        },
        options,
      ),
    subscription: (
      type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
      options: { version?: '1' | '2'; forged?: boolean } = {},
    ) => {
      const token = randomUUID().replace(/-/g, '');
      return envelope(
        {
          Type: type,
          Token: token,
          SubscribeURL: `${base}confirm?Action=ConfirmSubscription&Token=${token}`,
          Message: `You have chosen to ${type === 'SubscriptionConfirmation' ? 'subscribe to' : 'unsubscribe from'} the topic.`,
        },
        options,
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** SES messages as SES writes them: identity notifications (`notificationType`) or event publishing (`eventType`). */
export const ses = {
  bounce(email: string, messageId: string, type: string, subType: string, family: 'notificationType' | 'eventType' = 'notificationType') {
    return {
      [family]: 'Bounce',
      bounce: {
        bounceType: type,
        bounceSubType: subType,
        bouncedRecipients: [{ emailAddress: email, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: new Date().toISOString(),
        feedbackId: randomUUID(),
      },
      mail: { timestamp: new Date().toISOString(), messageId, source: 'no-reply@example.com', destination: [email] },
    };
  },
  complaint(email: string, messageId: string, family: 'notificationType' | 'eventType' = 'eventType') {
    return {
      [family]: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: email }],
        complaintFeedbackType: 'abuse',
        timestamp: new Date().toISOString(),
        feedbackId: randomUUID(),
      },
      mail: { timestamp: new Date().toISOString(), messageId, source: 'no-reply@example.com', destination: [email] },
    };
  },
  delivery(email: string, messageId: string) {
    return {
      notificationType: 'Delivery',
      delivery: { recipients: [email], timestamp: new Date().toISOString() },
      mail: { timestamp: new Date().toISOString(), messageId, source: 'no-reply@example.com', destination: [email] },
    };
  },
};
