import { describe, expect, it } from 'vitest';
import { Environment } from '../../src/config/environment.js';
import { loadAppConfig } from '../../src/app.registry.js';

const development = { NODE_ENV: 'development' };

describe('configuration', () => {
  it('has working defaults in development', () => {
    const env = loadAppConfig(development);
    expect(env.PORT).toBe(3000);
    expect(env.CONFIRMATION_TTL_SECONDS).toBe(86400);
    expect(env.RATE_LIMIT_PER_MINUTE).toBe(30);
    expect(env.CONFIRM_ON_GET).toBe(false);
    expect(env.ADMIN_TOKEN).toBeUndefined();
    expect(env.APP_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env).toMatchObject({ WORKER_HEALTH_PORT: undefined, HEALTH_MAX_BACKLOG: 10000, LOG_FORMAT: 'auto' });
    expect(loadAppConfig({ ...development, WORKER_HEALTH_PORT: '' }).WORKER_HEALTH_PORT).toBeUndefined();
    expect(loadAppConfig({ ...development, WORKER_HEALTH_PORT: '9100' }).WORKER_HEALTH_PORT).toBe(9100);
  });

  it('converts numbers and booleans', () => {
    const env = loadAppConfig({ ...development, PORT: '8080', CONFIRM_ON_GET: 'true', WORKER_CONCURRENCY: '50' });
    expect(env).toMatchObject({ PORT: 8080, CONFIRM_ON_GET: true, WORKER_CONCURRENCY: 50 });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*\(got "abc"\)$/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL /],
    [{ CONFIRM_ON_GET: 'maybe' }, /^Invalid configuration: CONFIRM_ON_GET /],
    [{ MAIL_FROM: 'not-an-address' }, /^Invalid configuration: MAIL_FROM /],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: APP_SECRET /],
    [{ NODE_ENV: 'production', APP_SECRET: 'short' }, /^Invalid configuration: APP_SECRET must be at least 32/],
    // Unset NODE_ENV is not development: `npm start` without it must not sign with the published secret.
    [{}, /^Invalid configuration: APP_SECRET is required /],
    [{ APP_SECRET: Environment.devSecret }, /^Invalid configuration: APP_SECRET is the published development value/],
    [
      { NODE_ENV: 'production', APP_SECRET: Environment.devSecret },
      /^Invalid configuration: APP_SECRET is the published development value/,
    ],
    [{ APP_SECRET: 'x'.repeat(32), TRUST_PROXY: 'true' }, /^Invalid configuration: TRUST_PROXY=true /],
    [{ WORKER_HEALTH_PORT: '70000' }, /^Invalid configuration: WORKER_HEALTH_PORT /],
    [{ HEALTH_MAX_BACKLOG: '-1' }, /^Invalid configuration: HEALTH_MAX_BACKLOG /],
    [{ LOG_FORMAT: 'xml' }, /^Invalid configuration: LOG_FORMAT /],
    [{ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32), TRUST_PROXY: 'true' }, /^Invalid configuration: TRUST_PROXY=true /],
    [{ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32), TRUST_PROXY: 'TRUE' }, /^Invalid configuration: TRUST_PROXY=true /],
    [{ METRICS_PORT: '0' }, /^Invalid configuration: METRICS_PORT /],
    [{ ...development, PORT: '9100', METRICS_PORT: '9100' }, /^Invalid configuration: METRICS_PORT must differ from PORT/],
  ])('rejects %j with one line naming the variable', (raw, message) => {
    expect(() => loadAppConfig(raw)).toThrow(message);
    try {
      loadAppConfig(raw);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('never echoes a secret in its error', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production', APP_SECRET: 'hunter2' })).toThrow(/^(?!.*hunter2)/);
  });

  it('accepts a strong secret in production', () => {
    expect(loadAppConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32) }).NODE_ENV).toBe('production');
  });

  it('uses the development secret only when NODE_ENV says development or test', () => {
    for (const NODE_ENV of ['development', 'test']) expect(loadAppConfig({ NODE_ENV }).APP_SECRET).toBe(Environment.devSecret);
    expect(loadAppConfig({ APP_SECRET: 'y'.repeat(32) }).APP_SECRET).toBe('y'.repeat(32));
  });

  it('keeps TRUST_PROXY=true with NODE_ENV development or test, and hop counts and subnets anywhere', () => {
    for (const NODE_ENV of ['development', 'test']) expect(loadAppConfig({ NODE_ENV, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe('true');
    for (const TRUST_PROXY of ['1', '10.0.0.0/8', 'loopback', 'false']) {
      expect(loadAppConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32), TRUST_PROXY }).TRUST_PROXY).toBe(TRUST_PROXY);
    }
  });
});
