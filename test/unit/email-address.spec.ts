import { describe, expect, it } from 'vitest';
import { emailProblem, normalizeEmail, trimEmail } from '../../src/common/validation/email-address.js';

describe('email address validation', () => {
  it.each([
    'ada@example.com',
    'Ada.Lovelace+tag@Example.COM',
    "o'brien@example.ie",
    'x@sub.domain.example.org',
    'user@xn--bcher-kva.example',
    'a@b.co',
    '  padded@example.com\t',
    `${'l'.repeat(64)}@example.com`,
  ])('accepts %j', (email) => {
    expect(emailProblem(email)).toBeNull();
  });

  it.each([
    [undefined, /must be a string/],
    [42, /must be a string/],
    [['a@b.com'], /must be a string/],
    ['', /must not be empty/],
    ['   ', /must not be empty/],
    ['plainaddress', /like name@example\.com/],
    ['@example.com', /like name@example\.com/],
    ['ada@', /like name@example\.com/],
    ['ada@example.com\r\nBcc: victim@example.com', /control characters/],
    ['ada@example.com\n', /control characters/],
    ['ada\u0000@example.com', /control characters/],
    ['ada@exämple.com', /ASCII/],
    ['аda@example.com', /ASCII/], // Cyrillic "а"
    ['ada\u200b@example.com', /ASCII/],
    [`${'l'.repeat(65)}@example.com`, /at most 64/],
    [`a@${'d'.repeat(250)}.com`, /at most 254/],
    ['"quoted"@example.com', /part before the @/],
    ['a..b@example.com', /part before the @/],
    ['.ada@example.com', /part before the @/],
    ['ada lovelace@example.com', /part before the @/],
    ['Ada <ada@example.com>', /part before the @/],
    ['a@b.com,c@d.com', /exactly one @/],
    ['"a@b"@example.com', /exactly one @/],
    ['ada@[127.0.0.1]', /not an IP address/],
    ['ada@127.0.0.1', /not an IP address/],
    ['ada@localhost', /domain/],
    ['ada@example', /domain/],
    ['ada@-example.com', /domain/],
    ['ada@example..com', /domain/],
    ['ada@example.c0m', /domain/],
    [`ada@${'d'.repeat(64)}.com`, /domain/],
  ])('rejects %j with a message saying why', (email, message) => {
    expect(emailProblem(email)).toMatch(message);
  });

  it('normalises case and surrounding blanks so one address is one user', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  // "a" + 10,000 spaces + "b": a trailing-blanks regex retries from every space (≈ 170 ms a trim);
  // the loop and the length check before any regex make it microseconds.
  it('judges a pathological blank-padded value in linear time', () => {
    const padded = `a${' '.repeat(10_000)}b`;
    const fastest = (run: () => unknown) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        run();
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    expect(fastest(() => trimEmail(padded))).toBeLessThan(10);
    expect(fastest(() => emailProblem(padded))).toBeLessThan(10);
    expect(fastest(() => emailProblem(`${' '.repeat(10_000)}\t`))).toBeLessThan(10);
    expect(emailProblem(padded)).toMatch(/at most 254/);
    expect(trimEmail(`\t ${padded} \t`)).toBe(padded);
    expect(trimEmail(' \t ')).toBe('');
  });

  it('refuses a value of a few hundred characters before looking at it, blanks or not', () => {
    expect(emailProblem(`${' '.repeat(400)}ada@example.com`)).toMatch(/at most 254/);
    expect(emailProblem(`${' '.repeat(60)}ada@example.com${' '.repeat(60)}`)).toBeNull();
  });
});
