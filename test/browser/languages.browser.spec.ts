import axe from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { flatten, readCatalogue } from '../../src/i18n/catalogues.js';
import { LOCALES, type Locale } from '../../src/i18n/locales.js';
import { browserAndServices } from '../support/browser.js';
import { sesInbox } from '../support/ses-inbox.js';

const EN = flatten(readCatalogue('en'));
const messages = (locale: Locale) => flatten(readCatalogue(locale));

/**
 * English sentences a page in `locale` must not show: every English message without arguments,
 * of two words or more, that the locale words differently. A page half in English fails here.
 */
function englishLeftIn(text: string, locale: Locale): string[] {
  const own = messages(locale);
  return Object.entries(EN)
    .filter(([key, message]) => !message.includes('{') && message.includes(' ') && own[key] !== message)
    .map(([, message]) => message)
    .filter((message) => text.includes(message));
}

/** axe-core's violations on the page (WCAG 2.1 A and AA rules and best practices), as "rule: target" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's strict CSP does not govern.
  await page.evaluate(axe.source);
  const result = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

async function checkPage(page: Page, locale: Locale): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe(locale);
  expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
  expect(englishLeftIn(await page.innerText('body'), locale)).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
}

describe('a person reading German or Arabic (Chromium, real web and worker processes)', () => {
  const stack = browserAndServices();

  /** Sign-up → email → confirm (choosing a password) → sign-in, every page checked in `locale`. */
  async function walk(context: BrowserContext, locale: Locale, start: (page: Page) => Promise<void>): Promise<Page> {
    const t = messages(locale);
    const address = `reader-${locale}-${Date.now()}@example.com`;
    const page = await context.newPage();
    await start(page);
    await checkPage(page, locale);

    await page.getByLabel(t['form.email']).fill(address);
    await page.getByRole('button', { name: t['home.register'] }).click();
    await expect.poll(() => page.textContent('[role=status]'), { timeout: 10_000 }).toBe(t['flash.registered']);
    await checkPage(page, locale);

    const [email] = await sesInbox.waitFor(address);
    expect(email.subject).toBe(t['email.confirmation.subject']);
    const text = email.body.text!;
    expect(text).toContain(t['email.hello']);
    expect(text).toContain(t['email.confirmation.intro'].replace('{productName}', 'Sign-up Demo'));
    expect(englishLeftIn(text, locale)).toEqual([]);
    expect(email.body.html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(englishLeftIn(email.body.html!, locale)).toEqual([]);

    const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec(text)![0];
    await page.goto(link);
    expect(await page.textContent('h1')).toBe(t['confirm.heading']);
    await checkPage(page, locale);
    const password = 'kalte Suppe mit Zimt 42';
    await page.getByLabel(t['confirm.passwordLabel']).fill(password);
    await page.getByRole('button', { name: t['confirm.button'] }).click();
    // Choosing a password signs in: the account page; the header's button signs out again.
    await expect.poll(() => page.textContent('[role=status]'), { timeout: 10_000 }).toBe(t['flash.confirmedSignedIn']);
    expect(await page.textContent('h1')).toBe(t['account.heading']);
    await checkPage(page, locale);

    await page.getByRole('button', { name: t['layout.signOut'], exact: true }).click();
    await expect.poll(() => page.textContent('h1')).toBe(t['signIn.heading']);
    await checkPage(page, locale);
    await page.getByLabel(t['form.email'], { exact: true }).first().fill(address);
    await page.getByLabel(t['signIn.passwordLabel'], { exact: true }).fill('wrong password, surely');
    await page.getByRole('button', { name: t['signIn.submit'], exact: true }).click();
    await expect.poll(() => page.textContent('#password-error')).toBe(t['errors.account.sign_in_failed']);
    await checkPage(page, locale);
    await page.getByLabel(t['signIn.passwordLabel'], { exact: true }).fill(password);
    await page.getByRole('button', { name: t['signIn.submit'], exact: true }).click();
    await expect.poll(() => page.textContent('h1')).toBe(t['account.heading']);
    await checkPage(page, locale);
    // The session list names the browser in the reader's words, not the raw User-Agent header.
    const device = await page.innerText('table tbody tr td:nth-child(3)');
    expect(device).not.toContain('Mozilla/');
    expect(device).toMatch(locale === 'de' ? / unter Linux$/ : / على Linux$/);
    return page;
  }

  it(
    'walks sign-up, email, confirmation and sign-in in German (Accept-Language), every page free of axe violations',
    { timeout: 90_000 },
    async () => {
      const context = await stack.browser.newContext({ locale: 'de-DE' }); // Accept-Language: de-DE
      context.setDefaultTimeout(15_000);
      await walk(context, 'de', (page) => page.goto(stack.services.url).then(() => undefined));
      await context.close();
    },
  );

  it(
    'walks it in Arabic, chosen with the footer switcher, right to left; the account page and every other page pass axe in every language',
    { timeout: 150_000 },
    async () => {
      const context = await stack.browser.newContext({ locale: 'en-US' });
      context.setDefaultTimeout(15_000);
      const account = await walk(context, 'ar', async (page) => {
        await page.goto(stack.services.url);
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        await page.getByRole('link', { name: 'العربية' }).click(); // sets the lang cookie for what follows
      });
      // The switcher's choice is the cookie's: a page without ?lang= stays Arabic.
      expect((await context.cookies()).find((c) => c.name === 'lang')).toMatchObject({ value: 'ar', httpOnly: true, sameSite: 'Lax' });

      // Signed in (the header names the account), and signed out for the pages that send a signed-in person to /account.
      const signedIn = ['/resend', '/password-reset', '/account'];
      const broken = ['/confirm/not-a-token', '/password-reset/not-a-token', '/email-change/not-a-token', '/no-such-page'];
      const signedOut = ['/', '/sign-in', '/sign-in?code=ABCD2345'];
      const anonymousContext = await stack.browser.newContext({ locale: 'en-US' });
      anonymousContext.setDefaultTimeout(15_000);
      const anonymous = await anonymousContext.newPage();
      for (const locale of LOCALES) {
        for (const [page, paths] of [
          [account, [...signedIn, ...broken]],
          [anonymous, signedOut],
        ] as const) {
          for (const path of paths) {
            await page.goto(`${stack.services.url}${path}${path.includes('?') ? '&' : '?'}lang=${locale}`);
            expect(new URL(page.url()).pathname).toBe(path.split('?')[0]);
            await checkPage(page, locale);
          }
        }
      }
      await anonymousContext.close();
      await context.close();
    },
  );
});
