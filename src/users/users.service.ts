import { Injectable } from '@nestjs/common';
import { newId } from '../common/new-id.js';
import { BackgroundWork } from '../common/background-work.service.js';
import type { RequestContext } from '../common/request-context.js';
import { normalizeEmail } from '../common/validation/email-address.js';
import type { ComposedStatement } from '../database/composed-statement.js';
import { DatabaseService } from '../database/database.service.js';
import { FactBus, rowFact } from '../database/fact-bus.js';
import type { Tx } from '../database/tx.js';
import type { HourlyCount, HourlySlotCount } from '../common/hourly.js';
import type { User, UserRecord } from './user.js';
import { ConfirmationLinkRequested, ConfirmedAddressSignedUp, UserDeleted, UserRegistered } from './users.facts.js';
import { SIGN_UP, SIGNED_UP, UsersRepository } from './users.repository.js';

type SignUpInput = { id: string; address: string; locale: string; context: RequestContext };

/** Sign-up, new links, and what other modules read of users. */
@Injectable()
export class UsersService {
  private composed?: ComposedStatement<SignUpInput>;

  constructor(
    private readonly users: UsersRepository,
    private readonly db: DatabaseService,
    private readonly facts: FactBus,
    private readonly background: BackgroundWork,
  ) {}

  /**
   * The sign-up as one statement (one round trip: bench/README.md): the user, and the emails and
   * webhooks that follow from its facts, commit together. Composed once every subscriber is known.
   */
  private get signUp(): ComposedStatement<SignUpInput> {
    this.composed ??= this.facts.compose('users.sign-up', SIGN_UP, SIGNED_UP, [
      rowFact(SIGNED_UP, UserRegistered, 'registered', { userId: 'id', email: 'email', locale: 'locale' }),
      rowFact(SIGNED_UP, ConfirmationLinkRequested, 'unconfirmed_again', { userId: 'id', email: 'email' }),
      rowFact(SIGNED_UP, ConfirmedAddressSignedUp, 'confirmed_again', { userId: 'id', email: 'email' }),
    ]);
    return this.composed;
  }

  /** Checks the composed sign-up statement against the schema (EXPLAIN): for the process that signs people up, at start-up. */
  checkSignUp(): Promise<void> {
    return this.db.check(this.signUp.statement);
  }

  /**
   * Stores the user, or answers for an address already registered: a new link if it is
   * unconfirmed, a short "someone tried to sign up with your address" notice if it is confirmed
   * (each within its cooldown). Every case runs the same statement and the caller answers the same,
   * so neither the answer nor its timing tells the cases apart.
   */
  async register(email: string, context: RequestContext, locale: string): Promise<void> {
    await this.db.run(this.signUp, { id: newId(), address: normalizeEmail(email), locale, context });
  }

  /** The language of the user's later pages and emails (checked against SUPPORTED_LOCALES by the caller). */
  setLocale(userId: string, locale: string): Promise<void> {
    return this.users.setLocale(userId, locale);
  }

  /** The user's language, or null when there is no such user (any more). */
  localeOf(userId: string): Promise<string | null> {
    return this.users.localeOf(userId);
  }

  /**
   * A new link to a registered, unconfirmed address, within its cooldown. The work happens after
   * the answer, so known, unknown and confirmed addresses are answered alike, in time too.
   */
  requestNewLink(email: string, context: RequestContext): void {
    const address = normalizeEmail(email);
    this.background.run('A new-link request', context, async () => {
      const user = await this.users.findByEmail(address);
      if (!user || user.confirmed) return;
      await this.db.transaction(context, (tx) => tx.record(new ConfirmationLinkRequested({ userId: user.id, email: user.email })));
    });
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmail(normalizeEmail(email));
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.users.findById(id);
  }

  list(filter: { email?: string; limit: number; offset: number }): Promise<User[]> {
    return this.users.list({ ...filter, email: filter.email === undefined ? undefined : normalizeEmail(filter.email) });
  }

  /**
   * Gives the user a new address, with the caller's change: false when another user has it. (A
   * sign-up of that address racing this statement makes it throw a unique violation instead.)
   */
  changeEmail(tx: Tx, userId: string, newEmail: string): Promise<boolean> {
    return this.users.changeEmail(tx, userId, normalizeEmail(newEmail));
  }

  /** Deletes the user with everything that hangs off it, with the caller's change; returns the address and language it had, or null. */
  delete(tx: Tx, userId: string): Promise<{ email: string; locale: string } | null> {
    return this.users.delete(tx, userId);
  }

  /** An operator deletes a user (the admin page): as an account deletion, with `reason` deleted-by-admin. Returns whether it existed. */
  deleteByAdmin(userId: string, context: RequestContext): Promise<boolean> {
    return this.db.transaction(context, async (tx) => {
      const gone = await this.users.delete(tx, userId);
      if (gone) await tx.record(new UserDeleted({ userId, ...gone, reason: 'deleted-by-admin' }));
      return gone !== null;
    });
  }

  /** Sign-ups per hour in [from, to) (the funnel). */
  registeredByHour(from: Date, to: Date): Promise<HourlyCount[]> {
    return this.users.registeredByHour(from, to);
  }

  /** Confirmations per hour in [from, to), by slot of the seconds each took from sign-up (see common/hourly.ts). */
  confirmedByHour(from: Date, to: Date): Promise<HourlySlotCount[]> {
    return this.users.confirmedByHour(from, to);
  }

  /** Deletes up to `limit` users never confirmed and untouched since `cutoff`; returns how many. */
  purgeNeverConfirmed(cutoff: Date, limit: number, context: RequestContext): Promise<number> {
    return this.db.transaction(context, async (tx) => {
      const deleted = await this.users.purgeNeverConfirmed(tx, cutoff, limit);
      if (deleted.length > 0)
        await tx.record(
          ...deleted.map((u) => new UserDeleted({ userId: u.id, email: u.email, locale: u.locale, reason: 'never-confirmed' })),
        );
      return deleted.length;
    });
  }
}
