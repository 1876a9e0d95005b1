import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppError, ErrorCode } from '../common/app-error.js';
import { isWellFormedToken } from '../tokens/token-crypto.js';
import { TokensService } from '../tokens/tokens.service.js';
import { USER_CONFIRMED, UserConfirmedEvent } from './events/user.events.js';
import { UsersService } from './users.service.js';

export type ConfirmationStatus = 'confirmed' | 'already_confirmed';
export type LinkState = 'pending' | 'already_confirmed';

export const CONFIRMATION_MESSAGES = {
  malformed: 'The confirmation link is invalid: the token is malformed.',
  unknown: 'The confirmation link is invalid. It may be mistyped or incomplete.',
  expired: 'The confirmation link has expired.',
};

/** Checks a link's token and confirms its user; the Tokens and Users services do the storage. */
@Injectable()
export class ConfirmationsService {
  constructor(
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly events: EventEmitter2,
  ) {}

  /** Read-only: what the link would do. Throws AppError for malformed, unknown and expired tokens. */
  async inspect(token: string): Promise<{ state: LinkState; userId: string; email: string }> {
    if (!isWellFormedToken(token)) throw new AppError(ErrorCode.MalformedToken, CONFIRMATION_MESSAGES.malformed);
    const found = await this.tokens.lookup(token);
    const user = found.state === 'unknown' ? null : await this.users.findById(found.userId);
    if (found.state === 'unknown' || !user) throw new AppError(ErrorCode.UnknownToken, CONFIRMATION_MESSAGES.unknown);
    // A used or expired link of a confirmed user still has a good answer: it is done.
    if (user.confirmed) return { state: 'already_confirmed', userId: user.id, email: user.email };
    if (found.state === 'expired') throw new AppError(ErrorCode.ExpiredToken, CONFIRMATION_MESSAGES.expired);
    return { state: 'pending', userId: user.id, email: user.email };
  }

  async confirm(token: string): Promise<{ status: ConfirmationStatus; email: string }> {
    const link = await this.inspect(token);
    if (link.state === 'already_confirmed') return { status: 'already_confirmed', email: link.email };
    // The conditional update lets exactly one of any number of concurrent requests win.
    const won = await this.users.markConfirmed(link.userId);
    if (won) await this.tokens.useAll(link.userId);
    if (won) this.events.emit(USER_CONFIRMED, new UserConfirmedEvent(link.userId));
    return { status: won ? 'confirmed' : 'already_confirmed', email: link.email };
  }
}
