import { describe, expect, it } from 'vitest';
import { passwordHasher } from '../../src/passwords/password-hasher.js';
import { passwordProblem } from '../../src/passwords/password-policy.js';
import { CODE_ALPHABET, generateCode, normalizeCode } from '../../src/tokens/token-crypto.js';

describe('the password policy (NIST SP 800-63B rev. 4)', () => {
  it('asks a minimum length in characters after NFKC, allows long passphrases, and has no composition rules', () => {
    expect(passwordProblem('elevenchars', 12)).toBe('password must be at least 12 characters long');
    expect(passwordProblem('all lower case words', 12)).toBeNull();
    expect(passwordProblem('ü'.repeat(6) + 'ßéàçö🙂', 12)).toBeNull(); // 12 characters, not bytes
    expect(passwordProblem('x'.repeat(200) + 'y', 12)).toBeNull();
    expect(passwordProblem('x'.repeat(257), 12)).toMatch(/at most 256/);
  });

  it('refuses common and breached passwords case-insensitively, repeats, and the address', () => {
    expect(passwordProblem('Qwertyuiop123', 12)).toMatch(/too common/);
    expect(passwordProblem('1q2w3e4r5t6y', 12)).toMatch(/too common/);
    expect(passwordProblem('zzzzzzzzzzzzzz', 12)).toMatch(/repeat/);
    expect(passwordProblem('Ada.Lovelace@example.com', 12, 'ada.lovelace@example.com')).toMatch(/email address/);
  });

  it('hashes with Argon2id at 19 MiB, t=2, p=1, NFKC-normalised, and verifies nothing for a missing user', async () => {
    const hash = await passwordHasher.hash('ｆｕｌｌｗｉｄｔｈ passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await passwordHasher.verify(hash, 'fullwidth passphrase')).toBe(true);
    expect(await passwordHasher.verify(hash, 'fullwidth passphrasE')).toBe(false);
    expect(passwordHasher.needsRehash(hash)).toBe(false);
    expect(passwordHasher.needsRehash('$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo')).toBe(true);
    expect(await passwordHasher.verifyNothing('anything')).toBe(false);
  });
});

describe('sign-in codes', () => {
  it('are 8 characters of the unambiguous alphabet, spread over all of it', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = generateCode();
      expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{8}$/);
      for (const c of code) seen.add(c);
    }
    expect(seen.size).toBe(CODE_ALPHABET.length);
  });

  it('are read case-insensitively, ignoring spaces and dashes; anything else is no code', () => {
    expect(normalizeCode(' abcd-2345 ')).toBe('ABCD2345');
    expect(normalizeCode('ABCD 2345')).toBe('ABCD2345');
    expect(normalizeCode('ABCD234O')).toBeNull(); // O is not in the alphabet
    expect(normalizeCode('ABCD234')).toBeNull();
    expect(normalizeCode(12345678)).toBeNull();
  });
});
