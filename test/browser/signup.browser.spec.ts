import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAndServices } from '../support/browser.js';
import { adminUser } from '../support/api.js';
import { sesInbox } from '../support/ses-inbox.js';

/**
 * The confirmation link in the HTML frame of the address's first email on the emulator's inbox
 * page, once it can be clicked. The page polls the store every second and puts each new email on
 * top, so the email is found by its address, not by its place. Under a full suite's load the
 * page's frame has stayed without its link for 15 s while the email was in the store; the page is
 * opened again then, three times in all.
 */
async function linkInInbox(inbox: Page, address: string): Promise<Locator> {
  const email = inbox.locator('.email', { hasText: `To: ${address}` }).last();
  const link = email.frameLocator('iframe').getByRole('link', { name: 'Confirm my email address' });
  for (let attempt = 1; ; attempt++) {
    await inbox.goto(process.env.AWS_ENDPOINT_URL_SES!);
    await email.getByRole('button', { name: 'Toggle HTML view' }).click();
    try {
      await link.waitFor({ timeout: 8_000 });
      return link;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

describe('a person in a browser (Chromium, real web and worker processes)', () => {
  const stack = browserAndServices();

  // Nine browser steps against real processes: under a full suite's load their sum has passed 30 s.
  it('signs up on the page, clicks the button in the emailed HTML, presses the button and is confirmed', { timeout: 90_000 }, async () => {
    const address = `browser-${Date.now()}@example.com`;
    const context = await stack.browser.newContext();
    context.setDefaultTimeout(15_000); // a step that hangs fails on its own line, within the test's time
    const page = await context.newPage();
    const consoleProblems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleProblems.push(m.text()));
    page.on('pageerror', (e) => consoleProblems.push(e.message));

    await page.goto(stack.services.url);
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.textContent('[role=status]'), { timeout: 10_000 }).toContain('Thank you for registering');

    const [email] = await sesInbox.waitFor(address);
    const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(email.body.text!)![0];
    expect(link.startsWith(stack.services.url)).toBe(true);

    // As in the README's walk-through: the emulator's inbox shows the HTML email in a frame; its
    // button must open the link in a tab of its own (the app refuses to be framed).
    const confirmLink = await linkInInbox(await context.newPage(), address);
    const [confirmPage] = await Promise.all([context.waitForEvent('page'), confirmLink.click()]);
    confirmPage.on('console', (m) => m.type() === 'error' && consoleProblems.push(m.text()));
    expect(confirmPage.url()).toBe(link);
    await expect.poll(() => confirmPage.textContent('h1'), { timeout: 10_000 }).toBe('Confirm your email address');
    await confirmPage.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => confirmPage.textContent('[role=status]'), { timeout: 10_000 }).toBe('You have confirmed your account. Thanks!');

    expect(await adminUser(stack.services.url, address)).toMatchObject({ confirmed: true, emailSent: true });
    expect(consoleProblems).toEqual([]); // no CSP violations, no script errors
  });

  it('shows a friendly error for an invalid address, next to the field', async () => {
    const page = await stack.browser.newPage();
    await page.goto(stack.services.url);
    await page.getByLabel('Email address').fill('not an address');
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.textContent('#email-error')).toContain('like name@example.com');
    expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
  });

  it('opens the queue dashboard (Bull Board) with the admin token, without CSP violations', async () => {
    const context = await stack.browser.newContext({
      httpCredentials: { username: 'admin', password: process.env.ADMIN_TOKEN! },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    // Google Fonts may be unreachable here; a blocked or failing script or style is what matters.
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${stack.services.url}/admin/queues`);
    await expect.poll(() => page.getByText('mail', { exact: true }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  // (A send in flight at SIGTERM: test/faults/ses-transport.spec.ts.) The test's own timeout is
  // above the 30 s bound, so the bound can fail.
  it('drains and exits 0 on SIGTERM', { timeout: 45_000 }, async () => {
    const started = Date.now();
    const [web, worker] = await Promise.all([stack.services.web.stop('SIGTERM'), stack.services.worker.stop('SIGTERM')]);
    expect({ web, worker }).toEqual({ web: 0, worker: 0 });
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
