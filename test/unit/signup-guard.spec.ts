import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { EmailDomainPolicy } from '../../src/signup-guard/email-domain-policy.js';
import { RefusalWaves } from '../../src/signup-guard/refusal-waves.js';

const production = { NODE_ENV: 'production', APP_SECRET: 'a-production-secret-a-production-secret' };

describe('sign-up guard settings', () => {
  it('defaults to ALTCHA and the MX check in production, to neither elsewhere, and takes what is set', () => {
    expect(loadAppConfig(production)).toMatchObject({ SIGNUP_CHALLENGE: 'altcha', MX_CHECK: 'on', DISPOSABLE_EMAILS: 'refuse' });
    expect(loadAppConfig({ NODE_ENV: 'test' })).toMatchObject({ SIGNUP_CHALLENGE: 'off', MX_CHECK: 'off', DISPOSABLE_EMAILS: 'refuse' });
    expect(loadAppConfig({ NODE_ENV: 'development' })).toMatchObject({ SIGNUP_CHALLENGE: 'off', MX_CHECK: 'off' });
    expect(loadAppConfig({ ...production, SIGNUP_CHALLENGE: 'off', MX_CHECK: 'off' })).toMatchObject({
      SIGNUP_CHALLENGE: 'off',
      MX_CHECK: 'off',
    });
    expect(loadAppConfig({ NODE_ENV: 'test', SIGNUP_CHALLENGE: 'ALTCHA', MX_CHECK: 'on' })).toMatchObject({
      SIGNUP_CHALLENGE: 'altcha',
      MX_CHECK: 'on',
    });
    expect(loadAppConfig({ NODE_ENV: 'test' })).toMatchObject({
      SIGNUP_CHALLENGE_TTL_SECONDS: 300,
      SIGNUP_CHALLENGE_COST: 1000,
      MX_CHECK_TIMEOUT_MS: 1500,
    });
  });

  it.each([
    [{ SIGNUP_CHALLENGE: 'recaptcha' }, /SIGNUP_CHALLENGE must be altcha, turnstile, hcaptcha or off/],
    [
      { SIGNUP_CHALLENGE: 'turnstile' },
      /SIGNUP_CHALLENGE_SECRET and SIGNUP_CHALLENGE_SITE_KEY are required when SIGNUP_CHALLENGE=turnstile/,
    ],
    [{ SIGNUP_CHALLENGE: 'hcaptcha', SIGNUP_CHALLENGE_SECRET: 's' }, /SIGNUP_CHALLENGE_SITE_KEY are required/],
    [{ SIGNUP_CHALLENGE_COST: '0' }, /SIGNUP_CHALLENGE_COST/],
    [{ SIGNUP_CHALLENGE_TTL_SECONDS: '5' }, /SIGNUP_CHALLENGE_TTL_SECONDS/],
    [{ DISPOSABLE_EMAILS: 'maybe' }, /DISPOSABLE_EMAILS must be refuse or allow/],
    [{ BLOCKED_EMAIL_DOMAINS: 'example.com, not a domain' }, /BLOCKED_EMAIL_DOMAINS must be comma-separated domain names/],
    [{ ALLOWED_EMAIL_DOMAINS: '@example.com' }, /ALLOWED_EMAIL_DOMAINS/],
    [{ MX_CHECK: 'yes' }, /MX_CHECK must be on or off/],
    [{ DNS_SERVERS: 'dns.example.com' }, /DNS_SERVERS must be comma-separated IP addresses/],
  ])('refuses %o with one line naming the variable', (vars, message) => {
    expect(() => loadAppConfig({ NODE_ENV: 'test', ...vars })).toThrow(message);
  });

  it('takes DNS servers with ports and IPv6, and refuses a siteverify stand-in in production', () => {
    expect(
      loadAppConfig({ NODE_ENV: 'test', DNS_SERVERS: '127.0.0.1:5353, 1.1.1.1, [::1]:53, 2606:4700::1111' }).DNS_SERVERS,
    ).toBeDefined();
    expect(() => loadAppConfig({ ...production, SIGNUP_CHALLENGE_VERIFY_URL: 'http://127.0.0.1:9/siteverify' })).toThrow(
      /SIGNUP_CHALLENGE_VERIFY_URL is for tests and is refused when NODE_ENV=production/,
    );
  });
});

describe('email domain policy', () => {
  const policy = (vars: Record<string, string> = {}) => new EmailDomainPolicy(loadAppConfig({ NODE_ENV: 'test', ...vars }));

  it('refuses disposable domains and their subdomains, not their look-alikes or ordinary providers', () => {
    const p = policy();
    expect(['mailinator.com', 'a.b.mailinator.com', 'yopmail.com', 'guerrillamail.com'].map((d) => p.judge(d))).toEqual(
      Array(4).fill('disposable'),
    );
    expect(['mailinator.com.example.org', 'gmail.com', 'outlook.com', 'proton.me', 'example.com'].map((d) => p.judge(d))).toEqual(
      Array(5).fill(null),
    );
  });

  it('accepts forwarding services that deliver to a permanent inbox, unless the operator blocks them', () => {
    expect(['duck.com', 'mozmail.com', 'simplelogin.com', 'passmail.net'].map((d) => policy().judge(d))).toEqual(Array(4).fill(null));
    expect(policy({ BLOCKED_EMAIL_DOMAINS: 'duck.com' }).judge('duck.com')).toBe('blocked');
  });

  it('blocks and allows with subdomains; allowed wins over blocked and disposable', () => {
    const p = policy({ BLOCKED_EMAIL_DOMAINS: 'Example.COM, rival.test', ALLOWED_EMAIL_DOMAINS: 'staff.example.com,inbox.mailinator.com' });
    expect(p.judge('example.com')).toBe('blocked');
    expect(p.judge('eu.example.com')).toBe('blocked');
    expect(p.judge('staff.example.com')).toBeNull();
    expect(p.judge('a.staff.example.com')).toBeNull();
    expect(p.judge('inbox.mailinator.com')).toBeNull();
    expect(p.judge('mailinator.com')).toBe('disposable');
    expect(p.judge('notrival.test')).toBeNull();
  });

  it('accepts disposable domains with DISPOSABLE_EMAILS=allow', () => {
    expect(policy({ DISPOSABLE_EMAILS: 'allow' }).judge('mailinator.com')).toBeNull();
  });
});

describe('refusal waves in the log', () => {
  afterEach(() => vi.useRealTimers());

  it('logs the first refusal, then one line a minute with counts by reason, then that it stopped', () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const waves = new RefusalWaves(60_000);
    waves.refused('challenge');
    for (let i = 0; i < 500; i++) waves.refused(i % 5 === 0 ? 'disposable' : 'challenge');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/refused \(challenge\)/);

    vi.advanceTimersByTime(60_000);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1][0]).toMatchObject({ msg: expect.stringContaining('500'), refused: { challenge: 400, disposable: 100 } });

    waves.refused('no_mx');
    vi.advanceTimersByTime(60_000);
    expect(warn.mock.calls[2][0]).toMatchObject({ refused: { no_mx: 1 } });
    vi.advanceTimersByTime(60_000);
    expect(log).toHaveBeenCalledWith('Sign-up refusals have stopped');
    vi.advanceTimersByTime(600_000);
    expect(warn).toHaveBeenCalledTimes(3);

    waves.refused('blocked'); // a new wave
    expect(warn).toHaveBeenCalledTimes(4);
    waves.stop();
    warn.mockRestore();
    log.mockRestore();
  });
});
