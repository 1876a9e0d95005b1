import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flatten, readCatalogue } from '../../src/i18n/catalogues.js';
import type { Locale } from '../../src/i18n/locales.js';
import { GOOD_PASSWORD, bearer, latestEmail, signIn } from '../support/accounts.js';
import { adminUser } from '../support/api.js';
import { waitUntilIdle } from '../support/metrics.js';
import { linkToken, sesInbox } from '../support/ses-inbox.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { SECRET_A, webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { waitFor } from '../support/wait-for.js';

const t = (locale: Locale) => flatten(readCatalogue(locale));
const subject = (locale: Locale, kind: string) => t(locale)[`email.${kind}.subject`];

describe("every reader's language", () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await webhookReceiver([SECRET_A]);
    stack = await startStack({ WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET_A, CONFIRMATION_REMINDER_AFTER_SECONDS: '2' });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    await resetState(stack);
    receiver.received.length = 0;
  });

  const signUp = (body: object, acceptLanguage?: string) => {
    const req = request(stack.url).post('/api/users');
    if (acceptLanguage) void req.set('Accept-Language', acceptLanguage);
    return req.send(body);
  };
  const page = (path: string, headers: Record<string, string> = {}) => request(stack.url).get(path).set(headers).expect(200);
  const webhookData = (type: string, email: string) =>
    waitFor(() => receiver.delivered().find((r) => r.payload.type === type && r.payload.data.email === email)?.payload.data ?? null, {
      timeoutMs: 10_000,
    });

  it('takes the sign-up language from POST /api/users {locale}, else Accept-Language by weight, else the first supported', async () => {
    await signUp({ email: 'chosen@example.com', locale: 'fr' }, 'de').expect(202);
    await signUp({ email: 'weighted@example.com' }, 'pt-BR, es-MX;q=0.9, de;q=0.8').expect(202);
    await signUp({ email: 'unmatched@example.com' }, 'ja, zh;q=0.5').expect(202);
    expect((await latestEmail('chosen@example.com', /./)).subject).toBe(subject('fr', 'confirmation'));
    expect((await latestEmail('weighted@example.com', /./)).subject).toBe(subject('es', 'confirmation'));
    expect((await latestEmail('unmatched@example.com', /./)).subject).toBe(subject('en', 'confirmation'));
    expect(await webhookData('user.registered', 'chosen@example.com')).toMatchObject({ locale: 'fr' });
  });

  it('refuses an unsupported locale with 400 unsupported_locale, storing and sending nothing', async () => {
    const res = await signUp({ email: 'klingon@example.com', locale: 'tlh' }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'unsupported_locale' });
    await waitUntilIdle(stack.url);
    expect(await adminUser(stack.url, 'klingon@example.com')).toBeUndefined();
    expect(await sesInbox.to('klingon@example.com')).toEqual([]);
  });

  it('writes the email in the sign-up page language, the reminder a while later too, in German words and layout', async () => {
    const home = await page('/?lang=de');
    expect(home.text).toContain('<html lang="de" dir="ltr">');
    const cookies = home.headers['set-cookie'] as unknown as string[];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    await request(stack.url).post('/').set('Cookie', cookie).type('form').send({ email: 'leser@example.com', _csrf: csrf }).expect(303);
    const [link] = await sesInbox.waitFor('leser@example.com');
    expect(link.subject).toBe('Bitte bestätigen Sie Ihre E-Mail-Adresse');
    expect(link.body.text).toContain('Der Link gilt 24 Stunden.');
    const reminder = await latestEmail('leser@example.com', /^Erinnerung/);
    expect(reminder.subject).toBe(subject('de', 'confirmationReminder'));
    expect(reminder.body.html).toContain('<html lang="de" dir="ltr">');
  });

  it('returns the locale on GET /api/me, changes it with PATCH /api/me (400 for an unsupported one), and every later email follows it', async () => {
    await signUp({ email: 'moving@example.com', locale: 'de' }).expect(202);
    const token = linkToken(await latestEmail('moving@example.com', /./));
    await request(stack.url).post('/api/confirmations').send({ token, password: GOOD_PASSWORD }).expect(200);
    const session = await signIn(stack, 'moving@example.com');
    expect((await request(stack.url).get('/api/me').set(bearer(session)).expect(200)).body).toMatchObject({ locale: 'de' });
    expect(await webhookData('user.confirmed', 'moving@example.com')).toMatchObject({ locale: 'de' });

    const refused = await request(stack.url).patch('/api/me').set(bearer(session)).send({ locale: 'pt' }).expect(400);
    expect(refused.body).toMatchObject({ code: 'unsupported_locale' });
    await request(stack.url)
      .patch('/api/me')
      .set(bearer(session))
      .send({ locale: 'ar' })
      .expect(200, {
        ...(await request(stack.url).get('/api/me').set(bearer(session))).body,
        locale: 'ar',
      });

    await request(stack.url)
      .put('/api/me/password')
      .set(bearer(session))
      .send({ currentPassword: GOOD_PASSWORD, newPassword: 'ein ganz neues Passwort' })
      .expect(204);
    const notice = await latestEmail('moving@example.com', /^تم تغيير كلمة المرور$/);
    expect(notice.body.html).toContain('<html lang="ar" dir="rtl">');
    expect(notice.body.text).toContain(t('ar')['email.passwordChanged.intro'].replace('{productName}', 'Sign-up Demo'));
    expect(await webhookData('user.password_changed', 'moving@example.com')).toMatchObject({ locale: 'ar' });

    // An email change: the link to the new address is in the requester's language.
    await request(stack.url)
      .post('/api/me/email-changes')
      .set(bearer(session))
      .send({ email: 'moved@example.com', password: 'ein ganz neues Passwort' })
      .expect(202);
    expect((await latestEmail('moved@example.com', /./)).subject).toBe(subject('ar', 'emailChange'));
    expect((await latestEmail('moving@example.com', /./, 2)).subject).toBe(subject('ar', 'emailChangeNotice'));

    await request(stack.url).delete('/api/me').set(bearer(session)).send({ password: 'ein ganz neues Passwort' }).expect(204);
    expect(await webhookData('user.deleted', 'moving@example.com')).toMatchObject({ locale: 'ar', reason: 'account-deleted' });
  });

  it('negotiates each page: ?lang= (which sets the lang cookie), else the cookie, else Accept-Language, else English', async () => {
    const chosen = await page('/sign-in?lang=ar', { 'Accept-Language': 'fr' });
    expect(chosen.text).toContain('<html lang="ar" dir="rtl">');
    expect(chosen.text).toContain(`<h1>${t('ar')['signIn.heading']}</h1>`);
    expect((chosen.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('lang='))).toMatch(
      /^lang=ar; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect((await page('/sign-in', { Cookie: 'lang=es', 'Accept-Language': 'fr' })).text).toContain('<html lang="es" dir="ltr">');
    expect((await page('/sign-in', { Cookie: 'lang=xx', 'Accept-Language': 'fr-CA, en;q=0.5' })).text).toContain('<html lang="fr"');
    expect((await page('/sign-in?lang=xx', { 'Accept-Language': 'de;q=0.1, es;q=0.9' })).text).toContain('<html lang="es"');
    const fallback = await page('/resend', { 'Accept-Language': 'ja' });
    expect(fallback.text).toContain('<html lang="en" dir="ltr">');
    // The switcher: a link per language to this page with ?lang=, the current one marked.
    // (Handlebars writes the = of the query as &#x3D;, which the browser reads as =.)
    expect(fallback.text).toContain('<a href="/resend?lang&#x3D;de" lang="de" hreflang="de">Deutsch</a>');
    expect(fallback.text).toContain('<a href="/resend?lang&#x3D;en" lang="en" hreflang="en" aria-current="true">English</a>');
    // Operators' pages are English only, and say so.
    expect((await request(stack.url).get('/admin/users?lang=de').set('Accept-Language', 'de')).text).toContain('<html lang="en"');
  });

  it('shows validation errors and flash messages in the page language', async () => {
    const home = await page('/?lang=es');
    const cookie = (home.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    const refused = await request(stack.url)
      .post('/')
      .set('Cookie', cookie)
      .type('form')
      .send({ email: 'no at sign', _csrf: csrf })
      .expect(400);
    expect(refused.text).toContain(t('es')['validation.email.shape']);
    const done = await request(stack.url).post('/').set('Cookie', cookie).type('form').send({ email: 'flash@example.com', _csrf: csrf });
    const flash = (done.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const shown = await page('/', { Cookie: `${cookie}; ${flash}` });
    expect(shown.text).toContain(t('es')['flash.registered']);
  });
});
