import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Environment } from '../config/environment.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import { SENDING_AUTO_PAUSED, SendingAutoPausedEvent } from './events/ses-feedback.events.js';

// The window: the most recent SES_REPUTATION_WINDOW emails that finished (read from Mail's outbox,
// through its index on finish time), of which the sent ones count. `after` (the last resume) lets
// the automatic pause look only at what was sent since.
const WINDOW = statement(
  'ses.reputation.window',
  `WITH recent AS (
     SELECT sent_at FROM mail_outbox
      WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL
      ORDER BY coalesce(sent_at, failed_at) DESC LIMIT $1)
   SELECT count(sent_at)::int AS sends,
          min(sent_at) AS since,
          count(sent_at) FILTER (WHERE $2::timestamptz IS NULL OR sent_at > $2)::int AS sends_after
     FROM recent`,
);
// Bounces and complaints of emails sent within the window, each email once (an SNS message seen
// on both the HTTPS and the SQS path is one bounce).
const FEEDBACK = statement(
  'ses.reputation.feedback',
  `SELECT count(DISTINCT ses_message_id) FILTER (WHERE kind = 'bounce')::int AS bounces,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'complaint')::int AS complaints,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'bounce' AND ($2::timestamptz IS NULL OR mail_sent_at > $2))::int AS bounces_after,
          count(DISTINCT ses_message_id) FILTER (WHERE kind = 'complaint' AND ($2::timestamptz IS NULL OR mail_sent_at > $2))::int AS complaints_after
     FROM ses_feedback_events WHERE counts_for_rate AND mail_sent_at >= $1`,
);
const STATE = statement('ses.sending-state.read', `SELECT paused_at, pause_reason, resumed_at FROM ses_sending_state WHERE id = 1`);
const PAUSE = statement(
  'ses.sending-state.pause',
  `UPDATE ses_sending_state SET paused_at = now(), pause_reason = $1 WHERE id = 1 AND paused_at IS NULL RETURNING 1`,
);
const RESUME = statement(
  'ses.sending-state.resume',
  `UPDATE ses_sending_state SET paused_at = NULL, pause_reason = NULL, resumed_at = now() WHERE id = 1 RETURNING 1`,
);

const CACHE_MS = 1000;

export interface Rates {
  sends: number;
  bounces: number;
  complaints: number;
  bounceRate: number;
  complaintRate: number;
}

export interface ReputationState extends Rates {
  /** Too few sends in the window to judge (SES_REPUTATION_MIN_SENDS). */
  enoughSends: boolean;
  /** Why the rates are over a warning level, or null. */
  warning: string | null;
  /** Set while sending is paused automatically: since when and why. */
  autoPaused: { since: Date; reason: string } | null;
  /** Rates over what was sent since the last resume: what the automatic pause looks at. */
  sinceResume: Rates & { since: Date | null };
}

const percent = (rate: number) => `${(rate * 100).toFixed(2).replace(/\.?0+$/, '')} %`;
const rates = (sends: number, bounces: number, complaints: number): Rates => ({
  sends,
  bounces,
  complaints,
  bounceRate: sends > 0 ? bounces / sends : 0,
  complaintRate: sends > 0 ? complaints / sends : 0,
});

/**
 * Bounce and complaint rates over the most recent sends, against warning levels below the ones at
 * which AWS reviews the account (5 %, 0.1 %) and pause levels below the ones at which it pauses it
 * (10 %, 0.5 %). With SES_AUTO_PAUSE=true, crossing a pause level stops sending for every worker
 * (the state is in PostgreSQL) until an admin resumes.
 */
@Injectable()
export class ReputationGuard {
  private readonly logger = new Logger(ReputationGuard.name);
  private cached?: { at: number; state: Promise<ReputationState> };
  private pauseCache?: { at: number; paused: Promise<boolean> };

  constructor(
    private readonly env: Environment,
    private readonly db: DatabaseService,
    private readonly events: EventEmitter2,
  ) {}

