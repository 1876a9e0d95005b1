import { Injectable } from '@nestjs/common';
import { Environment } from '../../config/environment.js';
import { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';
import type { Tx } from '../../database/tx.js';
import { generateToken, hashToken, isWellFormedToken } from '../../tokens/token-crypto.js';

/** A signed-in request's session: its row id (never the token) and its user. */
export interface CurrentSession {
  id: string;
  userId: string;
}

export interface SessionInfo {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
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
const REVOKE_ONE = statement('sessions.revoke-one', `DELETE FROM sessions WHERE id = $1`);
const REVOKE_ALL = statement('sessions.revoke-all', `DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2`);
const PURGE = statement(
  'sessions.purge',
  `DELETE FROM sessions WHERE id IN (
     SELECT id FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1) LIMIT $2)
   RETURNING 1`,
);

/**
 * Server-side sessions: a random 256-bit token given to the client once, only its SHA-256 stored;
 * ended by idle time (SESSION_IDLE_SECONDS), age (SESSION_MAX_SECONDS) or revocation (the row deleted).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly env: Environment,
  ) {}

  async create(userId: string, userAgent: string | undefined): Promise<{ token: string; expiresAt: Date; id: string }> {
    const token = generateToken();
    const expiresAt = new Date(Date.now() + this.env.SESSION_MAX_SECONDS * 1000);
    const agent = userAgent ? userAgent.slice(0, 256) : null;
    const [row] = await this.db.query<{ id: string }>(CREATE, [userId, hashToken(token), agent, expiresAt]);
    return { token, expiresAt, id: row.id };
  }

  /** The live session of a token, now marked as seen; null for anything else. */
  async authenticate(token: string | undefined): Promise<CurrentSession | null> {
    if (!isWellFormedToken(token)) return null;
    const [row] = await this.db.query<{ id: string; user_id: string }>(TOUCH, [hashToken(token), this.env.SESSION_IDLE_SECONDS]);
    return row ? { id: row.id, userId: row.user_id } : null;
  }

  async list(userId: string): Promise<SessionInfo[]> {
    const rows = await this.db.query<{ id: string; created_at: Date; last_seen_at: Date; expires_at: Date; user_agent: string | null }>(
      LIST,
      [userId, this.env.SESSION_IDLE_SECONDS],
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      userAgent: r.user_agent,
    }));
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.query(REVOKE_ONE, [sessionId]);
  }

  /** Ends every session of the signed-in user but this one. */
  async revokeOthers(session: CurrentSession): Promise<void> {
    await this.db.query(REVOKE_ALL, [session.userId, session.id]);
  }

  /** Ends every session of the user but `except` (none spared when it is undefined), with the caller's change. */
  async revokeAll(tx: Tx, userId: string, except?: string): Promise<void> {
    await tx.query(REVOKE_ALL, [userId, except ?? null]);
  }

  /** Deletes up to `limit` expired sessions; returns how many. */
  async purgeExpired(limit: number): Promise<number> {
    return (await this.db.query(PURGE, [this.env.SESSION_IDLE_SECONDS, limit])).length;
  }
}
