import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { batchCalls } from '../database/batch-calls.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import { generateToken, hashToken } from './token-crypto.js';
import { tokenLifetimeSeconds, type TokenPurpose } from './token-purposes.js';

export type TokenLookup = { state: 'unknown' } | { state: 'valid' | 'used' | 'expired'; userId: string };

export interface IssuedToken {
  /** The plaintext, for the email only: it is never stored. */
  value: string;
  expiresAt: Date;
  lifetimeSeconds: number;
}

const INSERT = statement(
  'tokens.insert',
  `INSERT INTO tokens (user_id, purpose, token_hash, expires_at)
   SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::bytea[], $4::timestamptz[])`,
);
const LOOKUP = statement(
  'tokens.lookup',
  `SELECT user_id, expires_at <= now() AS expired, used_at IS NOT NULL AS used
     FROM tokens WHERE token_hash = $1 AND purpose = $2`,
);
const USE_ALL = statement(
  'tokens.use-all',
  `UPDATE tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
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

  /** Creates a token of the purpose for the user and returns its plaintext, which is never stored. */
  async issue(purpose: TokenPurpose, userId: string): Promise<IssuedToken> {
    const value = generateToken();
    const lifetimeSeconds = tokenLifetimeSeconds(purpose, this.env);
    const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
    await this.insert({ userId, purpose, tokenHash: hashToken(value), expiresAt });
    return { value, expiresAt, lifetimeSeconds };
  }

  // One statement for the tokens the worker's concurrent jobs issue at the same moment.
  private readonly insert = batchCalls<{ userId: string; purpose: TokenPurpose; tokenHash: Buffer; expiresAt: Date }, void>(
    async (tokens) => {
      await this.db.query(INSERT, [
        tokens.map((t) => t.userId),
        tokens.map((t) => t.purpose),
        tokens.map((t) => t.tokenHash),
        tokens.map((t) => t.expiresAt),
      ]);
      return tokens.map(() => undefined);
    },
  );

  /** What a presented token is, under the given purpose only. Expiry wins over use: an old link is expired. */
  async lookup(purpose: TokenPurpose, token: string): Promise<TokenLookup> {
    const [found] = await this.db.query<{ user_id: string; expired: boolean; used: boolean }>(LOOKUP, [hashToken(token), purpose]);
    if (!found) return { state: 'unknown' };
    const state = found.expired ? 'expired' : found.used ? 'used' : 'valid';
    return { state, userId: found.user_id };
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
