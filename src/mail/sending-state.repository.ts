import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';

export interface AutoPauseRow {
  pausedAt: Date | null;
  reason: string | null;
  resumedAt: Date | null;
}

const READ = statement('mail.sending-state.read', `SELECT paused_at, pause_reason, resumed_at FROM ses_sending_state WHERE id = 1`);
const PAUSE = statement(
  'mail.sending-state.pause',
  `UPDATE ses_sending_state SET paused_at = now(), pause_reason = $1 WHERE id = 1 AND paused_at IS NULL RETURNING 1`,
);
const RESUME = statement(
  'mail.sending-state.resume',
  `UPDATE ses_sending_state SET paused_at = NULL, pause_reason = NULL, resumed_at = now() WHERE id = 1 RETURNING 1`,
);
const SET_FLAG = statement(
  'mail.shared-flags.set',
  `INSERT INTO shared_flags (key, value, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
   ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
);
const GET_FLAG = statement('mail.shared-flags.get', `SELECT value FROM shared_flags WHERE key = $1 AND expires_at > now()`);
const CLEAR_FLAG = statement('mail.shared-flags.clear', `DELETE FROM shared_flags WHERE key = $1`);

/**
 * Whether Mail may send: the automatic pause (ses_sending_state, one row) and, with
 * QUEUE_BACKEND=postgres, the expiring flags that Redis keeps otherwise (shared_flags).
 */
@Injectable()
export class SendingStateRepository {
  constructor(private readonly db: DatabaseService) {}

  async autoPause(): Promise<AutoPauseRow> {
    const [row] = await this.db.query<{ paused_at: Date | null; pause_reason: string | null; resumed_at: Date | null }>(READ, []);
    return { pausedAt: row?.paused_at ?? null, reason: row?.pause_reason ?? null, resumedAt: row?.resumed_at ?? null };
  }

  /** True when this call paused (it was not paused already). */
  async pauseAutomatically(reason: string): Promise<boolean> {
    return (await this.db.query(PAUSE, [reason])).length > 0;
  }

  async resumeAutomaticPause(): Promise<void> {
    await this.db.query(RESUME, []);
  }

  async setFlag(key: string, value: string, ttlMs: number): Promise<void> {
    await this.db.query(SET_FLAG, [key, value, ttlMs]);
  }

  async flag(key: string): Promise<string | null> {
    return (await this.db.query<{ value: string }>(GET_FLAG, [key]))[0]?.value ?? null;
  }

  async clearFlag(key: string): Promise<void> {
    await this.db.query(CLEAR_FLAG, [key]);
  }
}
