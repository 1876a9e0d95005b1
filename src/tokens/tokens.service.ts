import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { batchCalls } from '../database/batch-calls.js';
import type { Tx } from '../database/tx.js';
import { generateCode, generateToken, hashCode, hashToken } from './token-crypto.js';
import { isCodePurpose, maxCodeAttempts, tokenLifetimeSeconds, type TokenPurpose } from './token-purposes.js';
import { TokensRepository, type NewToken } from './tokens.repository.js';

export type TokenLookup = { state: 'unknown' } | { state: 'valid' | 'used' | 'expired'; userId: string; subject: string | null };

export interface IssuedToken {
  /** The plaintext, for the email only: it is never stored. */
  value: string;
  expiresAt: Date;
  lifetimeSeconds: number;
}

/** Link secrets and one-time codes by purpose: issued by the worker as an email goes out, checked when used. Only hashes are stored. */
@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: TokensRepository,
    private readonly env: Environment,
  ) {}

  /**
   * Creates a token of the purpose for the user and returns its plaintext, which is never stored;
   * null when the email carrying it was asked for (`askedAt`) before the user's credentials last
   * changed (the credentials policy voided it).
   * `subject`: what the token is about (an email change's new address), returned by `lookup`.
   * A code purpose gets a short code instead; its subject names who asked for it, and voids the
   * user's older codes of the purpose with the same subject only (others' stay valid).
   */
  async issue(purpose: TokenPurpose, userId: string, askedAt: Date, subject?: string): Promise<IssuedToken | null> {
    const lifetimeSeconds = tokenLifetimeSeconds(purpose, this.env);
    const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
    const code = isCodePurpose(purpose);
    const value = code ? generateCode() : generateToken();
    const token = {
      userId,
      purpose,
      tokenHash: code ? hashCode(userId, value) : hashToken(value),
      expiresAt,
      subject: subject ?? null,
      askedAt,
    };
    const stored = code ? await this.tokens.insertCode(token) : await this.insert(token);
    return stored ? { value, expiresAt, lifetimeSeconds } : null;
  }

  // One statement for the tokens the worker's concurrent jobs issue at the same moment.
  private readonly insert = batchCalls<NewToken, boolean>(async (tokens) => {
    const stored = await this.tokens.insertMany(tokens);
    return tokens.map((t) => stored.has(t.tokenHash.toString('hex')));
  });

  /**
   * Takes the user's credentials lock for the rest of the transaction, first thing in every
   * transaction that changes who controls the account or relies on it not having changed; returns
   * the credentials' version (compare with `credentialsVersion`).
   */
  lockCredentials(tx: Tx, userId: string): Promise<string> {
    return this.tokens.lockCredentials(tx, userId);
  }

  /** The version of the user's credentials now: it changes each time `voidCredentials` runs. */
  credentialsVersion(userId: string): Promise<string> {
    return this.tokens.credentialsVersion(userId);
  }

  /**
   * Voids every open token of the purposes, and every one of them issued later for an email asked
   * for before now, with the caller's change.
   */
  async voidCredentials(tx: Tx, userId: string, purposes: readonly TokenPurpose[]): Promise<void> {
    await this.tokens.lockCredentials(tx, userId);
    await this.tokens.markCredentialsChanged(tx, userId);
    await this.tokens.useAll(tx, userId, purposes);
  }

  /**
   * One attempt at the user's open codes of the purpose (a normalised code, see normalizeCode):
   * true when one matched, which uses it up. A wrong attempt counts against each open code; after
   * the purpose's maximum a code is void.
   */
  tryCode(purpose: TokenPurpose, userId: string, code: string): Promise<boolean> {
    return this.tokens.tryCode(userId, purpose, hashCode(userId, code), maxCodeAttempts(purpose));
  }

  /** Marks one valid token used, with the caller's change; false when it was used meanwhile (or expired). */
  use(tx: Tx, purpose: TokenPurpose, token: string): Promise<boolean> {
    return this.tokens.useOne(tx, purpose, hashToken(token));
  }

  /** What a presented token is, under the given purpose only. Expiry wins over use: an old link is expired. */
  async lookup(purpose: TokenPurpose, token: string): Promise<TokenLookup> {
    const found = await this.tokens.lookup(purpose, hashToken(token));
    if (!found) return { state: 'unknown' };
    const state = found.expired ? 'expired' : found.used ? 'used' : 'valid';
    return { state, userId: found.userId, subject: found.subject };
  }

  /** Voids every open token of the purposes, with the caller's change. */
  useAll(tx: Tx, purposes: TokenPurpose | readonly TokenPurpose[], userId: string): Promise<void> {
    return this.tokens.useAll(tx, userId, typeof purposes === 'string' ? [purposes] : purposes);
  }

  /** Deletes up to `limit` tokens used or expired before `cutoff`; returns how many. */
  purge(cutoff: Date, limit: number): Promise<number> {
    return this.tokens.purge(cutoff, limit);
  }
}
