import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CODES_PER_ACCOUNT, CODES_PER_REQUESTER_DAY, SignInCodeBudget } from '../../src/accounts/sign-in-code-budget.js';
import type { Environment } from '../../src/config/environment.js';
import { RateLimitStore } from '../../src/rate-limit/rate-limit.store.js';

/** The store's reservations as its PostgreSQL statements keep them, in memory, on the (fake) clock. */
class MemoryStore extends RateLimitStore {
  protected readonly where = 'memory';
  private readonly counters = new Map<string, { hits: number; windowEndsAt: number; blockedUntil: number }>();

  constructor() {
    super('unit-test-secret-unit-test-secret-0123');
  }

  protected count(): Promise<[number, number, boolean, number]> {
    return Promise.reject(new Error('not used here'));
  }

  protected blockMs(): Promise<number> {
    return Promise.reject(new Error('not used here'));
  }

  protected markOnce(): Promise<boolean> {
    return Promise.reject(new Error('not used here'));
  }

  clear(): Promise<void> {
    this.counters.clear();
    return Promise.resolve();
  }

  protected reserveAttempt(key: string, limit: number, windowMs: number): Promise<number> {
    const now = Date.now();
    let counter = this.counters.get(key);
    if (counter && (counter.blockedUntil > now || (counter.windowEndsAt > now && counter.hits >= limit)))
      return Promise.resolve(Math.max(1, Math.max(counter.blockedUntil, counter.windowEndsAt) - now));
    if (!counter || counter.windowEndsAt <= now)
      this.counters.set(key, (counter = { hits: 0, windowEndsAt: now + windowMs, blockedUntil: 0 }));
    counter.hits++;
    if (counter.hits >= limit) counter.blockedUntil = now + windowMs;
    return Promise.resolve(0);
  }

  protected releaseAttempt(key: string, limit: number): Promise<void> {
    const counter = this.counters.get(key);
    if (counter && counter.hits > 0) {
      counter.hits--;
      if (counter.hits < limit) counter.blockedUntil = 0;
    }
    return Promise.resolve();
  }
}

const ACCOUNT = '0190c2a4-0000-7000-8000-000000000001';
const TEN_MINUTES = 600_000;

describe('the sign-in code budgets (per requester and per account)', () => {
  let budget: SignInCodeBudget;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    budget = new SignInCodeBudget(new MemoryStore(), { APP_SECRET: 'x'.repeat(40) } as Environment);
  });
  afterEach(() => vi.useRealTimers());

  /** Asks, waiting 10 minutes after each refusal, until `count` codes were granted to the requester. */
  async function spend(ip: string, count: number): Promise<void> {
    for (let granted = 0; granted < count;) {
      const grant = await budget.take(ACCOUNT, ip);
      if (grant.granted) granted++;
      else vi.advanceTimersByTime(TEN_MINUTES);
    }
  }

  it('lets one requester spend its own day only: then it waits for the day, while another is served', async () => {
    await spend('198.51.100.7', CODES_PER_REQUESTER_DAY);
    vi.advanceTimersByTime(TEN_MINUTES);

    const refused = await budget.take(ACCOUNT, '198.51.100.7');
    expect(refused).toMatchObject({ granted: false, spentBy: 'requester' });
    if (refused.granted) throw new Error('unreachable');
    expect(refused.waitSeconds).toBeGreaterThan(20 * 3600);
    expect(await budget.take(ACCOUNT, '203.0.113.10')).toMatchObject({ granted: true });
  });

  it('sends one account at most 3 codes in 10 minutes, whoever asks; a refused request costs its requester nothing', async () => {
    for (let i = 0; i < CODES_PER_ACCOUNT; i++) expect(await budget.take(ACCOUNT, `198.51.100.${i}`)).toMatchObject({ granted: true });
    for (let i = 0; i < 20; i++) expect(await budget.take(ACCOUNT, '203.0.113.10')).toMatchObject({ granted: false, spentBy: 'account' });

    vi.advanceTimersByTime(TEN_MINUTES);
    // The twenty refusals did not count: the owner's whole day is still there.
    await spend('203.0.113.10', CODES_PER_REQUESTER_DAY);
  });

  it('counts an IPv6 /64 as one requester and tags each requester apart, without its address', async () => {
    const first = await budget.take(ACCOUNT, '2001:db8:1:2::7');
    const sameNetwork = await budget.take(ACCOUNT, '2001:db8:1:2:ffff::1');
    const other = await budget.take(ACCOUNT, '2001:db8:1:3::7');
    if (!first.granted || !sameNetwork.granted || !other.granted) throw new Error('all three should be granted');
    expect(sameNetwork.requester).toBe(first.requester);
    expect(other.requester).not.toBe(first.requester);
    expect(first.requester).not.toMatch(/2001|db8/);
  });
});
