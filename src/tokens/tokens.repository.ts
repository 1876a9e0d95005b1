import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';

export interface NewToken {
  userId: string;
  purpose: string;
  tokenHash: Buffer;
  expiresAt: Date;
  subject: string | null;
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
const USE_ALL = statement(
  'tokens.use-all',
  `UPDATE tokens SET used_at = now() WHERE user_id = $1 AND purpose = ANY($2::varchar[]) AND used_at IS NULL`,
);
const USE_ONE = statement(
  'tokens.use-one',
  `UPDATE tokens SET used_at = now() WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
);
// A new code voids the open codes of the user that its requester asked for (a code's subject names
// who asked), in the statement that stores it; codes others asked for stay valid.
const INSERT_CODE = statement(
  'tokens.insert-code',
  `WITH voided AS (
     UPDATE tokens SET used_at = now()
      WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND subject IS NOT DISTINCT FROM $5
   )
   INSERT INTO tokens (user_id, purpose, token_hash, expires_at, subject) VALUES ($1, $2, $3, $4, $5)`,
);
// One attempt at the user's open codes (a few may be open, asked for by different requesters): the
// one that matches is used up; when none matches, the attempt counts against every one of them.
// FOR UPDATE checks the conditions again on the locked rows, so racing guesses cannot exceed the limit.
// A wrong code commits without waiting for the WAL flush (synchronous_commit off for this statement's
// own transaction), so that it costs what a wrong code for an unknown address, which writes
// nothing, costs; a crash can lose only the last fraction of a second's counts. A matching code
// commits as usual: its use must survive a crash.
const TRY_CODE = statement(
  'tokens.try-code',
  `WITH open AS (
     SELECT id, token_hash = $3 AS hit FROM tokens
      WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() AND attempts < $4
        FOR UPDATE
   ),
   tried AS (
     UPDATE tokens t SET attempts = t.attempts + CASE WHEN (SELECT bool_or(hit) FROM open) THEN 0 ELSE 1 END,
                         used_at = CASE WHEN o.hit THEN now() END
       FROM open o WHERE t.id = o.id
     RETURNING o.hit
   ),
   matched AS (SELECT coalesce(bool_or(hit), false) AS matched FROM tried)
   SELECT matched, set_config('synchronous_commit', CASE WHEN matched THEN 'on' ELSE 'off' END, true) AS commit_mode FROM matched`,
);
const PURGE = statement(
  'tokens.purge',
  `DELETE FROM tokens WHERE id IN (
     SELECT id FROM tokens
      WHERE (used_at IS NOT NULL AND used_at < $1) OR expires_at < $1
      LIMIT $2)
   RETURNING 1`,
);

/** The tokens table: SHA-256 hashes of link secrets and codes, by purpose, with expiry and use. */
@Injectable()
export class TokensRepository {
  constructor(private readonly db: DatabaseService) {}

  async insertMany(tokens: readonly NewToken[]): Promise<void> {
    await this.db.query(INSERT, [
      tokens.map((t) => t.userId),
      tokens.map((t) => t.purpose),
      tokens.map((t) => t.tokenHash),
      tokens.map((t) => t.expiresAt),
      tokens.map((t) => t.subject),
    ]);
  }

  /** Stores a code and voids the user's open codes of the purpose with the same subject (asked for by the same requester). */
  async insertCode(userId: string, purpose: string, codeHash: Buffer, expiresAt: Date, subject: string | null): Promise<void> {
    await this.db.query(INSERT_CODE, [userId, purpose, codeHash, expiresAt, subject]);
  }

  async tryCode(userId: string, purpose: string, codeHash: Buffer, maxAttempts: number): Promise<boolean> {
    return (await this.db.query<{ matched: boolean }>(TRY_CODE, [userId, purpose, codeHash, maxAttempts]))[0]?.matched ?? false;
  }

  async lookup(
    purpose: string,
    tokenHash: Buffer,
  ): Promise<{ userId: string; expired: boolean; used: boolean; subject: string | null } | null> {
    const [row] = await this.db.query<{ user_id: string; expired: boolean; used: boolean; subject: string | null }>(LOOKUP, [
      tokenHash,
      purpose,
    ]);
    return row ? { userId: row.user_id, expired: row.expired, used: row.used, subject: row.subject } : null;
  }

  async useOne(tx: Tx, purpose: string, tokenHash: Buffer): Promise<boolean> {
    return (await tx.query(USE_ONE, [tokenHash, purpose])).length > 0;
  }

  async useAll(tx: Tx, userId: string, purposes: readonly string[]): Promise<void> {
    await tx.query(USE_ALL, [userId, purposes]);
  }

  async purge(cutoff: Date, limit: number): Promise<number> {
    return (await this.db.query(PURGE, [cutoff, limit])).length;
  }
}
