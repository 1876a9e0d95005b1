import { describe, expect, it } from 'vitest';
import { EmailChangedEmail } from '../../src/accounts/emails/email-changed.email.js';
import { loadAppConfig } from '../../src/app.registry.js';
import { humanDuration } from '../../src/common/human-duration.js';
import { EMAIL_KINDS } from '../../src/app.registry.js';
import { EmailKindRegistry } from '../../src/mail/email-kinds.js';
import { MailRenderer } from '../../src/mail/mail-renderer.service.js';
import { sampleInput } from '../../src/mail/templates/sample-input.js';
import { tokenLifetimeSeconds } from '../../src/tokens/token-purposes.js';
import { ConfirmationEmail } from '../../src/users/emails/confirmation.email.js';

const ENV = loadAppConfig({ NODE_ENV: 'test' });

const token = 'T'.repeat(43);

/** The confirmation email as the worker renders it, with a token issued under the given settings. */
function renderer(overrides: Record<string, string> = {}) {
  const env = loadAppConfig({ NODE_ENV: 'test', APP_URL: 'https://signup.example.org/', PRODUCT_NAME: 'Acme <Beta>', ...overrides });
  const mail = new MailRenderer(env, new EmailKindRegistry(EMAIL_KINDS, env));
  const lifetimeSeconds = tokenLifetimeSeconds('confirmation', env);
  const issued = { value: '', expiresAt: new Date(Date.now() + lifetimeSeconds * 1000), lifetimeSeconds };
  return { confirmationEmail: (value: string) => mail.render(ConfirmationEmail, { payload: {}, token: { ...issued, value } }) };
}

describe('confirmation email', () => {
  it('has the subject, and the absolute link in both the text and the HTML part', () => {
    const email = renderer().confirmationEmail(token);
    expect(email.subject).toBe('Confirm your email address');
    expect(email.text).toContain(`https://signup.example.org/confirm/${token}`);
    expect(email.html).toContain(`href="https://signup.example.org/confirm/${token}"`);
  });

  it("states the link's lifetime in words", () => {
    expect(renderer().confirmationEmail(token).text).toContain('The link works for 24 hours.');
    const short = renderer({ CONFIRMATION_TTL_SECONDS: '5400' }).confirmationEmail(token);
    expect(short.text).toContain('1 hour 30 minutes');
    expect(short.html).toContain('1 hour 30 minutes');
  });

  it('escapes configured values in HTML but not in plain text', () => {
    const email = renderer().confirmationEmail(token);
    expect(email.html).toContain('Acme &lt;Beta&gt;');
    expect(email.html).not.toContain('Acme <Beta>');
    expect(email.text).toContain('Acme <Beta>');
  });

  it('names the support address only when one is configured', () => {
    expect(renderer().confirmationEmail(token).text).not.toContain('Questions?');
    const withSupport = renderer({ SUPPORT_EMAIL: 'help@example.org' }).confirmationEmail(token);
    expect(withSupport.text).toContain('Write to help@example.org');
    expect(withSupport.html).toContain('mailto:help@example.org');
  });
});

describe('every registered kind, rendered with its sample data', () => {
  const env = loadAppConfig({ NODE_ENV: 'test', APP_URL: 'https://signup.example.org', SUPPORT_EMAIL: 'help@example.org' });
  const mail = new MailRenderer(env, new EmailKindRegistry(EMAIL_KINDS, ENV));

  it.each(EMAIL_KINDS.map((kind) => [kind.name, kind] as const))(
    '%s: the shared layout, its title the subject, every value filled',
    (_, kind) => {
      const email = mail.render(kind, sampleInput(kind, env));
      expect(email.html).toMatch(/^<!doctype html>/);
      expect(email.html).toContain(`<title>${email.subject}</title>`);
      expect(email.html).toContain('Write to <a href="mailto:help@example.org"');
      expect(email.text).toContain('Questions? Write to help@example.org.');
      for (const part of [email.subject, email.text, email.html]) expect(part).not.toMatch(/undefined|null|\[object Object\]/);
      for (const [, href] of email.html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(https:\/\/signup\.example\.org|mailto:)/);
    },
  );

  it('throws, rather than send an email with a blank, when a payload lacks a field its templates show', () => {
    expect(() => mail.render(EmailChangedEmail, { payload: {} })).toThrow('text template: "newEmail" not defined');
  });
});

describe('humanDuration', () => {
  it.each([
    [3600, '1 hour'],
    [86400, '24 hours'],
    [172800, '2 days'],
    [90061, '1 day 1 hour'],
    [600, '10 minutes'],
  ])('%i s reads "%s"', (seconds, words) => {
    expect(humanDuration(seconds)).toBe(words);
  });
});
