import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUser } from '../support/api.js';
import { launchChromium } from '../support/browser.js';
import { runServices } from '../support/processes.js';

type Services = Awaited<ReturnType<typeof runServices>>;

/** axe-core's WCAG 2.x A/AA rules on the page as it is now (injected through the DevTools protocol: the CSP stays as it is). */
async function accessibilityViolations(page: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

const widgetState = (page: Page) =>
  page.evaluate(() => (document.querySelector('altcha-widget') as unknown as { getState(): string }).getState());

describe('the ALTCHA widget in a browser (Chromium, real web and worker processes, SIGNUP_CHALLENGE=altcha at its default cost)', () => {
  let services: Services;
  let browser: Browser;
  beforeAll(async () => {
    services = await runServices({ SIGNUP_CHALLENGE: 'altcha' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await services?.stop();
  });

  async function openSignUp(path = '/'): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(services.url + path);
    await page.waitForFunction(() => customElements.get('altcha-widget') !== undefined);
    return { page, problems };
  }

  it('solves the challenge in the page (its own workers, no third party) and signs up', { timeout: 90_000 }, async () => {
    const { page, problems } = await openSignUp();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const address = `widget-${Date.now()}@example.com`;

    const started = Date.now();
    await page.getByLabel('Email address').fill(address); // focusing the form starts the proof of work
    await expect.poll(() => widgetState(page), { timeout: 60_000, interval: 100 }).toBe('verified');
    const solvedInMs = Date.now() - started;
    expect(await page.inputValue('input[name="altcha"]')).toMatch(/^[A-Za-z0-9+/]+=*$/);

    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.textContent('[role=status]'), { timeout: 10_000 }).toContain('Thank you for registering');
    expect(await adminUser(services.url, address)).toMatchObject({ email: address });
    expect(requests.filter((url) => !url.startsWith(services.url))).toEqual([]);
    expect(problems).toEqual([]); // no CSP violation, no script error
    console.info(`ALTCHA solved by the widget in headless Chromium in ${solvedInMs} ms (2 workers on this machine)`);
  });

  it('holds a form sent before the proof of work is done until it is, then sends it', { timeout: 90_000 }, async () => {
    const { page, problems } = await openSignUp();
    const address = `hasty-${Date.now()}@example.com`;
    await page.getByLabel('Email address').fill(address);
    await page.getByLabel('Email address').press('Enter');
    await expect.poll(() => page.textContent('[role=status]'), { timeout: 60_000 }).toContain('Thank you for registering');
    expect(await adminUser(services.url, address)).toMatchObject({ email: address });
    expect(problems).toEqual([]);
  });

  it(
    'passes axe-core (WCAG 2.2 AA) with the widget, before and after it is solved, and the widget is reachable and named by keyboard',
    { timeout: 90_000 },
    async () => {
      const { page } = await openSignUp();
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByLabel('Email address').focus();
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return { inWidget: !!el?.closest('altcha-widget'), type: el?.type, label: el?.labels?.[0]?.textContent?.trim() };
      });
      expect(focused).toMatchObject({ inWidget: true, type: 'checkbox', label: expect.stringMatching(/\S/) });

      await expect.poll(() => widgetState(page), { timeout: 60_000, interval: 100 }).toBe('verified');
      expect(await accessibilityViolations(page)).toEqual([]);
    },
  );

  it(
    'shows the server refusal of a disposable address next to the field, and the page passes axe-core with it',
    { timeout: 90_000 },
    async () => {
      const { page } = await openSignUp();
      await page.getByLabel('Email address').fill('someone@mailinator.com');
      await expect.poll(() => widgetState(page), { timeout: 60_000, interval: 100 }).toBe('verified');
      await page.getByRole('button', { name: 'Register' }).click();
      await expect
        .poll(() => page.textContent('#email-error'))
        .toBe('Addresses at mailinator.com are disposable; please use a permanent one');
      expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
      await page.waitForFunction(() => customElements.get('altcha-widget') !== undefined);
      expect(await accessibilityViolations(page)).toEqual([]);
    },
  );

  it('speaks the page language in its own words (German, Arabic), and the Arabic page passes axe-core', { timeout: 90_000 }, async () => {
    const checkboxLabel = (page: Page) =>
      page.evaluate(() => document.querySelector<HTMLInputElement>('altcha-widget input[type=checkbox]')?.labels?.[0]?.textContent?.trim());
    for (const [lang, label] of [
      ['de', 'Ich bin kein Roboter'],
      ['ar', 'أنا لست روبوتاً'],
      ['en', "I'm not a robot"],
    ]) {
      const { page, problems } = await openSignUp(`/?lang=${lang}`);
      await expect.poll(() => checkboxLabel(page)).toBe(label);
      if (lang === 'ar') expect(await accessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });
});
