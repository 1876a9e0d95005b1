import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, isWellFormedToken } from '../../src/tokens/token-crypto.js';

describe('confirmation tokens', () => {
  it('are 256 random bits written as 43 URL-safe characters', () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('never repeat', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, generateToken));
    expect(tokens.size).toBe(10_000);
  });

  it('are stored as their SHA-256, which does not contain the token', () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(hash.toString('base64url')).not.toBe(token);
    expect(hashToken(token).equals(hash)).toBe(true);
    expect(hashToken(generateToken()).equals(hash)).toBe(false);
  });

  it.each([
    ['', false],
    ['short', false],
    ['a'.repeat(42), false],
    ['a'.repeat(44), false],
    [`${'a'.repeat(42)}=`, false],
    [`${'a'.repeat(42)}/`, false],
    [`${'a'.repeat(42)}\n`, false],
    [42, false],
    [null, false],
    ['Ab0_-'.repeat(8) + 'abc', true],
  ])('recognise %j as well-formed: %s', (value, expected) => {
    expect(isWellFormedToken(value)).toBe(expected);
  });
});
