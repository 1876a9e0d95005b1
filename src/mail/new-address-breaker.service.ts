import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import { OutboxRepository } from './outbox.repository.js';

const CACHE_MS = 1000;

export interface BreakerState {
  /** NEW_ADDRESS_EMAILS_PER_MINUTE; 0 when the breaker is off. */
  limit: number;
  sentLastMinute: number;
  tripped: boolean;
}

/**
 * A global brake on emails to addresses never seen before: a flood of sign-ups with random or
 * stolen addresses (bounces, complaints, a paused SES account) is held back rather than sent, while
 * sign-ups keep being accepted. Counted in PostgreSQL over the last minute, by all workers together;
 * each process re-reads the count at most once a second and counts its own admissions in between,
 * so several workers may pass the limit by what the others admitted within that second.
 */
@Injectable()
export class NewAddressBreaker {
  private cached?: { at: number; state: Promise<BreakerState> };
  /** Emails this process admitted since the count was last read. */
  private admittedSinceRead = 0;

  constructor(
    private readonly env: Environment,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Whether one more email to a never-seen address may go now; counts it if so. */
  async admit(): Promise<boolean> {
    const { limit, sentLastMinute } = await this.state();
    if (limit === 0) return true;
    if (sentLastMinute + this.admittedSinceRead >= limit) return false;
    this.admittedSinceRead++;
    return true;
  }

  state(): Promise<BreakerState> {
    const limit = this.env.NEW_ADDRESS_EMAILS_PER_MINUTE;
    if (limit === 0) return Promise.resolve({ limit, sentLastMinute: 0, tripped: false });
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.state;
    const state = this.outbox.sentToNewAddressesLastMinute().then((count) => ({
      limit,
      sentLastMinute: count,
      tripped: count >= limit,
    }));
    state.catch(() => (this.cached = undefined));
    this.cached = { at: Date.now(), state };
    this.admittedSinceRead = 0;
    return state;
  }
}
