// The Better Auth peer: its documented setup with PostgreSQL (a pg Pool of 20, like the service's
// web), email and password with requireEmailVerification, its default password hashing (scrypt),
// the verification email sent through the AWS SES SDK without awaiting it (as its docs advise), and
// its rate limiter off (like the service's in the bench). Its tables live in the schema
// `better_auth` of the bench database (search_path), created by its own migration code (migrate.mjs).
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { betterAuth } from 'better-auth';
import pg from 'pg';

export const SCHEMA = 'better_auth';

export function createAuth({ baseURL = process.env.BETTER_AUTH_URL ?? 'http://127.0.0.1:3000' } = {}) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20, options: `-c search_path=${SCHEMA}` });
  const ses = new SESClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  const auth = betterAuth({
    database: pool,
    baseURL,
    secret: process.env.BETTER_AUTH_SECRET ?? 'bench-better-auth-secret-0123456789abcdef',
    telemetry: { enabled: false },
    rateLimit: { enabled: false },
    emailAndPassword: { enabled: true, requireEmailVerification: true },
    emailVerification: {
      sendOnSignUp: true,
      sendVerificationEmail: async ({ user, url }) => {
        // Not awaited, as Better Auth's docs advise (no timing difference, a faster answer): no queue, no retry.
        void ses
          .send(
            new SendEmailCommand({
              Source: 'no-reply@example.com',
              Destination: { ToAddresses: [user.email] },
              Message: {
                Subject: { Data: 'Verify your email address' },
                Body: {
                  Text: { Data: `Hello,\n\nPlease follow the link below to verify your email address:\n\n${url}\n` },
                  Html: {
                    Data: `<!doctype html><html><body><p>Please verify your email address:</p><p><a href="${url}">${url}</a></p></body></html>`,
                  },
                },
              },
            }),
          )
          .catch((error) => console.error(`verification email to ${user.email} failed: ${error.message}`));
      },
    },
  });
  return { auth, pool };
}
