import request from 'supertest';
import { linkToken, sesInbox, type StoredEmail } from './ses-inbox.js';
import type { Stack } from './stack.js';
import { waitFor } from './wait-for.js';

export const GOOD_PASSWORD = 'correct horse battery staple';

/** The last email to the address whose subject matches. */
export async function latestEmail(address: string, subject: RegExp, count = 1): Promise<StoredEmail> {
  return waitFor(
    async () => {
      const emails = await sesInbox.to(address, subject);
      return emails.length >= count ? emails[emails.length - 1] : null;
    },
    { timeoutMs: 10_000, what: `${count} email(s) "${subject}" to ${address}` },
  );
}

/** The token of an emailed `/<path>/<token>` link. */
export function pathToken(email: StoredEmail, path: string): string {
  const match = new RegExp(`/${path}/([A-Za-z0-9_-]{43})`).exec(email.body.text ?? '');
  if (!match) throw new Error(`No /${path}/ link in: ${email.body.text}`);
  return match[1];
}

/** The code of a sign-in-code email. */
export function signInCode(email: StoredEmail): string {
  const match = /code=([A-Z0-9]{8})/.exec(email.body.text ?? '');
  if (!match) throw new Error(`No code in: ${email.body.text}`);
  return match[1];
}

/**
 * Signs up through the API (in `locale`, when given) and answers the emailed confirmation link's
 * token: the English confirmation's, or in another language the latest email's.
 */
export async function signUp(stack: Stack, email: string, locale?: string): Promise<string> {
  await request(stack.url)
    .post('/api/users')
    .send(locale ? { email, locale } : { email })
    .expect(202);
  return linkToken(await latestEmail(email, locale ? /./ : /^Confirm your email address$/));
}

/** Signs up, confirms (with a password unless `password` is null) and returns the address. */
export async function confirmedAccount(stack: Stack, email: string, password: string | null = GOOD_PASSWORD): Promise<string> {
  const token = await signUp(stack, email);
  await request(stack.url)
    .post('/api/confirmations')
    .send(password === null ? { token } : { token, password })
    .expect(200);
  return email;
}

export async function signIn(stack: Stack, email: string, password = GOOD_PASSWORD): Promise<string> {
  const res = await request(stack.url).post('/api/sessions').set('User-Agent', 'accounts-test/1.0').send({ email, password }).expect(201);
  return res.body.token as string;
}

/** Emails a sign-in code and returns it (an account gets at most 3 in 10 minutes; resetState starts the budgets afresh). */
export async function emailedCode(stack: Stack, email: string): Promise<string> {
  const before = (await sesInbox.to(email, /sign-in code/)).length;
  await request(stack.url).post('/api/sign-in-codes').send({ email }).expect(202);
  return signInCode(await latestEmail(email, /sign-in code/, before + 1));
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
