import { Injectable, Logger } from '@nestjs/common';
import type { RequestContext } from '../common/request-context.js';
import { Environment } from '../config/environment.js';
import { MailService } from '../mail/mail.service.js';
import { SendingPauseService } from '../mail/sending-pause.service.js';
import { SesFeedbackRepository } from './ses-feedback.repository.js';

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

  constructor(
    private readonly env: Environment,
    private readonly feedback: SesFeedbackRepository,
    private readonly mail: MailService,
    private readonly sending: SendingPauseService,
  ) {}

  /** The current rates and state, read at most once a second. */
  state(): Promise<ReputationState> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.state;
    const state = this.read();
    state.catch(() => (this.cached = undefined));
    this.cached = { at: Date.now(), state };
    return state;
  }

  /** Reads the rates afresh and, with SES_AUTO_PAUSE, pauses sending when they cross a pause level. */
  async evaluate(): Promise<ReputationState> {
    this.cached = undefined;
    const state = await this.state();
    if (!this.env.SES_AUTO_PAUSE || state.autoPaused) return state;
    const reason = this.pauseReason(state.sinceResume);
    if (reason && (await this.sending.pauseAutomatically(reason))) {
      this.logger.error(`Sending paused automatically: ${reason}. Resume with POST /api/admin/sending/resume once the cause is fixed`);
      this.cached = undefined;
      return this.state();
    }
    return state;
  }

  /** Ends an automatic pause (admin). Rates are judged afresh from the sends after it. */
  async resume(context: RequestContext): Promise<void> {
    await this.sending.resumeAutomaticPause(context);
    this.cached = undefined;
  }

  private async read(): Promise<ReputationState> {
    const pause = await this.sending.autoPauseState();
    const resumedAt = pause.resumedAt;
    const win = await this.mail.recentSends(this.env.SES_REPUTATION_WINDOW, resumedAt);
    const fb = await this.feedback.rates(win.since ?? new Date(), resumedAt);
    const all = rates(win.sends, fb.bounces, fb.complaints);
    const enoughSends = all.sends >= this.env.SES_REPUTATION_MIN_SENDS;
    return {
      ...all,
      enoughSends,
      warning: enoughSends ? this.warningReason(all) : null,
      autoPaused: pause.pausedAt ? { since: pause.pausedAt, reason: pause.reason ?? '' } : null,
      sinceResume: { ...rates(win.sendsAfter, fb.bouncesAfter, fb.complaintsAfter), since: resumedAt },
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
