import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { latestEmail, signInCode } from '../support/accounts.js';
import { browserAndServices } from '../support/browser.js';
import { sesInbox } from '../support/ses-inbox.js';
import { waitFor } from '../support/wait-for.js';

/** axe-core's violations on the page (WCAG 2.1 A and AA rules and best practices), as "rule: target" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's strict CSP does not govern.
  await page.evaluate(axe.source);
  const result = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

const emailTo = (address: string, subject: RegExp) =>
  waitFor(async () => (await sesInbox.to(address)).filter((e) => subject.test(e.subject)).at(-1), { what: `"${subject}" to ${address}` });

describe('an account in a browser (Chromium, real web and worker processes)', () => {
  const stack = browserAndServices();

  it('signs up, confirms with a password, signs out, signs in with a code, changes the password, signs out everywhere', async () => {
    const address = `account-${Date.now()}@example.com`;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    // The refused forms answer 400/401 on purpose; anything else printed as an error is a problem.
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource: .* (400|401)/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));

    // Sign up, then the emailed link: a weak password is refused next to its field, a good one is set.
    await page.goto(stack.services.url);
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toContain('Thank you for registering');
    const link = /https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec((await emailTo(address, /Confirm your email/)).body.text!)![0];
    await page.goto(link);
    await page.getByLabel(/Choose a password/).fill('password1234');
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => page.textContent('#password-error')).toContain('too common');
    await page.getByLabel(/Choose a password/).fill('a long and private phrase');
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    // That signs in: the account page, its header naming the address; the header's button signs out.
    await expect
      .poll(() => page.textContent('[role=status]'))
      .toBe('Your address is confirmed and your password is set. You are signed in.');
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await page.getByRole('banner').innerText()).toContain(`Signed in as ${address}`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe('You are signed out.');
    expect(await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).count()).toBe(1);

    // Sign in with the password, then out.
    await page.getByLabel('Email address').fill(address);
    await page.getByLabel('Password', { exact: true }).fill('a long and private phrase');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.textContent('#account-email')).toBe(address);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe('You are signed out.');
    await page.goto(`${stack.services.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    // A wrong password: the one message, next to the field.
    await page.getByLabel('Email address').fill(address);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.textContent('#password-error')).toContain('do not match an account');

    // Sign in with an emailed code, through the email's link (which only fills the form in).
    await page.getByLabel(/Email a one-time code to/).fill(address);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toContain('sign-in code is on its way');
    const codeEmail = await emailTo(address, /sign-in code/);
    const codeLink = /https?:\/\/\S+\/sign-in\?\S+/.exec(codeEmail.body.text!)![0];
    await page.goto(codeLink);
    const code = /code=([A-Z0-9]{8})/.exec(codeLink)![1];
    expect(await page.inputValue('#code')).toBe(code);
    await page.getByRole('button', { name: 'Sign in with the code' }).click();
    await expect.poll(() => page.textContent('#account-email')).toBe(address);

    // A second browser signs in too; changing the password signs it out, not this one.
    const other = await stack.browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`${stack.services.url}/sign-in`);
    await otherPage.getByLabel('Email address').fill(address);
    await otherPage.getByLabel('Password', { exact: true }).fill('a long and private phrase');
    await otherPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => otherPage.textContent('#account-email')).toBe(address);

    await page.reload();
    expect(await page.locator('table tbody tr').count()).toBe(2);
    await page.getByLabel('Current password').fill('a long and private phrase');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await expect.poll(() => page.textContent('#new-password-error')).toContain('at least 12 characters');
    await page.getByLabel('Current password').fill('a long and private phrase');
    await page.getByLabel('New password').fill('an even longer private phrase');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toContain('Your password was changed');
    await emailTo(address, /Your password was changed/);
    await otherPage.reload();
    expect(new URL(otherPage.url()).pathname).toBe('/sign-in');
    expect(await page.locator('table tbody tr').count()).toBe(1);

    // Sign out everywhere: this browser too.
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe('You are signed out everywhere.');
    await page.goto(`${stack.services.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    // The cookie: HttpOnly, SameSite=Lax (Secure and __Host- only with an https APP_URL).
    await page.getByLabel('Email address').fill(address);
    await page.getByLabel('Password', { exact: true }).fill('an even longer private phrase');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.textContent('#account-email')).toBe(address);
    const cookie = (await context.cookies()).find((c) => c.name === 'session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(problems).toEqual([]); // no CSP violations, no script errors
    await other.close();
    await context.close();
  });

  it('every page has a header: "Sign in" signed out, the address and "Sign out" signed in, each passing axe-core', async () => {
    const address = `header-${Date.now()}@example.com`;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource: .* 404/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const url = (path: string) => `${stack.services.url}${path}`;

    for (const path of ['/', '/resend', '/sign-in', '/password-reset', '/no-such-page']) {
      await page.goto(url(path));
      const banner = page.getByRole('banner');
      expect(await banner.getByRole('link', { name: 'Sign in', exact: true }).getAttribute('href'), path).toBe('/sign-in');
      expect(await banner.getByRole('button').count(), path).toBe(0);
      expect(await axeViolations(page), path).toEqual([]);
    }

    // Signs up and confirms with a password: signed in from there on.
    await page.goto(url('/'));
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.goto(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec((await emailTo(address, /Confirm your email/)).body.text!)![0]);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/Choose a password/).fill('a long and private phrase');
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => page.textContent('#account-email')).toBe(address);

    for (const path of ['/account', '/resend', '/password-reset', '/no-such-page', '/', '/sign-in']) {
      await page.goto(url(path));
      // Home and sign-in send a signed-in person to the account page.
      expect(new URL(page.url()).pathname, path).toBe(['/', '/sign-in'].includes(path) ? '/account' : path);
      const banner = page.getByRole('banner');
      expect(await banner.innerText(), path).toContain(`Signed in as ${address}`);
      expect(await banner.getByRole('link', { name: address }).getAttribute('href'), path).toBe('/account');
      expect(await banner.getByRole('link', { name: 'Sign in', exact: true }).count(), path).toBe(0);
      expect(await page.getByRole('button', { name: 'Sign out', exact: true }).count(), path).toBe(1);
      expect(await axeViolations(page), path).toEqual([]);
    }

    // The header's button signs out from any page, and the header says so.
    await page.goto(url('/password-reset'));
    await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe('You are signed out.');
    expect(await page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(1);
    await page.goto(url('/account'));
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sets a first password on /account with a code emailed by the button beside its field', async () => {
    const address = `first-password-${Date.now()}@example.com`;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.services.url);
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toContain('Thank you for registering');
    await page.goto(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/.exec((await emailTo(address, /Confirm your email/)).body.text!)![0]);
    await page.getByRole('button', { name: 'Confirm my email address' }).click(); // no password: codes only
    await page.goto(`${stack.services.url}/sign-in`);
    await page.getByLabel(/Email a one-time code to/).fill(address);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.goto(/https?:\/\/\S+\/sign-in\?\S+/.exec((await emailTo(address, /sign-in code/)).body.text!)![0]);
    await page.getByRole('button', { name: 'Sign in with the code' }).click();
    await expect.poll(() => page.textContent('#account-email')).toBe(address);

    const form = page.locator('form[action="/account/password"]');
    await form.getByRole('button', { name: 'Email me a code' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe(`A sign-in code is on its way to ${address}. It works for 10 minutes.`);
    const code = signInCode(await latestEmail(address, /sign-in code/, 2));
    await form.getByLabel('A fresh sign-in code').fill(code.toLowerCase());
    await form.getByLabel('New password').fill('my first real passphrase');
    await form.getByLabel('New password').press('Enter'); // Enter sets the password; it does not ask for another code
    await expect.poll(() => page.textContent('[role=status]')).toBe('Your password is set. Every other session was signed out.');
    await expect.poll(() => page.getByRole('heading', { name: 'Change your password' }).count()).toBe(1);
    await context.close();
  });
});
