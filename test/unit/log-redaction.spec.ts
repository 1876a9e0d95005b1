import { loadAppConfig } from '../../src/app.registry.js';
import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../src/app.registry.js';
import { serializeRequest } from '../../src/logging/logger-options.js';
import { protectLinkSecrets, redactUrl } from '../../src/logging/redaction.js';
import { EmailKindRegistry } from '../../src/mail/email-kinds.js';
import { reasonLabel } from '../../src/metrics/facts.metrics.js';

const ENV = loadAppConfig({ NODE_ENV: 'test' });

describe('what logs and metrics may contain', () => {
  // The token part of every kind's link is what the registry of email kinds protects at start-up.
  new EmailKindRegistry(EMAIL_KINDS, ENV);

  it.each([
    ['/confirm/abcDEF_123-xyz', '/confirm/[REDACTED]'],
    ['/confirm/abc?x=1', '/confirm/[REDACTED]?x=1'],
    ['/api/admin/users?email=ada.lovelace%40example.com&limit=5', '/api/admin/users?email=a***@e***.com&limit=5'],
    ['/anything?token=secret', '/anything?token=[REDACTED]'],
    ['/api/users', '/api/users'],
    // The router ignores case and decodes %-escapes; so does the redaction.
    ['/Confirm/abcDEF_123-xyz', '/Confirm/[REDACTED]'],
    ['/CONFIRM/abc/', '/CONFIRM/[REDACTED]'],
    ['/%63onfirm/abcDEF_123-xyz', '/%63onfirm/[REDACTED]'],
    ['/%43%4F%4E%46%49%52%4D/abc?x=1', '/%43%4F%4E%46%49%52%4D/[REDACTED]?x=1'],
    ['/confirm%2Fabc', '/[REDACTED]'],
    ['/confirm/abc/more/segments', '/confirm/[REDACTED]'],
    ['/password-reset/abc', '/password-reset/[REDACTED]'],
    ['/Email-Change/abc', '/Email-Change/[REDACTED]'],
    ['/%65mail-change/abc', '/%65mail-change/[REDACTED]'],
    ['/anything?%74oken=secret&TOKEN=s2', '/anything?%74oken=[REDACTED]&TOKEN=[REDACTED]'],
    ['/confirmed/abc', '/confirmed/abc'],
    ['/confirm/%E0%A4%A', '/confirm/[REDACTED]'],
  ])('logs %s as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('redacts the token of every kind of email, wherever its link puts it', () => {
    for (const kind of EMAIL_KINDS.filter((k) => k.link)) {
      const url = kind.link!.replace(':token', 'SECRET-TOKEN-0123456789');
      expect(redactUrl(url), kind.name).not.toContain('SECRET-TOKEN');
    }
    expect(redactUrl('/sign-in?code=ABCD1234&email=ada%40example.com')).toBe('/sign-in?code=[REDACTED]&email=a***@e***.com');
  });

  it('refuses a link that says nothing of where its token goes', () => {
    expect(() => protectLinkSecrets(['/welcome'])).toThrow('The link /welcome carries no :token');
  });

  it('keeps headers (cookies, authorization) and bodies out of request lines', () => {
    const line = serializeRequest({
      id: 'r1',
      method: 'POST',
      url: '/confirm/tok',
      headers: { authorization: 'Bearer secret', cookie: 'a=b', 'user-agent': 'ua' },
      remoteAddress: '127.0.0.1',
    });
    expect(line).toEqual({ id: 'r1', method: 'POST', url: '/confirm/[REDACTED]', userAgent: 'ua', remoteAddress: '127.0.0.1' });
  });

  it.each([
    ['MessageRejected: Email address is not verified: ada@example.com', 'MessageRejected'],
    ['Throttling: Maximum sending rate exceeded', 'Throttling'],
    ['ada@example.com broke', 'other'],
  ])('labels the send failure %j as %s', (reason, label) => {
    expect(reasonLabel(reason)).toBe(label);
  });
});
