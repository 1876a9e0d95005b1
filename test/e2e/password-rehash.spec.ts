import argon2 from 'argon2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARGON2_OPTIONS } from '../../src/passwords/password-hasher.js';
import { PasswordsService } from '../../src/passwords/passwords.service.js';
import { GOOD_PASSWORD, confirmedAccount, signIn } from '../support/accounts.js';
import { adminUser } from '../support/api.js';
import { resetState, startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/wait-for.js';

describe('password hashes made with weaker Argon2 parameters', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(async () => stack?.close());
  beforeEach(async () => resetState(stack));

  it('still sign in, and the password is hashed again with the current parameters', async () => {
    const email = await confirmedAccount(stack, 'old.hash@example.com');
    const { id } = (await adminUser(stack.url, email))!;
    const weak = await argon2.hash(GOOD_PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await stack.testApi.passwords.replaceHash(id, weak);
    const hashOf = () => stack.web.get(PasswordsService).hashOf(id);

    await signIn(stack, email);
    const current = await waitFor(async () => ((await hashOf()) !== weak ? hashOf() : null), { what: 'the hash made again' });
    const { memoryCost: m, parallelism: p, timeCost: t } = ARGON2_OPTIONS;
    expect(current).toContain(`$argon2id$v=19$m=${m},p=${p},t=${t}$`);
    expect(await argon2.verify(current, GOOD_PASSWORD)).toBe(true);
    await signIn(stack, email);
    expect(await hashOf()).toBe(current);
  });
});
