import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/api.js';
import { launchChromium } from '../support/browser.js';
import { seedFunnel, wholeHourAgo } from '../support/funnel-seed.js';
import { startStack, type Stack } from '../support/stack.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// Where the screenshots go, to be looked at (test-results/ is not committed).
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');

/** What axe-core finds wrong on the page (WCAG 2.1 A and AA), as "rule: target" lines. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE); // through the DevTools protocol: the page's CSP does not apply
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> };
      }
    ).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

describe('the admin pages in a browser (Chromium) on a seeded database', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({}, { worker: false });
    await seedFunnel(stack, wholeHourAgo(0));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the overview with real numbers, charts a screen reader can read, and no axe-core violation', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'operator', password: adminToken() },
      viewport: { width: 1100, height: 900 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${stack.url}/admin`);
    await expect.poll(() => page.textContent('h1')).toBe('Overview');
    const figure = (name: string) =>
      page
        .locator('table.figures tr', { has: page.locator(`th:text-is("${name}")`) })
        .locator('td')
        .textContent();
    expect(await figure('Sign-ups')).toBe('5');
    expect(await figure('Confirmations')).toBe('3');
    expect(await figure('Conversion (confirmations per sign-up)')).toBe('60.00 %');
    expect(await figure('Time to confirm, median')).toBe('10 minutes');
    expect(await figure('Sending')).toBe('Not paused');
    // Each chart is an image named by its title, described by its summary.
    const chart = page.getByRole('img', { name: 'Sign-ups, emails sent and confirmations per hour' });
    await expect.poll(() => chart.count()).toBe(1);
    expect(await page.locator('#funnel-hour-desc').textContent()).toMatch(/^Sign-ups: 5 in all, at most 4 /);
    expect(await page.getByRole('navigation', { name: 'Admin' }).getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Users',
      'Suppressions',
      'Webhooks',
      'Queues',
    ]);

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'admin-overview.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // The users page, with its action buttons, passes too; the navigation leads there.
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Users');
    await page.screenshot({ path: join(SHOTS, 'admin-users.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
