import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../../src/common/request-context.js';
import { UsersService } from '../../src/users/users.service.js';
import { GOOD_PASSWORD, bearer, confirmedAccount, latestEmail, signIn, signUp } from '../support/accounts.js';
import { adminUser } from '../support/api.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';

const APP_URL = 'http://localhost:3000';

describe("what an account's owner is told by email", () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ SUPPORT_EMAIL: 'help@example.com' })));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('emails the owner after they delete the account, in their language, with no secret in it; not after a purge or an operator', async () => {
    await signUp(stack, 'leaver@example.com', 'de');
    await request(stack.url)
      .post('/api/confirmations')
      .send({ token: linkToken(await latestEmail('leaver@example.com', /./)), password: GOOD_PASSWORD })
      .expect(200);
    const session = await signIn(stack, 'leaver@example.com');
    await request(stack.url).delete('/api/me').set(bearer(session)).send({ password: GOOD_PASSWORD }).expect(204);

    const notice = await latestEmail('leaver@example.com', /^Ihr Konto wurde gelöscht$/);
    const text = notice.body.text!;
    expect(text).toContain('Ihr Konto bei Sign-up Demo für diese Adresse wurde soeben gelöscht');
    expect(text).toContain('Waren Sie das? Dann ist nichts weiter zu tun.');
    expect(text).toContain('Waren Sie es nicht?');
    expect(text).toContain('Bitte schreiben Sie uns außerdem an help@example.com, was passiert ist.');
    expect(notice.body.html).toContain('<html lang="de" dir="ltr">');
    // Its only links: the start page and the support address; nothing that signs in or resets.
    const links = [...`${text}\n${notice.body.html}`.matchAll(/https?:\/\/[^\s"<]+/g)].map((m) => m[0]);
    expect(new Set(links)).toEqual(new Set([APP_URL]));
    expect([...notice.body.html!.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([
      APP_URL,
      APP_URL,
      'mailto:help@example.com',
    ]);

    // Never confirmed and purged by retention, or deleted by an operator: no email.
    await signUp(stack, 'never@example.com');
    await confirmedAccount(stack, 'removed@example.com');
    const removed = (await adminUser(stack.url, 'removed@example.com'))!;
    await stack.web.get(UsersService).purgeNeverConfirmed(new Date(Date.now() + 60_000), 100, SYSTEM_CONTEXT);
    expect(await stack.web.get(UsersService).deleteByAdmin(removed.id, SYSTEM_CONTEXT)).toBe(true);
    expect(await adminUser(stack.url, 'never@example.com')).toBeUndefined();
    await waitUntilIdle(stack.url);
    expect((await sesInbox.toAny(['never@example.com', 'removed@example.com'])).map((e) => e.subject)).toEqual([
      'Confirm your email address',
      'Confirm your email address',
    ]);
  });

  it('gives the "someone tried to sign up with your address" notice links to sign in and to choose a new password', async () => {
    await confirmedAccount(stack, 'known@example.com');
    await request(stack.url).post('/api/users').send({ email: 'known@example.com' }).expect(202);
    const notice = await latestEmail('known@example.com', /^Someone tried to sign up with your address$/);
    expect(notice.body.text).toContain(`If you meant to use your account, sign in:\n${APP_URL}/sign-in\n`);
    expect(notice.body.text).toContain(`Forgot your password? Choose a new one:\n${APP_URL}/password-reset\n`);
    expect(notice.body.html).toContain(`href="${APP_URL}/sign-in"`);
    expect(notice.body.html).toMatch(new RegExp(`<a href="${APP_URL}/password-reset"[^>]*>Choose a new one</a>`));
  });
});
