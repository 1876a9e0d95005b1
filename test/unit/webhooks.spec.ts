import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { endpointForLogs } from '../../src/webhooks/endpoint-for-logs.js';
import { isLoopbackHost, webhookUrlProblem } from '../../src/webhooks/webhook-config.js';
import { SECRET_A } from '../support/webhook-receiver.js';
import { retryAfterMs } from '../../src/webhooks/webhook-sender.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Fri, 27 Nov 2026 12:01:00 GMT', 60_000],
    ['Fri, 27 Nov 2026 11:00:00 GMT', 0],
    ['999999999', 86_400_000],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});

describe('WEBHOOK_URLS entries', () => {
  it.each([
    ['https://hooks.example.com/in', false, null],
    ['https://hooks.example.com/in', true, null],
    ['http://127.0.0.1:8080/in', false, null],
    ['http://localhost/in', false, null],
    ['http://[::1]:9/in', false, null],
    ['http://127.0.0.1:8080/in', true, /production/],
    ['http://hooks.example.com/in', false, /must be https/],
    ['http://127.0.0.1.example.com/in', false, /must be https/],
    ['ftp://hooks.example.com/in', false, /https URL/],
    ['https://user:pw@hooks.example.com/in', false, /credentials/],
    ['hooks.example.com/in', false, /not a URL/],
  ])('%s (production %s)', (url, production, problem) => {
    const found = webhookUrlProblem(url, production);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it.each([
    ['https://hooks.example.com/in/s3cret?token=s3cret#s3cret', 'https://hooks.example.com/…'],
    ['https://hooks.example.com:8443/?token=s3cret', 'https://hooks.example.com:8443/…'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
    ['https://user:s3cret@hooks.example.com/', 'https://hooks.example.com'],
    ['hooks.example.com/s3cret', '(not a URL)'],
  ])('logs %s as %s', (url, logged) => {
    expect(endpointForLogs(url)).toBe(logged);
  });

  it.each([
    [
      'http://hooks.example.com/in/s3cret?token=s3cret',
      /^Invalid configuration: WEBHOOK_URLS .*"http:\/\/hooks\.example\.com\/…" must be https/,
    ],
    ['https://a.example.com/in, hooks.example.com/s3cret?token=s3cret', /^Invalid configuration: WEBHOOK_URLS .*entry 2 is not a URL/],
    [
      'https://a.example.com/s3cret,https://a.example.com/s3cret',
      /^Invalid configuration: WEBHOOK_URLS .*entry 2 \("https:\/\/a\.example\.com\/…"\) is listed twice/,
    ],
  ])('refuses WEBHOOK_URLS=%s at start-up without printing its path or query', (WEBHOOK_URLS, message) => {
    const load = () => loadAppConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32), WEBHOOK_URLS, WEBHOOK_SECRET: SECRET_A });
    expect(load).toThrow(message);
    expect(load).toThrow(/^(?![\s\S]*s3cret)/);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.2', '[::1]', 'api.localhost'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'example.com', '::2', '127.example'].some(isLoopbackHost)).toBe(false);
  });
});
