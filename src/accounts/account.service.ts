import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/request-context.js';
import { words } from '../common/words.js';
import { Environment } from '../config/environment.js';
import { effectiveLocale } from '../i18n/locale-choice.js';
import type { Locale } from '../i18n/locales.js';
import { DatabaseService } from '../database/database.service.js';
import type { Tx } from '../database/tx.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { UserRecord } from '../users/user.js';
import { UserDeleted } from '../users/users.facts.js';
import { UsersService } from '../users/users.service.js';
import { AccountError } from './account.errors.js';
import { PasswordChanged } from './accounts.facts.js';
import { type Proof, ProofsService } from './proofs.service.js';
import { type CurrentSession, SessionsService } from './sessions/sessions.service.js';

export interface Profile {
  id: string;
  email: string;
  confirmed: boolean;
  hasPassword: boolean;
  createdAt: Date;
  /** The language of the account's pages and emails. */
  locale: Locale;
}

/** What a signed-in user does to their own account: read it, change the password, delete it. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly proofs: ProofsService,
    private readonly db: DatabaseService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly env: Environment,
  ) {}

  /**
   * First thing in a signed-in person's transaction that changes the account or asks for a
   * credential: takes the credentials lock, then makes sure the session was not revoked meanwhile
   * (say, by a password reset while this request's proof was being checked).
   */
  async stillSignedIn(tx: Tx, session: CurrentSession): Promise<void> {
    await this.tokens.lockCredentials(tx, session.userId);
    if (!(await this.sessions.isLive(tx, session))) throw new AccountError('not_signed_in');
  }

  async user(session: CurrentSession): Promise<UserRecord> {
    const user = await this.users.findById(session.userId);
    if (!user) throw new AccountError('not_signed_in'); // deleted meanwhile (its sessions went with it)
    return user;
  }

  async profile(session: CurrentSession): Promise<Profile> {
    const user = await this.user(session);
    const hasPassword = (await this.passwords.hashOf(user.id)) !== null;
    const locale = effectiveLocale(user.locale, this.env.SUPPORTED_LOCALES);
    return { id: user.id, email: user.email, confirmed: user.confirmed, hasPassword, createdAt: user.createdAt, locale };
  }

  /** Every later email to the account is in `locale` (a SUPPORTED_LOCALES code: see chosenLocale). */
  async changeLocale(session: CurrentSession, locale: Locale): Promise<void> {
    await this.user(session);
    await this.users.setLocale(session.userId, locale);
  }

  /**
   * Sets a new password. With a password already set, the current one is the proof; without one, a
   * fresh sign-in code (a session alone does not take over the account). Throttled like sign-in.
   * Answers whether it was a first password (`set`) or a `change`.
   */
  async changePassword(
    session: CurrentSession,
    proof: { currentPassword?: string; code?: string },
    newPassword: string,
    context: RequestContext,
  ): Promise<'set' | 'change'> {
    const user = await this.user(session);
    const had = (await this.passwords.hashOf(user.id)) !== null;
    if (had && proof.currentPassword === undefined)
      throw new AccountError('wrong_proof', {
        text: 'Give your current password (currentPassword).',
        words: words('errors.account.current_password_needed'),
      });
    if (!had && proof.code === undefined)
      throw new AccountError('proof_required', {
        text: 'Give a fresh sign-in code (code) to set the first password of this account.',
        words: words('errors.account.fresh_code_needed'),
      });
    const given = had ? { password: proof.currentPassword } : { code: proof.code };
    if (!(await this.proofs.recheck(user, given)))
      throw new AccountError(
        'wrong_proof',
        had
          ? { text: 'The current password is wrong.', words: words('errors.account.wrong_current_password') }
          : { text: 'The sign-in code is wrong or used.', words: words('errors.account.wrong_code') },
      );
    const hash = await this.passwords.hashAcceptable(newPassword, user.email);
    await this.db.transaction(context, async (tx) => {
      await this.stillSignedIn(tx, session);
      await this.passwords.set(tx, user.id, hash);
      await tx.record(new PasswordChanged({ userId: user.id, email: user.email, how: had ? 'change' : 'set', sessionId: session.id }));
    });
    return had ? 'change' : 'set';
  }

  /** Deletes the user with its tokens, sessions, password and unsent emails; the address can register again. */
  async delete(session: CurrentSession, proof: Proof, context: RequestContext): Promise<void> {
    const user = await this.user(session);
    if (!(await this.proofs.recheck(user, proof))) throw new AccountError('wrong_proof');
    await this.db.transaction(context, async (tx) => {
      const deleted = await this.users.delete(tx, user.id);
      if (deleted) await tx.record(new UserDeleted({ userId: user.id, ...deleted, reason: 'account-deleted' }));
    });
  }
}
