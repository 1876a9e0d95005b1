import { Injectable } from '@nestjs/common';
import { normalizeCode } from '../tokens/token-crypto.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { UserRecord } from '../users/user.js';
import { AccountError, tooManyAttempts, tooManyWrong } from './account.errors.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { SignInThrottle } from './sign-in-throttle.js';

export interface Proof {
  password?: string;
  code?: string;
}

// No user has this id: codes of unknown addresses are tried against it, to take the same statement.
const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * Checks a password or a one-time sign-in code for an address, throttled per address. Known and
 * unknown users take the same work (a dummy Argon2 verification, the same code statement).
 */
@Injectable()
export class ProofsService {
  constructor(
    private readonly passwords: PasswordsService,
    private readonly tokens: TokensService,
    private readonly throttle: SignInThrottle,
  ) {}

  /**
   * True when the proof is the user's (a user, or null for none that may sign in). A missing
   * proof is a 400; an address out of attempts a 429. Failures are counted.
   */
  check(email: string, user: Pick<UserRecord, 'id'> | null, proof: Proof): Promise<boolean> {
    return this.attempt(email, user, proof, tooManyAttempts);
  }

  /** `check` for someone signed in who proves it again (a change of password, address, deletion): a 429 in their words. */
  recheck(user: Pick<UserRecord, 'id' | 'email'>, proof: Proof): Promise<boolean> {
    const kind = proof.password !== undefined ? 'password' : 'code';
    return this.attempt(user.email, user, proof, (seconds) => tooManyWrong(kind, seconds));
  }

  private async attempt(
    email: string,
    user: Pick<UserRecord, 'id'> | null,
    proof: Proof,
    refusal: (waitSeconds: number) => AccountError,
  ): Promise<boolean> {
    if (proof.password === undefined && proof.code === undefined) throw new AccountError('proof_required');
    const kind = proof.password !== undefined ? 'password' : 'code';
    return this.throttle.attempt(
      kind,
      email,
      () =>
        kind === 'password' ? this.passwords.verify(user?.id ?? null, proof.password!) : this.tryCode(user?.id ?? NOBODY, proof.code!),
      refusal,
    );
  }

  private async tryCode(userId: string, typed: string): Promise<boolean> {
    const code = normalizeCode(typed);
    // A code that cannot be one still takes the statement, with a value no code hashes to.
    return this.tokens.tryCode('sign-in', userId, code ?? '-');
  }
}
