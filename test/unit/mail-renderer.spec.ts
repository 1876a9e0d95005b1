import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { humanDuration } from '../../src/common/human-duration.js';
import { MailRenderer } from '../../src/mail/mail-renderer.service.js';
import { tokenLifetimeSeconds } from '../../src/tokens/token-purposes.js';
import { ConfirmationEmail } from '../../src/users/emails/confirmation.email.js';

const token = 'T'.repeat(43);

/** The confirmation email as the worker renders it, with a token issued under the given settings. */
function renderer(overrides: Record<string, string> = {}) {
  const env = loadConfig({ NODE_ENV: 'test', APP_URL: 'https://signup.example.org/', PRODUCT_NAME: 'Acme <Beta>', ...overrides });
  const mail = new MailRenderer(env);
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
