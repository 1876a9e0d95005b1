import { defineConfig } from 'vitest/config';
import { TEST_ENV } from './test/support/test-env.js';

/**
 * What runs in both queue backends: the core flow, resend and confirmation, the browser test, and
 * the parity spec (rate limits, sign-in throttle, admin lockout, SES pause, worker SIGKILL, /health).
 * Everything else is Redis-mode only (it is the default, and several files cut or inspect Redis).
 */
const BOTH_BACKENDS = [
  'test/e2e/signup-flow.spec.ts',
  'test/e2e/confirmation.spec.ts',
  'test/browser/signup.browser.spec.ts',
  'test/backends/**/*.spec.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    env: TEST_ENV,
    // Test files share PostgreSQL, Redis and the SES emulator: one file at a time (across projects too).
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'redis', include: ['test/**/*.spec.ts'], env: { QUEUE_BACKEND: 'redis' } } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: BOTH_BACKENDS,
          // Redis at a port where nothing listens: anything that still reached for Redis would fail.
          env: { QUEUE_BACKEND: 'postgres', REDIS_URL: 'redis://127.0.0.1:9/0' },
        },
      },
    ],
  },
});
