/**
 * The environment every test process sees. DATABASE_URL names the migrated template that each test
 * file copies into a database of its own; REDIS_URL is replaced per file by a Redis server of the
 * file's own (test/support/per-file-services.ts).
 */
export const SES_PORT = Number(process.env.TEST_SES_PORT ?? 8125);

export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/app_test',
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/14',
  AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${SES_PORT}`,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  APP_URL: 'http://localhost:3000',
  APP_SECRET: 'test-secret-test-secret-test-secret-0123',
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  MAIL_FROM: 'no-reply@example.com',
  RATE_LIMIT_PER_MINUTE: '0',
  // Load and fault tests sign up hundreds of new addresses a minute; the breaker's own test turns it on.
  NEW_ADDRESS_EMAILS_PER_MINUTE: '0',
  RESEND_COOLDOWN_SECONDS: '60',
  SES_MAX_SEND_RATE: '1000',
  WORKER_CONCURRENCY: '10',
  SEND_BACKOFF_MS: '50',
  LOG_LEVEL: 'warn',
};