  /** The current rates and state, read at most once a second. */
  state(): Promise<ReputationState> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.state;
    const state = this.read();
    state.catch(() => (this.cached = undefined));
    this.cached = { at: Date.now(), state };
    return state;
  }

  /** Whether sending is paused automatically; the worker asks before every send (read at most once a second). */
  isAutoPaused(): Promise<boolean> {
    if (this.pauseCache && Date.now() - this.pauseCache.at < CACHE_MS) return this.pauseCache.paused;
    const paused = this.db.query<{ paused_at: Date | null }>(STATE, []).then(([row]) => row?.paused_at != null);
    paused.catch(() => (this.pauseCache = undefined));
    this.pauseCache = { at: Date.now(), paused };
    return paused;
  }

  /** Reads the rates afresh and, with SES_AUTO_PAUSE, pauses sending when they cross a pause level. */
  async evaluate(): Promise<ReputationState> {
    this.cached = undefined;
    const state = await this.state();
    if (!this.env.SES_AUTO_PAUSE || state.autoPaused) return state;
    const reason = this.pauseReason(state.sinceResume);
    if (reason && (await this.db.query(PAUSE, [reason])).length > 0) {
      this.logger.error(`Sending paused automatically: ${reason}. Resume with POST /api/admin/sending/resume once the cause is fixed`);
      this.events.emit(SENDING_AUTO_PAUSED, new SendingAutoPausedEvent(reason));
      this.cached = this.pauseCache = undefined;
      return this.state();
    }
    return state;
  }

  /** Ends an automatic pause (admin). Rates are judged afresh from the sends after it. */
  async resume(requestId: string): Promise<void> {
    await this.db.query(RESUME, []);
    this.cached = this.pauseCache = undefined;
    this.logger.log({ requestId, msg: 'Sending resumed by an admin' });
  }

  private async read(): Promise<ReputationState> {
    const [sending] = await this.db.query<{ paused_at: Date | null; pause_reason: string | null; resumed_at: Date | null }>(STATE, []);
    const resumedAt = sending?.resumed_at ?? null;
    const [win] = await this.db.query<{ sends: number; since: Date | null; sends_after: number }>(WINDOW, [
      this.env.SES_REPUTATION_WINDOW,
      resumedAt,
    ]);
    const since = win.since ?? new Date();
    const [fb] = await this.db.query<{ bounces: number; complaints: number; bounces_after: number; complaints_after: number }>(FEEDBACK, [
      since,
      resumedAt,
    ]);
    const all = rates(win.sends, fb.bounces, fb.complaints);
    const enoughSends = all.sends >= this.env.SES_REPUTATION_MIN_SENDS;
    return {
      ...all,
      enoughSends,
      warning: enoughSends ? this.warningReason(all) : null,
      autoPaused: sending?.paused_at ? { since: sending.paused_at, reason: sending.pause_reason ?? '' } : null,
      sinceResume: { ...rates(win.sends_after, fb.bounces_after, fb.complaints_after), since: resumedAt },
    };
  }

  private warningReason(r: Rates): string | null {
    const { SES_BOUNCE_WARN_PERCENT: bounce, SES_COMPLAINT_WARN_PERCENT: complaint } = this.env;
    if (r.bounceRate * 100 >= bounce && r.bounces > 0)
      return `bounce rate ${percent(r.bounceRate)} of the last ${r.sends} emails (warning at ${bounce} %)`;
    if (r.complaintRate * 100 >= complaint && r.complaints > 0) {
      return `complaint rate ${percent(r.complaintRate)} of the last ${r.sends} emails (warning at ${complaint} %)`;
    }
    return null;
  }

  private pauseReason(r: Rates): string | null {
    if (r.sends < this.env.SES_REPUTATION_MIN_SENDS) return null;
    const { SES_BOUNCE_PAUSE_PERCENT: bounce, SES_COMPLAINT_PAUSE_PERCENT: complaint } = this.env;
    if (r.bounceRate * 100 >= bounce && r.bounces > 0)
      return `bounce rate ${percent(r.bounceRate)} of ${r.sends} emails (pause level ${bounce} %)`;
    if (r.complaintRate * 100 >= complaint && r.complaints > 0) {
      return `complaint rate ${percent(r.complaintRate)} of ${r.sends} emails (pause level ${complaint} %)`;
    }
    return null;
  }
}
