import type { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';

const FORGET_DELIVERIES = statement('webhooks.test.forget-deliveries', `DELETE FROM webhook_deliveries`);
const AGE_DELIVERIES = statement(
  'webhooks.test.age-deliveries',
  `UPDATE webhook_deliveries SET created_at = created_at - make_interval(days => $1),
          delivered_at = delivered_at - make_interval(days => $1), failed_at = failed_at - make_interval(days => $1)`,
);
const FORGET_ENDPOINTS = statement('webhooks.test.forget-endpoints', `DELETE FROM webhook_endpoints`);
// What the relay would claim next (see the repository's CLAIM_UNQUEUED): pending, not enqueued, its endpoint enabled.
const UNQUEUED = statement(
  'webhooks.test.unqueued',
  `SELECT count(*)::int AS count FROM webhook_deliveries o
    WHERE enqueued_at IS NULL AND status = 'pending'
      AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.url = o.endpoint AND e.disabled_at IS NOT NULL)`,
);
const FAILED_DELIVERY = statement(
  'webhooks.test.failed-delivery',
  `INSERT INTO webhook_deliveries (id, type, endpoint, payload, status, attempts, last_error, failed_at)
   VALUES (gen_random_uuid(), $2, $1, '{}', 'failed', 8, 'HTTP 500', now())
   RETURNING id`,
);
const DISABLE_ENDPOINT = statement(
  'webhooks.test.disable-endpoint',
  `INSERT INTO webhook_endpoints (url, disabled_at, disabled_reason) VALUES ($1, now(), $2)
   ON CONFLICT (url) DO UPDATE SET disabled_at = now(), disabled_reason = $2`,
);

/**
 * For tests only (never registered in a module): Webhooks' tables as no API shows or changes them.
 * Built from the app's DatabaseService: `new WebhooksTestApi(app.get(DatabaseService))`.
 */
export class WebhooksTestApi {
  constructor(private readonly db: DatabaseService) {}

  /** Forgets every delivery and every disabled endpoint. */
  async forgetEverything(): Promise<void> {
    await this.db.query(FORGET_DELIVERIES, []);
    await this.db.query(FORGET_ENDPOINTS, []);
  }

  /** Deliveries the relay has yet to hand to the queue (held ones, of a disabled endpoint, do not count). */
  async unqueuedCount(): Promise<number> {
    return (await this.db.query<{ count: number }>(UNQUEUED, []))[0].count;
  }

  /** A delivery of `type` to `endpoint` that gave up after its retries, as after a receiver that kept failing; returns its id. */
  async failedDelivery(endpoint: string, type: string): Promise<string> {
    return (await this.db.query<{ id: string }>(FAILED_DELIVERY, [endpoint, type]))[0].id;
  }

  /** Disables the endpoint, as a 410 from it does. */
  async disableEndpoint(url: string, reason: string): Promise<void> {
    await this.db.query(DISABLE_ENDPOINT, [url, reason]);
  }

  /** As if everything that happened to every delivery had happened `days` earlier. */
  async ageDeliveries(days: number): Promise<void> {
    await this.db.query(AGE_DELIVERIES, [days]);
  }
}
