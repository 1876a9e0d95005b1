import { describe, expect, it } from 'vitest';
import { RateLimitStore } from '../../src/rate-limit/rate-limit.store.js';

/** The store with its backend replaced by a record of the keys it was asked to count. */
class RecordingStore extends RateLimitStore {
  protected readonly where = 'memory';
  readonly keys: string[] = [];

  constructor(secret: string) {
    super(secret);
  }

  protected count(key: string): Promise<[number, number, boolean, number]> {
    this.keys.push(key);
    return Promise.resolve([1, 60_000, false, 0]);
  }

  protected blockMs(key: string): Promise<number> {
    this.keys.push(key);
    return Promise.resolve(0);
  }

  protected reserveAttempt(key: string): Promise<number> {
    this.keys.push(key);
    return Promise.resolve(0);
  }

  protected releaseAttempt(key: string): Promise<void> {
    this.keys.push(key);
    return Promise.resolve();
  }

  protected markOnce(key: string): Promise<boolean> {
    this.keys.push(key);
    return Promise.resolve(true);
  }

  clear(): Promise<void> {
    this.keys.length = 0;
    return Promise.resolve();
  }
}

describe('rate-limit store keys', () => {
  it('keeps no IP or email address, only an HMAC under APP_SECRET, the same for the same key', async () => {
    const store = new RecordingStore('secret-one-secret-one-secret-one-0123');
    await store.increment('default:register:203.0.113.7', 60_000, 10, 0);
    await store.reserve('sign-in-failures:password:ada@example.com', 5, 60_000);
    await store.release('sign-in-failures:password:ada@example.com', 5);

    expect(store.keys.join(' ')).not.toMatch(/203\.0\.113\.7|ada|example/);
    expect(store.keys[1]).toBe(store.keys[2]);
    expect(store.keys[0]).not.toBe(store.keys[1]);
  });

  it('gives other keys under another secret, so hashing every IPv4 address does not reverse them', async () => {
    const one = new RecordingStore('secret-one-secret-one-secret-one-0123');
    const two = new RecordingStore('secret-two-secret-two-secret-two-0123');
    await one.hit('admin-failures:203.0.113.7', 60_000, 4, 60_000);
    await two.hit('admin-failures:203.0.113.7', 60_000, 4, 60_000);
    expect(one.keys[0]).not.toBe(two.keys[0]);
  });
});
