import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DatabaseService } from '../database/database.service.js';
import { MailService } from '../mail/mail.service.js';
import { UserRecords, type UserRecord } from '../users/user-records.service.js';
import { AccountError } from './account.errors.js';
import { PasswordChangedEmail } from './emails/password-changed.email.js';
import { USER_DELETED, USER_PASSWORD_CHANGED, UserDeletedEvent, UserPasswordChangedEvent } from './events/account.events.js';
import { PasswordsService } from './passwords/passwords.service.js';
import { type Proof, ProofsService } from './proofs.service.js';
import type { CurrentSession } from './sessions/sessions.service.js';
import { SessionsService } from './sessions/sessions.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { UserDeleted, UserPasswordChanged } from '../webhooks/webhook-events.js';

export interface Profile {
  id: string;
  email: string;
  confirmed: boolean;
  hasPassword: boolean;
  createdAt: Date;
}

/** What a signed-in user does to their own account: read it, change the password, delete it. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UserRecords,
    private readonly passwords: PasswordsService,
    private readonly proofs: ProofsService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly db: DatabaseService,
    private readonly events: EventEmitter2,
    private readonly webhooks: WebhooksService,
  ) {}

  async user(session: CurrentSession): Promise<UserRecord> {
    const user = await this.users.findById(session.userId);
    if (!user) throw new AccountError('not_signed_in'); // deleted meanwhile (its sessions went with it)
    return user;
  }

  async profile(session: CurrentSession): Promise<Profile> {
    const user = await this.user(session);
    const hasPassword = (await this.passwords.hashOf(user.id)) !== null;
    return { id: user.id, email: user.email, confirmed: user.confirmed, hasPassword, createdAt: user.createdAt };
  }

  /**
   * Sets a new password. With a password already set, the current one is required (401 when wrong,
   * throttled like sign-in); without one, the session is the proof. Every other session ends.
   */
  async changePassword(
    session: CurrentSession,
    currentPassword: string | undefined,
    newPassword: string,
    requestId: string | null,
  ): Promise<void> {
    const user = await this.user(session);
    const had = (await this.passwords.hashOf(user.id)) !== null;
    if (had) {
      if (currentPassword === undefined) throw new AccountError('wrong_proof', 'Give your current password (currentPassword).');
      if (!(await this.proofs.check(user.email, user, { password: currentPassword })))
        throw new AccountError('wrong_proof', 'The current password is wrong.');
    }
    const hash = await this.passwords.hashAcceptable(newPassword, user.email);
    await this.db.transaction(async (tx) => {
      await this.passwords.set(tx, user.id, hash);
      await this.sessions.revokeAll(tx, user.id, session.id);
      await this.mail.enqueue(tx, PasswordChangedEmail, { userId: user.id, to: user.email, requestId });
      await this.webhooks.publish(tx, UserPasswordChanged, { userId: user.id, email: user.email, how: had ? 'change' : 'set' });
    });
    this.events.emit(USER_PASSWORD_CHANGED, new UserPasswordChangedEvent(user.id, user.email, had ? 'change' : 'set'));
  }

  /** Deletes the user with its tokens, sessions, password and unsent emails; the address can register again. */
  async delete(session: CurrentSession, proof: Proof): Promise<void> {
    const user = await this.user(session);
    if (!(await this.proofs.check(user.email, user, proof))) throw new AccountError('wrong_proof');
    const email = await this.db.transaction(async (tx) => {
      const deleted = await this.users.delete(tx, user.id);
      if (deleted) await this.webhooks.publish(tx, UserDeleted, { userId: user.id, email: deleted, reason: 'account-deleted' });
      return deleted;
    });
    if (email) this.events.emit(USER_DELETED, new UserDeletedEvent(user.id, email));
  }
}
