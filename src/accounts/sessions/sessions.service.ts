import { Injectable } from '@nestjs/common';
import { Environment } from '../../config/environment.js';
import type { Tx } from '../../database/tx.js';
import { generateToken, hashToken, isWellFormedToken } from '../../tokens/token-crypto.js';
import { SessionsRepository } from './sessions.repository.js';

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

/**
 * Server-side sessions: a random 256-bit token given to the client once, only its SHA-256 stored;
 * ended by idle time (SESSION_IDLE_SECONDS), age (SESSION_MAX_SECONDS) or revocation (the row deleted).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly env: Environment,
  ) {}

  async create(tx: Tx, userId: string, userAgent: string | undefined): Promise<{ token: string; expiresAt: Date; id: string }> {
    const token = generateToken();
    const expiresAt = new Date(Date.now() + this.env.SESSION_MAX_SECONDS * 1000);
    const id = await this.sessions.create(tx, userId, hashToken(token), userAgent ? userAgent.slice(0, 256) : null, expiresAt);
    return { token, expiresAt, id };
  }

  /** Whether the session was not revoked meanwhile; it stays so until the transaction ends. */
  isLive(tx: Tx, session: CurrentSession): Promise<boolean> {
    return this.sessions.isLive(tx, session.id);
  }

  /** The live session of a token, now marked as seen; null for anything else. */
  async authenticate(token: string | undefined): Promise<CurrentSession | null> {
    if (!isWellFormedToken(token)) return null;
    return this.sessions.touch(hashToken(token), this.env.SESSION_IDLE_SECONDS);
  }

  async list(userId: string): Promise<SessionInfo[]> {
    const rows = await this.sessions.list(userId, this.env.SESSION_IDLE_SECONDS);
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      userAgent: r.user_agent,
    }));
  }

  revoke(sessionId: string): Promise<void> {
    return this.sessions.revoke(sessionId);
  }

  /** Ends every session of the signed-in user but this one. */
  revokeOthers(session: CurrentSession): Promise<void> {
    return this.sessions.revokeAll(session.userId, session.id);
  }

  /** Ends every session of the user but `except` (none spared when null), with the caller's change. */
  revokeAll(tx: Tx, userId: string, except: string | null): Promise<void> {
    return this.sessions.revokeAll(userId, except, tx);
  }

  /** Deletes up to `limit` ended sessions; returns how many. */
  purgeExpired(limit: number): Promise<number> {
    return this.sessions.purge(this.env.SESSION_IDLE_SECONDS, limit);
  }
}
