import { describe, expect, it } from 'vitest';
import { redactUrl, serializeRequest } from '../../src/logging/logger-options.js';
import { reasonLabel } from '../../src/metrics/domain-events.metrics-listener.js';

describe('what logs and metrics may contain', () => {
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
