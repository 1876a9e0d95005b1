import { Expose, Transform } from 'class-transformer';
import { Validate } from 'class-validator';
import type { Environment } from '../config/environment.js';
import {
  DEFAULT_RETRY_SCHEDULE,
  RetrySchedule,
  splitList,
  toEventList,
  toSchedule,
  WebhookEventNames,
  WebhookSecrets,
  WebhookUrls,
  webhookUrlProblem,
} from './webhook-config.js';

/** Webhook endpoints, secrets, event types and retries. Validated at start-up with the rest (config/load-config.ts). */
export class WebhooksSettings {
  /** Endpoints that receive every webhook event (comma-separated); none = no webhooks. */
  @Expose()
  @Transform(splitList(/,/))
  @Validate(WebhookUrls)
  WEBHOOK_URLS: string[] = [];

  /** Standard Webhooks secrets (`whsec_…`, space-separated): every delivery is signed with each. */
  @Expose()
  @Transform(splitList(/\s+/))
  @Validate(WebhookSecrets)
  WEBHOOK_SECRET: string[] = [];

  /** Event types to send (comma-separated); unset = all. */
  @Expose()
  @Transform(toEventList)
  @Validate(WebhookEventNames)
  WEBHOOK_EVENTS?: string[];

  /** Delays in seconds between delivery attempts; a delivery is given up after one attempt more than there are delays. */
  @Expose()
  @Transform(toSchedule)
  @Validate(RetrySchedule)
  WEBHOOK_RETRY_SCHEDULE: number[] = DEFAULT_RETRY_SCHEDULE;

  /** http: is for loopback receivers outside production only. */
  static problem(env: Environment): string | null {
    if (env.NODE_ENV !== 'production') return null;
    for (const [i, entry] of env.WEBHOOK_URLS.entries()) {
      const problem = webhookUrlProblem(entry, true, i + 1);
      if (problem) return `WEBHOOK_URLS must be comma-separated https URLs: ${problem}`;
    }
    return null;
  }
}

// Every module's settings are read through the one Environment the loader builds from them.
declare module '../config/environment.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Environment extends WebhooksSettings {}
}
