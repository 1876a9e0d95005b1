import { Injectable } from '@nestjs/common';
import { InTransaction } from '../database/on-fact.decorator.js';
import type { Tx } from '../database/tx.js';
import type { TokenPurpose } from '../tokens/token-purposes.js';
import { TokensService } from '../tokens/tokens.service.js';
import { EmailChanged, PasswordChanged } from './accounts.facts.js';
import { SessionsService } from './sessions/sessions.service.js';

/**
 * Every emailed credential that can act on an account: a reset link, a sign-in code, an
 * email-change link or its cancel link (the confirmation link is spent once the address is
 * confirmed, and accounts exist only then).
 */
export const ACCOUNT_CREDENTIALS: readonly TokenPurpose[] = ['password-reset', 'sign-in', 'email-change', 'email-change-cancel'];

/**
 * What a change of who controls the account voids, besides the credential that made it. The one
 * place of this rule; the README's "Credentials" table is this table. A deletion needs no entry:
 * the user's sessions and tokens go with it.
 *
 * | change                          | sessions                       | emailed credentials |
 * |---------------------------------|--------------------------------|---------------------|
 * | password set or changed         | all but the session that did it | all                 |
 * | password reset (emailed link)   | all                            | all                 |
 * | email changed (new address's link) | all but the session that asked | all              |
 *
 * "All" emailed credentials includes those of emails asked for before the change and not yet sent:
 * they are never issued. A transaction that changes who controls the account, or that relies on it
 * not changing (a sign-in, a signed-in request for an email change), takes the user's credentials
 * lock first (`TokensService.lockCredentials`), so that such transactions run one after another.
 */
@Injectable()
export class CredentialsPolicy {
  constructor(
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
  ) {}

  @InTransaction(PasswordChanged)
  async onPasswordChanged(facts: readonly PasswordChanged[], tx: Tx): Promise<void> {
    for (const { data } of facts) await this.voidAll(tx, data.userId, data.how === 'reset' ? null : data.sessionId);
  }

  @InTransaction(EmailChanged)
  async onEmailChanged(facts: readonly EmailChanged[], tx: Tx): Promise<void> {
    for (const { data } of facts) await this.voidAll(tx, data.userId, data.sessionId);
  }

  private async voidAll(tx: Tx, userId: string, keepSession: string | null): Promise<void> {
    await this.tokens.voidCredentials(tx, userId, ACCOUNT_CREDENTIALS);
    await this.sessions.revokeAll(tx, userId, keepSession);
  }
}
