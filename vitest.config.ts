import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
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

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each test file gets its own PostgreSQL database (a copy of the migrated template) and its own Redis.
    setupFiles: ['test/support/per-file-services.ts'],
    env: TEST_ENV,
    // Test files share the SES emulator: one file at a time.
    fileParallelism: false,
    // A committed `.only` would silently skip the rest of the suite.
    allowOnly: false,
    sequence: { sequencer: PathOrderSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
