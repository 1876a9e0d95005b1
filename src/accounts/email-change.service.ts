import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { normalizeEmail } from '../common/validation/email-address.js';
import { DatabaseService } from '../database/database.service.js';
import { MailService } from '../mail/mail.service.js';
import { isWellFormedToken } from '../tokens/token-crypto.js';
import type { TokenPurpose } from '../tokens/token-purposes.js';
import { TokensService } from '../tokens/tokens.service.js';
import { isUniqueViolation, UserRecords, type UserRecord } from '../users/user-records.service.js';
import { AccountError } from './account.errors.js';
import { AccountService } from './account.service.js';
import { EmailChangeNoticeEmail } from './emails/email-change-notice.email.js';
import { type EmailChangeSubject, EmailChangeEmail } from './emails/email-change.email.js';
import { EmailChangedEmail } from './emails/email-changed.email.js';
import { USER_EMAIL_CHANGED, UserEmailChangedEvent } from './events/account.events.js';
import type { Proof } from './proofs.service.js';
import { ProofsService } from './proofs.service.js';
import type { CurrentSession } from './sessions/sessions.service.js';
import { SessionsService } from './sessions/sessions.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { UserEmailChanged } from '../webhooks/webhook-events.js';

/** What an `/email-change/<token>` link is: the change itself (sent to the new address) or its cancellation (to the old). */
export type EmailChangeLink =
  | { action: 'change'; user: UserRecord; newEmail: string; sessionId: string; done: boolean }
  | { action: 'cancel'; user: UserRecord; newEmail: string };

/**
 * Changing a signed-in user's address: a link to the new address makes the change, a notice with a
 * cancel link goes to the old one. Whether the new address is taken shows only when the link is used.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly account: AccountService,
    private readonly users: UserRecords,
    private readonly proofs: ProofsService,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly db: DatabaseService,
    private readonly events: EventEmitter2,
    private readonly webhooks: WebhooksService,
  ) {}

  /** Needs the password or a fresh code (401 otherwise); then the same answer whatever the new address is. */
  async request(session: CurrentSession, email: string, proof: Proof, requestId: string | null): Promise<void> {
    const user = await this.account.user(session);
    if (!(await this.proofs.check(user.email, user, proof))) throw new AccountError('wrong_proof');
    const newEmail = normalizeEmail(email);
    if (newEmail === user.email) return;
    await this.db.transaction(async (tx) => {
      const payload = { newEmail, sessionId: session.id };
      // Within its cooldown the link is not sent, and then neither is the notice.
      if (await this.mail.enqueue(tx, EmailChangeEmail, { userId: user.id, to: newEmail, payload, requestId })) {
        await this.mail.enqueue(tx, EmailChangeNoticeEmail, { userId: user.id, to: user.email, payload: { newEmail }, requestId });
      }
    });
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
    if (cancel.used) throw new AccountError('used_token');
    return { action: 'cancel', user: cancel.user, newEmail: cancel.subject };
  }

  /** Makes the change: 409 when the address was taken meanwhile (nothing changes, the link stays usable). */
  async confirm(token: string, requestId: string | null): Promise<{ email: string }> {
    const link = await this.inspect(token);
    if (link.action !== 'change') throw new AccountError('unknown_token');
    if (link.done) return { email: link.newEmail };
    const { user, newEmail, sessionId } = link;
    try {
      await this.db.transaction(async (tx) => {
        if (!(await this.tokens.use(tx, 'email-change', token))) throw new AccountError('used_token');
        if (!(await this.users.changeEmail(tx, user.id, newEmail))) throw new AccountError('address_taken');
        await this.tokens.useAll(tx, 'email-change', user.id);
        await this.tokens.useAll(tx, 'email-change-cancel', user.id);
        await this.sessions.revokeAll(tx, user.id, sessionId);
        await this.mail.enqueue(tx, EmailChangedEmail, { userId: user.id, to: user.email, payload: { newEmail }, requestId });
        await this.webhooks.publish(tx, UserEmailChanged, { userId: user.id, email: newEmail, previousEmail: user.email });
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new AccountError('address_taken') : error;
    }
    this.events.emit(USER_EMAIL_CHANGED, new UserEmailChangedEvent(user.id, newEmail, user.email));
    return { email: newEmail };
  }

  /** The old address's cancel link: every pending change of the user stops working. */
  async cancel(token: string): Promise<{ email: string }> {
    const link = await this.inspect(token);
    if (link.action !== 'cancel') throw new AccountError('unknown_token');
    await this.db.transaction(async (tx) => {
      if (!(await this.tokens.use(tx, 'email-change-cancel', token))) throw new AccountError('used_token');
      await this.tokens.useAll(tx, 'email-change', link.user.id);
      await this.tokens.useAll(tx, 'email-change-cancel', link.user.id);
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
