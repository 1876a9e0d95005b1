import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS, loadAppConfig } from '../../src/app.registry.js';
import { EmailKindRegistry } from '../../src/mail/email-kinds.js';
import type { RenderedEmail } from '../../src/mail/email-templates.js';
import { MailRenderer } from '../../src/mail/mail-renderer.service.js';
import { sampleInput } from '../../src/mail/templates/sample-input.js';
import { TokenSplitRenderings } from '../../src/mail/token-split-renderings.js';
import { generateCode, generateToken } from '../../src/tokens/token-crypto.js';
import type { IssuedToken } from '../../src/tokens/tokens.service.js';

const env = loadAppConfig({ NODE_ENV: 'test', APP_URL: 'https://signup.example.org', SUPPORT_EMAIL: 'help@example.org' });
const kindsWithTokens = EMAIL_KINDS.filter((kind) => kind.token);
const issued = (value: string): IssuedToken => ({ value, lifetimeSeconds: 3600, expiresAt: new Date(Date.now() + 3_600_000) });

/** A renderer that counts its full renderings. */
function counting(render: (token: IssuedToken) => RenderedEmail) {
  const calls = { count: 0 };
  return { calls, renderWith: (token: IssuedToken) => (calls.count++, render(token)) };
}

describe('emails that differ only by their token', () => {
  it.each(kindsWithTokens.map((kind) => [kind.name, kind] as const))(
    '%s: every email reads exactly as a full rendering, in every language',
    (_, kind) => {
      const mail = new MailRenderer(env, new EmailKindRegistry(EMAIL_KINDS, env));
      const sample = sampleInput(kind, env);
      for (const locale of env.SUPPORTED_LOCALES)
        for (let i = 0; i < 4; i++) {
          const value = sample.token!.value.length === 43 ? generateToken() : generateCode();
          const input = { ...sample, token: { ...sample.token!, value } };
          const full = new MailRenderer(env, new EmailKindRegistry(EMAIL_KINDS, env)).render(kind, input, locale);
          expect(mail.render(kind, input, locale)).toEqual(full);
          expect(full.text).toContain(value);
        }
    },
  );

  it('are rendered in full twice per key, then joined around each new token', () => {
    const splits = new TokenSplitRenderings();
    const { calls, renderWith } = counting((token) => ({
      subject: 'Hi',
      text: `Go to /confirm/${token.value}.`,
      html: `<a href="/confirm/${token.value}">${token.value}</a>`,
    }));
    const tokens = Array.from({ length: 5 }, () => generateToken());
    const emails = tokens.map((value) => splits.render('confirmation', issued(value), renderWith));
    expect(calls.count).toBe(3); // the first, the second and its stand-in
    expect(emails[4]).toEqual({
      subject: 'Hi',
      text: `Go to /confirm/${tokens[4]}.`,
      html: `<a href="/confirm/${tokens[4]}">${tokens[4]}</a>`,
    });
    splits.render('another payload', issued(generateToken()), renderWith);
    expect(calls.count).toBe(4);
  });

  it('are rendered in full every time when a template changes the token or shows its expiry', () => {
    const splits = new TokenSplitRenderings();
    const renderers = {
      'token in capitals': (token: IssuedToken) => ({ subject: 'Hi', text: token.value.toUpperCase(), html: '' }),
      'token cut short': (token: IssuedToken) => ({ subject: 'Hi', text: token.value.slice(0, 8), html: '' }),
      'expiry to the minute': (token: IssuedToken) => ({
        subject: 'Hi',
        text: `${token.value} until ${token.expiresAt.toISOString().slice(0, 16)}`,
        html: '',
      }),
    };
    for (const [key, render] of Object.entries(renderers)) {
      const { calls, renderWith } = counting(render);
      for (let i = 0; i < 4; i++) {
        const token = issued(generateToken());
        expect(splits.render(key, token, renderWith)).toEqual(render(token));
      }
      expect(calls.count, key).toBe(5); // 4 emails and one stand-in
    }
  });

  it('are rendered in full when the token has characters HTML escapes', () => {
    const splits = new TokenSplitRenderings();
    const { calls, renderWith } = counting((token) => ({ subject: '', text: token.value, html: token.value.replace(/=/g, '&#x3D;') }));
    for (let i = 0; i < 3; i++) splits.render('key', issued('abc'), renderWith);
    expect(calls.count).toBe(3);
    expect(splits.render('key', issued('a=b'), renderWith)).toEqual({ subject: '', text: 'a=b', html: 'a&#x3D;b' });
    expect(calls.count).toBe(4);
  });
});
