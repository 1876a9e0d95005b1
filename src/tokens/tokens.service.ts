import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { batchCalls } from '../database/batch-calls.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { generateCode, generateToken, hashCode, hashToken } from './token-crypto.js';
import { isCodePurpose, maxCodeAttempts, tokenLifetimeSeconds, type TokenPurpose } from './token-purposes.js';

export type TokenLookup = { state: 'unknown' } | { state: 'valid' | 'used' | 'expired'; userId: string; subject: string | null };

export interface IssuedToken {
  /** The plaintext, for the email only: it is never stored. */
  value: string;
  expiresAt: Date;
  lifetimeSeconds: number;
}

const INSERT = statement(
  'tokens.insert',
  `INSERT INTO tokens (user_id, purpose, token_hash, expires_at, subject)
   SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::bytea[], $4::timestamptz[], $5::text[])`,
);
const LOOKUP = statement(
  'tokens.lookup',
  `SELECT user_id, expires_at <= now() AS expired, used_at IS NOT NULL AS used, subject
     FROM tokens WHERE token_hash = $1 AND purpose = $2`,
);
const USE_ALL = statement('tokens.use-all', `UPDATE tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`);
const USE_ONE = statement(
  'tokens.use-one',
  `UPDATE tokens SET used_at = now() WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
);
// A new code voids the user's open ones, in the statement that stores it.
const INSERT_CODE = statement(
  'tokens.insert-code',
  `WITH voided AS (
     UPDATE tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL
   )
   INSERT INTO tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4)`,
);
// One attempt at the user's open code: counted whatever it is, and the code used up when it matches.
// The outer conditions are checked again on the locked row, so racing guesses cannot exceed the limit.
// A wrong code commits without waiting for the WAL flush (synchronous_commit off for this statement's
// own transaction), so that it costs what a wrong code for an unknown address, which writes
// nothing, costs; a crash can lose only the last fraction of a second's counts. A matching code
// commits as usual: its use must survive a crash.
const TRY_CODE = statement(
  'tokens.try-code',
  `UPDATE tokens SET attempts = attempts + 1, used_at = CASE WHEN token_hash = $3 THEN now() END
    WHERE id = (SELECT id FROM tokens
                 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() AND attempts < $4
                 ORDER BY created_at DESC LIMIT 1)
      AND used_at IS NULL AND expires_at > now() AND attempts < $4
   RETURNING used_at IS NOT NULL AS matched,
             set_config('synchronous_commit', CASE WHEN used_at IS NULL THEN 'off' ELSE 'on' END, true) AS commit_mode`,
);
const PURGE = statement(
  'tokens.purge',
  `DELETE FROM tokens WHERE id IN (
     SELECT id FROM tokens
      WHERE (used_at IS NOT NULL AND used_at < $1) OR expires_at < $1
      LIMIT $2)
   RETURNING 1`,
);

@Injectable()
export class TokensService {
  constructor(
    private readonly db: DatabaseService,
    private readonly env: Environment,
  ) {}

  /**
   * Creates a token of the purpose for the user and returns its plaintext, which is never stored.
   * `subject`: what the token is about (an email change's new address), returned by `lookup`.
   * A code purpose gets a short code instead, and the user's older codes of it are void.
   */
  async issue(purpose: TokenPurpose, userId: string, subject?: string): Promise<IssuedToken> {
    const lifetimeSeconds = tokenLifetimeSeconds(purpose, this.env);
    const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
    if (isCodePurpose(purpose)) {
      const code = generateCode();
      await this.db.query(INSERT_CODE, [userId, purpose, hashCode(userId, code), expiresAt]);
      return { value: code, expiresAt, lifetimeSeconds };
    }
    const value = generateToken();
    await this.insert({ userId, purpose, tokenHash: hashToken(value), expiresAt, subject: subject ?? null });
    return { value, expiresAt, lifetimeSeconds };
  }

  /**
   * One attempt at the user's latest open code of the purpose (a normalised code, see
   * normalizeCode): true when it matched, which uses it up. Every attempt counts; after the
   * purpose's maximum the code is void.
   */
  async tryCode(purpose: TokenPurpose, userId: string, code: string): Promise<boolean> {
    const [row] = await this.db.query<{ matched: boolean }>(TRY_CODE, [userId, purpose, hashCode(userId, code), maxCodeAttempts(purpose)]);
    return row?.matched ?? false;
  }

  /** Marks one valid token used, with the caller's change; false when it was used meanwhile (or expired). */
  async use(tx: Tx, purpose: TokenPurpose, token: string): Promise<boolean> {
    return (await tx.query(USE_ONE, [hashToken(token), purpose])).length > 0;
  }

  // One statement for the tokens the worker's concurrent jobs issue at the same moment.
  private readonly insert = batchCalls<
    { userId: string; purpose: TokenPurpose; tokenHash: Buffer; expiresAt: Date; subject: string | null },
    void
  >(async (tokens) => {
    await this.db.query(INSERT, [
      tokens.map((t) => t.userId),
      tokens.map((t) => t.purpose),
      tokens.map((t) => t.tokenHash),
      tokens.map((t) => t.expiresAt),
      tokens.map((t) => t.subject),
    ]);
    return tokens.map(() => undefined);
  });

  /** What a presented token is, under the given purpose only. Expiry wins over use: an old link is expired. */
  async lookup(purpose: TokenPurpose, token: string): Promise<TokenLookup> {
    const [found] = await this.db.query<{ user_id: string; expired: boolean; used: boolean; subject: string | null }>(LOOKUP, [
      hashToken(token),
      purpose,
    ]);
    if (!found) return { state: 'unknown' };
    const state = found.expired ? 'expired' : found.used ? 'used' : 'valid';
    return { state, userId: found.user_id, subject: found.subject };
  }

  /** Marks every open token of the purpose as used, with the caller's change. */
  async useAll(tx: Tx, purpose: TokenPurpose, userId: string): Promise<void> {
    await tx.query(USE_ALL, [userId, purpose]);
  }

  /** Deletes up to `limit` tokens used or expired before `cutoff`; returns how many. */
  async purge(cutoff: Date, limit: number): Promise<number> {
    return (await this.db.query<never>(PURGE, [cutoff, limit])).length;
  }
}
