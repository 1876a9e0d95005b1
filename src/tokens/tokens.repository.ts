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
  /** When the email carrying it was asked for: a token asked for before its user's credentials last changed is void. */
  askedAt: Date;
}

// A token asked for before its user's credentials last changed (the credentials policy) is void:
// not issued, and never usable, whenever it was stored (a token without `asked_at` predates the rule).
const NOT_VOIDED = (userId: string, askedAt: string) =>
  `NOT EXISTS (SELECT 1 FROM credential_changes c WHERE c.user_id = ${userId} AND c.changed_at > ${askedAt})`;
const INSERT = statement(
  'tokens.insert',
  `INSERT INTO tokens (user_id, purpose, token_hash, expires_at, subject, asked_at)
   SELECT t.user_id, t.purpose, t.token_hash, t.expires_at, t.subject, t.asked_at
     FROM unnest($1::uuid[], $2::varchar[], $3::bytea[], $4::timestamptz[], $5::text[], $6::timestamptz[])
          AS t(user_id, purpose, token_hash, expires_at, subject, asked_at)
    WHERE ${NOT_VOIDED('t.user_id', 't.asked_at')}
   RETURNING token_hash`,
);
// The user's credentials row, locked for the rest of the transaction (created the first time): every
// transaction that changes or relies on who controls the account takes it first, so they run one
// after another. Returns the version, the time of the last change ('-infinity': never).
const LOCK_CREDENTIALS = statement(
  'tokens.lock-credentials',
  `INSERT INTO credential_changes AS c (user_id, changed_at) VALUES ($1, '-infinity')
   ON CONFLICT (user_id) DO UPDATE SET changed_at = c.changed_at
   RETURNING changed_at::text AS version`,
);
// clock_timestamp, not now(): an email asked for by a transaction that began after this one did, but
// before this change, is void too.
const MARK_CREDENTIALS_CHANGED = statement(
  'tokens.mark-credentials-changed',
  `INSERT INTO credential_changes AS c (user_id, changed_at) VALUES ($1, clock_timestamp())
   ON CONFLICT (user_id) DO UPDATE SET changed_at = greatest(c.changed_at, clock_timestamp())`,
);
const CREDENTIALS_VERSION = statement(
  'tokens.credentials-version',
  `SELECT coalesce((SELECT changed_at::text FROM credential_changes WHERE user_id = $1), '-infinity') AS version`,
);
const LOOKUP = statement(
  'tokens.lookup',
  `SELECT user_id, expires_at <= now() AS expired, used_at IS NOT NULL OR NOT ${NOT_VOIDED('t.user_id', 't.asked_at')} AS used, subject
     FROM tokens t WHERE token_hash = $1 AND purpose = $2`,
);
const USE_ALL = statement(
  'tokens.use-all',
  `UPDATE tokens SET used_at = now() WHERE user_id = $1 AND purpose = ANY($2::varchar[]) AND used_at IS NULL`,
);
const USE_ONE = statement(
  'tokens.use-one',
  `UPDATE tokens t SET used_at = now()
    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() AND ${NOT_VOIDED('t.user_id', 't.asked_at')}
   RETURNING user_id`,
);
// A new code voids the open codes of the user that its requester asked for (a code's subject names
// who asked), in the statement that stores it; codes others asked for stay valid.
const INSERT_CODE = statement(
  'tokens.insert-code',
  `WITH allowed AS (SELECT ${NOT_VOIDED('$1::uuid', '$6::timestamptz')} AS ok),
   voided AS (
     UPDATE tokens SET used_at = now()
      WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND subject IS NOT DISTINCT FROM $5 AND (SELECT ok FROM allowed)
   )
   INSERT INTO tokens (user_id, purpose, token_hash, expires_at, subject, asked_at)
   SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT ok FROM allowed)
   RETURNING 1`,
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
        AND ${NOT_VOIDED('tokens.user_id', 'tokens.asked_at')}
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

  /** Stores the tokens not void already; returns the hashes of those stored. */
  async insertMany(tokens: readonly NewToken[]): Promise<Set<string>> {
    const rows = await this.db.query<{ token_hash: Buffer }>(INSERT, [
      tokens.map((t) => t.userId),
      tokens.map((t) => t.purpose),
      tokens.map((t) => t.tokenHash),
      tokens.map((t) => t.expiresAt),
      tokens.map((t) => t.subject),
      tokens.map((t) => t.askedAt),
    ]);
    return new Set(rows.map((row) => row.token_hash.toString('hex')));
  }

  /**
   * Stores a code and voids the user's open codes of the purpose with the same subject (asked for by
   * the same requester); false, storing nothing, when the code is void already.
   */
  async insertCode(code: NewToken): Promise<boolean> {
    const { userId, purpose, tokenHash, expiresAt, subject, askedAt } = code;
    return (await this.db.query(INSERT_CODE, [userId, purpose, tokenHash, expiresAt, subject, askedAt])).length > 0;
  }

  async lockCredentials(tx: Tx, userId: string): Promise<string> {
    return (await tx.query<{ version: string }>(LOCK_CREDENTIALS, [userId]))[0].version;
  }

  async markCredentialsChanged(tx: Tx, userId: string): Promise<void> {
    await tx.query(MARK_CREDENTIALS_CHANGED, [userId]);
  }

  async credentialsVersion(userId: string): Promise<string> {
    return (await this.db.query<{ version: string }>(CREDENTIALS_VERSION, [userId]))[0].version;
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
