import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/request-context.js';
import { words } from '../common/words.js';
import { normalizeEmail } from '../common/validation/email-address.js';
import { DatabaseService } from '../database/database.service.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { isWellFormedToken } from '../tokens/token-crypto.js';
import type { TokenPurpose } from '../tokens/token-purposes.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { UserRecord } from '../users/user.js';
import { UsersService } from '../users/users.service.js';
import { AccountError, addressHadEnough, tooSoon } from './account.errors.js';
import { AccountService } from './account.service.js';
import { EmailChangeRequested, EmailChanged } from './accounts.facts.js';
import { EmailChangeRecipients } from './email-change-recipients.js';
import type { EmailChangeSubject } from './emails/email-change.email.js';
import type { Proof } from './proofs.service.js';
import { ProofsService } from './proofs.service.js';
import type { CurrentSession } from './sessions/sessions.service.js';

/**
 * What an `/email-change/<token>` link is: the change itself (sent to the new address) or its
 * cancellation (to the old). `done`: the change was made (a cancel link can then no longer cancel it).
 */
export type EmailChangeLink =
  | { action: 'change'; user: UserRecord; newEmail: string; sessionId: string; done: boolean }
  | { action: 'cancel'; user: UserRecord; newEmail: string; done: boolean };

/**
 * Changing a signed-in user's address: a link to the new address makes the change, a notice with a
 * cancel link goes to the old one. Whether the new address is taken shows only when the link is used.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly account: AccountService,
    private readonly users: UsersService,
    private readonly proofs: ProofsService,
    private readonly tokens: TokensService,
    private readonly db: DatabaseService,
    private readonly recipients: EmailChangeRecipients,
  ) {}

  /**
   * Needs the password or a fresh code (401 otherwise); then the same answer whatever the new
   * address is, taken or not. Within the account's cooldown, or past the new address's own budget,
   * nothing is sent, and the signed-in person is told when to ask again (429). False when the new
   * address is the current one (nothing to send).
   */
  async request(session: CurrentSession, email: string, proof: Proof, context: RequestContext): Promise<boolean> {
    const user = await this.account.user(session);
    if (!(await this.proofs.recheck(user, proof))) throw new AccountError('wrong_proof');
    const newEmail = normalizeEmail(email);
    if (newEmail === user.email) return false;
    await this.db.transaction(context, async (tx) => {
      await this.account.stillSignedIn(tx, session);
      const { heldUntil } = await tx.record(
        new EmailChangeRequested({ userId: user.id, email: user.email, newEmail, sessionId: session.id }),
      );
      if (heldUntil) throw tooSoon(heldUntil);
      // Counted only for a link the account may send; refused, the transaction takes its emails back.
      const wait = await this.recipients.take(newEmail);
      if (wait > 0) throw addressHadEnough(wait);
    });
    return true;
  }

  /** Read-only: what the link would do. Throws AccountError for malformed, unknown, expired and used links. */
  async inspect(token: string): Promise<EmailChangeLink> {
    if (!isWellFormedToken(token)) throw new AccountError('malformed_token');
    const change = await this.find('email-change', token);
    if (change) {
      const { newEmail, sessionId } = JSON.parse(change.subject) as EmailChangeSubject;
      const done = change.user.email === newEmail;
      if (change.used && !done) throw new AccountError('used_token');
      return { action: 'change', user: change.user, newEmail, sessionId, done };
    }
    const cancel = await this.find('email-change-cancel', token);
    if (!cancel) throw new AccountError('unknown_token');
    // Made, the change voided this link (the credentials policy): the account now uses the address it names.
    const done = cancel.user.email === cancel.subject;
    if (cancel.used && !done) throw new AccountError('used_token');
    return { action: 'cancel', user: cancel.user, newEmail: cancel.subject, done };
  }

  /** Makes the change: 409 when the address was taken meanwhile (nothing changes, the link stays usable). */
  async confirm(token: string, context: RequestContext): Promise<{ email: string }> {
    const link = await this.inspect(token);
    if (link.action !== 'change') throw new AccountError('unknown_token');
    if (link.done) return { email: link.newEmail };
    const { user, newEmail, sessionId } = link;
    try {
      await this.db.transaction(context, async (tx) => {
        await this.tokens.lockCredentials(tx, user.id);
        if (!(await this.tokens.use(tx, 'email-change', token))) throw new AccountError('used_token');
        if (!(await this.users.changeEmail(tx, user.id, newEmail))) throw new AccountError('address_taken');
        await tx.record(new EmailChanged({ userId: user.id, email: newEmail, previousEmail: user.email, sessionId }));
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new AccountError('address_taken') : error;
    }
    return { email: newEmail };
  }

  /** The old address's cancel link: every pending change of the user stops working. */
  async cancel(token: string, context: RequestContext): Promise<{ email: string }> {
    const link = await this.inspect(token);
    if (link.action !== 'cancel') throw new AccountError('unknown_token');
    if (link.done)
      throw new AccountError('used_token', {
        text: 'The change was already made, so it can no longer be cancelled.',
        words: words('errors.account.change_already_made'),
      });
    await this.db.transaction(context, async (tx) => {
      await this.tokens.lockCredentials(tx, link.user.id);
      if (!(await this.tokens.use(tx, 'email-change-cancel', token))) throw new AccountError('used_token');
      await this.tokens.useAll(tx, ['email-change', 'email-change-cancel'], link.user.id);
    });
    return { email: link.user.email };
  }

  private async find(purpose: TokenPurpose, token: string): Promise<{ user: UserRecord; subject: string; used: boolean } | null> {
    const found = await this.tokens.lookup(purpose, token);
    if (found.state === 'unknown') return null;
    if (found.state === 'expired') throw new AccountError('expired_token');
    const user = await this.users.findById(found.userId);
    if (!user || !found.subject) return null;
    return { user, subject: found.subject, used: found.state === 'used' };
  }
}
