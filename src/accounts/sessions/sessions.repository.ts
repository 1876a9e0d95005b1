import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';
import type { Tx } from '../../database/tx.js';

export interface SessionRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  user_agent: string | null;
}

const CREATE = statement(
  'sessions.create',
  `INSERT INTO sessions (user_id, token_hash, user_agent, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
);
// Finds a live session and records its use, in one statement: idle and absolute expiry both checked.
const TOUCH = statement(
  'sessions.touch',
  `UPDATE sessions SET last_seen_at = now()
    WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2)
   RETURNING id, user_id`,
);
const LIST = statement(
  'sessions.list',
  `SELECT id, created_at, last_seen_at, expires_at, user_agent FROM sessions
    WHERE user_id = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2)
    ORDER BY last_seen_at DESC`,
);
const IS_LIVE = statement('sessions.is-live', `SELECT 1 FROM sessions WHERE id = $1 AND expires_at > now() FOR SHARE`);
const REVOKE_ONE = statement('sessions.revoke-one', `DELETE FROM sessions WHERE id = $1`);
const REVOKE_ALL = statement('sessions.revoke-all', `DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2`);
const PURGE = statement(
  'sessions.purge',
  `DELETE FROM sessions WHERE id IN (
     SELECT id FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1) LIMIT $2)
   RETURNING 1`,
);

/** The sessions table: SHA-256 hashes of session tokens, never a token. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: DatabaseService) {}

  async create(tx: Tx, userId: string, tokenHash: Buffer, userAgent: string | null, expiresAt: Date): Promise<string> {
    return (await tx.query<{ id: string }>(CREATE, [userId, tokenHash, userAgent, expiresAt]))[0].id;
  }

  /** Whether the session still exists (not revoked nor past its age), kept so until the transaction ends. */
  async isLive(tx: Tx, sessionId: string): Promise<boolean> {
    return (await tx.query(IS_LIVE, [sessionId])).length > 0;
  }

  async touch(tokenHash: Buffer, idleSeconds: number): Promise<{ id: string; userId: string } | null> {
    const [row] = await this.db.query<{ id: string; user_id: string }>(TOUCH, [tokenHash, idleSeconds]);
    return row ? { id: row.id, userId: row.user_id } : null;
  }

  list(userId: string, idleSeconds: number): Promise<SessionRow[]> {
    return this.db.query<SessionRow>(LIST, [userId, idleSeconds]);
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.query(REVOKE_ONE, [sessionId]);
  }

  /** Every session of the user but `except` (none spared when null); in the caller's transaction when given. */
  async revokeAll(userId: string, except: string | null, tx?: Tx): Promise<void> {
    await (tx ?? this.db).query(REVOKE_ALL, [userId, except]);
  }

  async purge(idleSeconds: number, limit: number): Promise<number> {
    return (await this.db.query(PURGE, [idleSeconds, limit])).length;
  }
}
