import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { BackgroundWork } from '../common/background-work.service.js';
import { normalizeEmail } from '../common/validation/email-address.js';
import { DatabaseService } from '../database/database.service.js';
import { MailService } from '../mail/mail.service.js';
import { isWellFormedToken } from '../tokens/token-crypto.js';
import { TokensService } from '../tokens/tokens.service.js';
import { UserRecords, type UserRecord } from '../users/user-records.service.js';
import { AccountError } from './account.errors.js';
import { PasswordChangedEmail } from './emails/password-changed.email.js';
import { PasswordResetEmail } from './emails/password-reset.email.js';
import { USER_PASSWORD_CHANGED, UserPasswordChangedEvent } from './events/account.events.js';
import { PasswordsService } from './passwords/passwords.service.js';
import { SessionsService } from './sessions/sessions.service.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';
import { UserPasswordChanged } from '../webhooks/webhook-events.js';

/** "Forgot my password": a link to confirmed addresses only; using it sets the password and ends every session. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly users: UserRecords,
    private readonly tokens: TokensService,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly db: DatabaseService,
    private readonly events: EventEmitter2,
    private readonly webhooks: WebhooksService,
    private readonly background: BackgroundWork,
  ) {}

  /** Answered before the work is done, so every address is answered alike, in time too. */
  request(email: string, requestId: string | null): void {
    const address = normalizeEmail(email);
    this.background.run('A password-reset request', requestId, async () => {
      const user = await this.users.findByEmail(address);
      if (!user?.confirmed) return;
      await this.db.transaction((tx) => this.mail.enqueue(tx, PasswordResetEmail, { userId: user.id, to: user.email, requestId }));
    });
  }

  /** Read-only: whose link this is; throws AccountError for malformed, unknown, expired and used links. */
  async inspect(token: string): Promise<UserRecord> {
    if (!isWellFormedToken(token)) throw new AccountError('malformed_token');
    const found = await this.tokens.lookup('password-reset', token);
    if (found.state === 'unknown') throw new AccountError('unknown_token');
    if (found.state === 'expired') throw new AccountError('expired_token');
    if (found.state === 'used') throw new AccountError('used_token');
    const user = await this.users.findById(found.userId);
    if (!user) throw new AccountError('unknown_token');
    return user;
  }

  /** Sets the password (a weak one is refused and the link kept), ends every session, sends a notice. */
  async complete(token: string, password: string, requestId: string | null): Promise<void> {
    const user = await this.inspect(token);
    const hash = await this.passwords.hashAcceptable(password, user.email);
    await this.db.transaction(async (tx) => {
      // Exactly one of racing requests uses the link.
      if (!(await this.tokens.use(tx, 'password-reset', token))) throw new AccountError('used_token');
      await this.tokens.useAll(tx, 'password-reset', user.id);
      await this.passwords.set(tx, user.id, hash);
      await this.sessions.revokeAll(tx, user.id);
      await this.mail.enqueue(tx, PasswordChangedEmail, { userId: user.id, to: user.email, requestId });
      await this.webhooks.publish(tx, UserPasswordChanged, { userId: user.id, email: user.email, how: 'reset' });
    });
    this.events.emit(USER_PASSWORD_CHANGED, new UserPasswordChangedEvent(user.id, user.email, 'reset'));
  }
}
