// Bare baseline, worker side: BullMQ at WORKER_CONCURRENCY (the bench gives both sides the same), SES SendEmail (text + HTML), then email_sent.
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { Worker } from 'bullmq';
import pg from 'pg';

// A pool of 20, like the service's web and worker (src/database/database-options.ts).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const ses = new SESClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
const appUrl = process.env.APP_URL ?? 'http://localhost:3000';

const text = (link) => `Hello,\n\nPlease follow the link below to confirm your email address:\n\n${link}\n\nCheers!\n`;
const html = (link) => `<!doctype html><html><body style="font-family:sans-serif">
<h1>Confirm your email address</h1>
<p>Thanks for signing up. Please press the button below to confirm your email address.</p>
<p><a href="${link}" style="background:#1a73e8;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Confirm my email address</a></p>
<p>Or open this link: <a href="${link}">${link}</a></p>
<p>If you did not sign up, you can ignore this email.</p>
</body></html>`;

const worker = new Worker(
  'baseline-mail',
  async (job) => {
    const { userId, email, token } = job.data;
    const link = `${appUrl}/confirm/${token}`;
    await ses.send(
      new SendEmailCommand({
        Source: 'no-reply@example.com',
        Destination: { ToAddresses: [email] },
        Message: {
          Subject: { Data: 'Confirm your email address' },
          Body: { Text: { Data: text(link) }, Html: { Data: html(link) } },
        },
      }),
    );
    await pool.query('UPDATE baseline.users SET email_sent = true WHERE id = $1', [userId]);
  },
  { connection: { url: process.env.REDIS_URL }, concurrency: Number(process.env.WORKER_CONCURRENCY ?? 50) },
);
worker.on('failed', (job, error) => console.error(`job ${job?.id} failed: ${error.message}`));
console.log('baseline worker running');

const stop = () =>
  worker
    .close()
    .then(() => pool.end())
    .finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
