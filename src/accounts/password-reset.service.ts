import { Injectable } from '@nestjs/common';
import { BackgroundWork } from '../common/background-work.service.js';
import type { RequestContext } from '../common/request-context.js';
import { DatabaseService } from '../database/database.service.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { isWellFormedToken } from '../tokens/token-crypto.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { UserRecord } from '../users/user.js';
import { UsersService } from '../users/users.service.js';
import { AccountError } from './account.errors.js';
import { PasswordChanged, PasswordResetRequested } from './accounts.facts.js';

/** "Forgot my password": a link to confirmed addresses only; using it sets the password (and the credentials policy ends every session). */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly passwords: PasswordsService,
    private readonly db: DatabaseService,
    private readonly background: BackgroundWork,
  ) {}

  /** Answered before the work is done, so every address is answered alike, in time too. */
  request(email: string, context: RequestContext): void {
    this.background.run('A password-reset request', context, async () => {
      const user = await this.users.findByEmail(email);
      if (!user?.confirmed) return;
      await this.db.transaction(context, (tx) => tx.record(new PasswordResetRequested({ userId: user.id, email: user.email })));
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

  /** Sets the password (a weak one is refused and the link kept). */
  async complete(token: string, password: string, context: RequestContext): Promise<void> {
    const user = await this.inspect(token);
    const hash = await this.passwords.hashAcceptable(password, user.email);
    await this.db.transaction(context, async (tx) => {
      await this.tokens.lockCredentials(tx, user.id);
      // Exactly one of racing requests uses the link.
      if (!(await this.tokens.use(tx, 'password-reset', token))) throw new AccountError('used_token');
      await this.passwords.set(tx, user.id, hash);
      await tx.record(new PasswordChanged({ userId: user.id, email: user.email, how: 'reset', sessionId: null }));
    });
  }
}
