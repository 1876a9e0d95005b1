import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { runServices } from './processes.js';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's Chromium, headless, as every browser test drives it. */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });

/**
 * For a describe block: real web and worker processes (from dist/) and a Chromium, started before
 * its tests and stopped after them. Read `services` and `browser` inside the tests.
 */
export function browserAndServices(): { services: Awaited<ReturnType<typeof runServices>>; browser: Browser } {
  const running = {} as { services: Awaited<ReturnType<typeof runServices>>; browser: Browser };
  beforeAll(async () => {
    running.services = await runServices();
    running.browser = await launchChromium();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.services?.stop();
  });
  return running;
}
