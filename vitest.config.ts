import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type Reporter, type TestSpecification } from 'vitest/node';
import { TEST_ENV } from './test/support/test-env.js';

/**
 * Files in path order, or in reverse with TEST_FILE_ORDER=reverse (CI runs both, to prove that no
 * file depends on another having run before it).
 */
class PathOrderSequencer extends BaseSequencer {
  sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => relative(process.cwd(), f.moduleId);
    const sorted = [...files].sort((a, b) => key(a).localeCompare(key(b)));
    return Promise.resolve(process.env.TEST_FILE_ORDER === 'reverse' ? sorted.reverse() : sorted);
  }
}

/**
 * What runs in both queue backends: the core flow, resend and confirmation, the budgets against
 * others' requests (kept in the rate-limit store), accounts, webhooks, SES feedback over SNS,
 * reminders, the sign-up guard (used challenge solutions live in the rate-limit store), the browser test, and the parity spec (rate
 * limits, sign-in throttle, admin lockout, SES pause, worker SIGKILL, /health).
 * Everything else is Redis-mode only (it is the default, and several files cut or inspect Redis).
 */
const BOTH_BACKENDS = [
  'test/e2e/signup-flow.spec.ts',
  'test/e2e/confirmation.spec.ts',
  'test/e2e/requests-by-others.spec.ts',
  'test/e2e/accounts.spec.ts',
  'test/e2e/webhooks.spec.ts',
  'test/e2e/ses-feedback.spec.ts',
  'test/e2e/reminders.spec.ts',
  'test/e2e/signup-guard.spec.ts',
  'test/browser/signup.browser.spec.ts',
  'test/backends/**/*.spec.ts',
];

/** What runs in the postgres project only (the redis project leaves it out): the PostgreSQL queue backend's own faults. */
const POSTGRES_ONLY = ['test/faults/postgres-queue-restart.spec.ts'];

/** Unit tests: no database, Redis or emulator (`npm run test:unit` runs only these). */
const UNIT = ['test/unit/**/*.spec.ts'];

/**
 * What the e2e projects need: PostgreSQL (an embedded one when nothing answers at TEST_DATABASE_URL)
 * and the SES emulator, set up once per run; each test file gets its own PostgreSQL database (a copy
 * of the migrated template) and, in the redis project, its own redis-server.
 */
const SERVICES = { globalSetup: ['test/support/global-setup.ts'], setupFiles: ['test/support/per-file-services.ts'] };

/**
 * Without a redis-server on PATH the redis project cannot run: the others still do, and the run
 * then says so in its last lines and fails (CI, which has Redis, runs everything).
 */
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
const redisProjectMissing: Reporter = {
  onTestRunEnd(modules) {
    if (modules.every((m) => m.project.name === 'unit')) return; // unit tests only: nothing was missed
    console.log(
      '\nThe redis project (the Redis queue backend: most e2e, fault and browser tests) did NOT run: no redis-server on PATH.\n' +
        'Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run npm test again.',
    );
    process.exitCode = 1;
  },
};

export default defineConfig({
  test: {
    env: TEST_ENV,
    // Test files share the SES emulator: one file at a time (across both projects).
    fileParallelism: false,
    // A committed `.only` would silently skip the rest of the suite.
    allowOnly: false,
    sequence: { sequencer: PathOrderSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: hasRedisServer ? ['default'] : ['default', redisProjectMissing],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      ...(hasRedisServer
        ? [
            {
              extends: true as const,
              test: {
                name: 'redis',
                include: ['test/**/*.spec.ts', 'clients/*/test/**/*.spec.ts'],
                exclude: [...UNIT, ...POSTGRES_ONLY],
                ...SERVICES,
                env: { QUEUE_BACKEND: 'redis' },
              },
            },
          ]
        : []),
      {
        extends: true,
        test: {
          ...SERVICES,
          name: 'postgres',
          include: [...BOTH_BACKENDS, ...POSTGRES_ONLY],
          // No Redis for the file (per-file-services.ts starts none), and REDIS_URL at a port where
          // nothing listens: anything that still reached for Redis would fail.
          env: { QUEUE_BACKEND: 'postgres', REDIS_URL: 'redis://127.0.0.1:9/0' },
        },
      },
    ],
  },
});
