import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/request-context.js';
import { DatabaseService } from '../database/database.service.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { isWellFormedToken } from '../tokens/token-crypto.js';
import { TokensService } from '../tokens/tokens.service.js';
import { ConfirmationError } from './confirmation.errors.js';
import { UserConfirmed } from './users.facts.js';
import { UsersRepository } from './users.repository.js';

export type ConfirmationStatus = 'confirmed' | 'already_confirmed';
export type LinkState = 'pending' | 'already_confirmed';

/** What a confirmation did; with the password it set, the credentials version it committed under. */
export type Confirmation = { status: ConfirmationStatus; email: string; userId: string } & (
  { passwordSet: false } | { passwordSet: true; credentialsVersion: string }
);

/** Checks a link's token and confirms its user. */
@Injectable()
export class ConfirmationsService {
  constructor(
    private readonly tokens: TokensService,
    private readonly users: UsersRepository,
    private readonly db: DatabaseService,
    private readonly passwords: PasswordsService,
  ) {}

  /**
   * Read-only: what the link would do. Throws ConfirmationError for malformed, unknown and expired
   * tokens; an expired link is expired whether or not its address was confirmed since.
   */
  async inspect(token: string): Promise<{ state: LinkState; userId: string; email: string }> {
    if (!isWellFormedToken(token)) throw new ConfirmationError('malformed_token');
    const found = await this.tokens.lookup('confirmation', token);
    if (found.state === 'unknown') throw new ConfirmationError('unknown_token');
    if (found.state === 'expired') throw new ConfirmationError('expired_token');
    const user = await this.users.findById(found.userId);
    if (!user) throw new ConfirmationError('unknown_token');
    // A used link has done its work: confirming marks all of the user's links used.
    if (user.confirmed || found.state === 'used') return { state: 'already_confirmed', userId: user.id, email: user.email };
    return { state: 'pending', userId: user.id, email: user.email };
  }

  /**
   * Confirms, and with `password` sets it too: only the mailbox owner ever sets a first password.
   * A weak password throws WeakPasswordError before anything changes (the link stays usable); a
   * link already used confirms nothing and sets no password. `passwordSet`: this call set the
   * password, under the credentials version it gives (the pages sign the person in with it, see
   * SignInService.startSession).
   */
  async confirm(token: string, password: string | undefined, context: RequestContext): Promise<Confirmation> {
    const link = await this.inspect(token);
    const { email, userId } = link;
    if (link.state === 'already_confirmed') return { status: 'already_confirmed', email, userId, passwordSet: false };
    const hash = password === undefined ? undefined : await this.passwords.hashAcceptable(password, email);
    // The conditional update lets exactly one of any number of concurrent requests win.
    const won = await this.db.transaction(context, async (tx) => {
      // Setting the first password changes who controls the account: the credentials lock comes first.
      const version = hash ? await this.tokens.lockCredentials(tx, userId) : null;
      if (!(await this.users.markConfirmed(tx, userId))) return null;
      await this.tokens.useAll(tx, 'confirmation', userId);
      if (hash) await this.passwords.set(tx, userId, hash);
      await tx.record(new UserConfirmed({ userId, email, withPassword: hash !== undefined }));
      return { version };
    });
    if (!won) return { status: 'already_confirmed', email, userId, passwordSet: false };
    if (won.version === null) return { status: 'confirmed', email, userId, passwordSet: false };
    return { status: 'confirmed', email, userId, passwordSet: true, credentialsVersion: won.version };
  }
}
