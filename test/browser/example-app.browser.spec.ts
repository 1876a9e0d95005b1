import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adopterApp } from '../../examples/adopter/src/app.js';
import type { WebhookEvent } from '@signup-confirm/client';
import { confirmedAccount, GOOD_PASSWORD, latestEmail, signInCode } from '../support/accounts.js';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/processes.js';
import { startStack, type Stack } from '../support/stack.js';
import { SECRET_A } from '../support/webhook-receiver.js';

describe('the example adopting app (examples/adopter) in Chromium, against the real service', () => {
  let stack: Stack;
  let app: FastifyInstance;
  let appUrl: string;
  let browser: Browser;
  const events: WebhookEvent[] = [];

  beforeAll(async () => {
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    stack = await startStack({ WEBHOOK_URLS: `${appUrl}/webhooks`, WEBHOOK_SECRET: SECRET_A });
    app = await adopterApp({ serviceUrl: stack.url, webhookSecret: SECRET_A, onEvent: (event) => events.push(event) });
    await app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stack?.close();
  });

  it('signs in with a password and with an emailed code, shows /api/me, signs out, and logs verified webhooks', async () => {
    const address = 'adopter@example.com';
    await confirmedAccount(stack, address);
    const page = await (await browser.newContext()).newPage();

    await page.goto(appUrl);
    const passwordForm = page.locator('form', { hasText: 'Sign in with your password' });
    await passwordForm.getByLabel('Email').fill(address);
    await passwordForm.getByLabel('Password').fill(GOOD_PASSWORD);
    await passwordForm.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.textContent('main')).toContain(`Signed in as ${address}`);
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.textContent('main')).toContain('Sign in with your password');
    const me = await fetch(`${stack.url}/api/me`, { headers: { authorization: `Bearer ${cookie.value}` } });
    expect(me.status).toBe(401); // signing out ended the session on the service, not only the cookie

    await page.locator('form', { hasText: 'Email me a code' }).getByLabel('Email').fill(address);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toContain('a code is on its way');
    const code = signInCode(await latestEmail(address, /sign-in code/));
    const codeForm = page.locator('form', { hasText: 'Sign in with the code' });
    await codeForm.getByLabel('Email').fill(address);
    await codeForm.getByLabel('Code').fill(code);
    await codeForm.getByRole('button', { name: 'Sign in with the code' }).click();
    await expect.poll(() => page.textContent('main')).toContain(`Signed in as ${address}`);

    // The service's webhooks reached the app, verified with its secret, and show on its page.
    await expect
      .poll(() => events.map((e) => e.type), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['user.registered', 'user.confirmed']));
    await page.reload();
    await expect.poll(() => page.textContent('#events')).toContain(`user.confirmed: ${address}`);
  });

  it('refuses a webhook that is not signed with its secret', async () => {
    const forged = await fetch(`${appUrl}/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_x',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAA',
      },
      body: JSON.stringify({
        type: 'user.deleted',
        timestamp: new Date().toISOString(),
        data: { userId: 'x', email: 'x@example.com', reason: 'account-deleted' },
      }),
    });
    expect(forged.status).toBe(401);
  });
});
