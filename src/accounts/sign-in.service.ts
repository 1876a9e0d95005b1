import { Injectable } from '@nestjs/common';
import { BackgroundWork } from '../common/background-work.service.js';
import type { RequestContext } from '../common/request-context.js';
import { DatabaseService } from '../database/database.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { UserRecord } from '../users/user.js';
import { UsersService } from '../users/users.service.js';
import { AccountError } from './account.errors.js';
import { SignInCodeRequested } from './accounts.facts.js';
import { type Proof, ProofsService } from './proofs.service.js';
import { SessionsService } from './sessions/sessions.service.js';
import { type CodeGrant, SignInCodeBudget } from './sign-in-code-budget.js';

const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * Sign-in with a password or an emailed one-time code. Unconfirmed users cannot sign in: they
 * have no password (it is chosen at confirmation) and codes go only to confirmed addresses.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersService,
    private readonly proofs: ProofsService,
    private readonly sessions: SessionsService,
    private readonly db: DatabaseService,
    private readonly background: BackgroundWork,
    private readonly budget: SignInCodeBudget,
    private readonly tokens: TokensService,
  ) {}

  /**
   * A new session; one AccountError('sign_in_failed') for every cause of failure, a change of the
   * account's credentials while the proof was being checked among them (the proof may be what it voided).
   */
  async signIn(
    email: string,
    proof: Proof,
    userAgent: string | undefined,
    context: RequestContext,
  ): Promise<{ token: string; expiresAt: Date; id: string }> {
    const user = await this.users.findByEmail(email);
    const eligible = user?.confirmed ? user : null;
    // Read for every address alike (unknown ones under an id no user has), so that its time tells nothing.
    const version = await this.tokens.credentialsVersion(eligible?.id ?? NO_USER);
    if (!(await this.proofs.check(email, eligible, proof)) || !eligible) throw new AccountError('sign_in_failed');
    return this.db.transaction(context, async (tx) => {
      if ((await this.tokens.lockCredentials(tx, eligible.id)) !== version) throw new AccountError('sign_in_failed');
      return this.sessions.create(tx, eligible.id, userAgent);
    });
  }

  /**
   * A session for a person who has just proved the address theirs and chosen its first password
   * with the confirmation link (the confirm page), as a sign-in with that password would: refused
   * (AccountError 'sign_in_failed') when the credentials changed since that confirmation committed
   * under `credentialsVersion`.
   */
  startSession(
    userId: string,
    credentialsVersion: string,
    userAgent: string | undefined,
    context: RequestContext,
  ): Promise<{ token: string; expiresAt: Date; id: string }> {
    return this.db.transaction(context, async (tx) => {
      if ((await this.tokens.lockCredentials(tx, userId)) !== credentialsVersion) throw new AccountError('sign_in_failed');
      return this.sessions.create(tx, userId, userAgent);
    });
  }

  /**
   * Emails a code to a confirmed address, within its budgets. The work happens after the answer,
   * so every address is answered alike, in time too.
   */
  requestCode(email: string, context: RequestContext): void {
    this.background.run('A sign-in code request', context, async () => {
      const user = await this.users.findByEmail(email);
      if (user?.confirmed) await this.emailCode(user, context);
    });
  }

  /** Emails the user a code, within its budgets; says whether it went (a signed-in person is told). */
  async emailCode(user: Pick<UserRecord, 'id' | 'email'>, context: RequestContext): Promise<CodeGrant> {
    const grant = await this.budget.take(user.id, context.clientIp);
    if (grant.granted) {
      await this.db.transaction(context, (tx) =>
        tx.record(new SignInCodeRequested({ userId: user.id, email: user.email, requester: grant.requester })),
      );
    }
    return grant;
  }
}
