import { Injectable } from '@nestjs/common';
import { newId } from '../common/new-id.js';
import { DatabaseService } from '../database/database.service.js';
import { statement } from '../database/statement.js';
import type { Tx } from '../database/tx.js';
import type { WebhookJobData } from '../queue/jobs.js';
import { RelayedTable, relayStatements, type RelayedRow } from '../queue/outbox-relay.js';
import type { WebhookPayload } from './webhook-event.js';
import type { DeliveryStatus, WebhookDelivery } from './webhook-delivery.js';

interface DeliveryRow {
  id: string;
  type: string;
  endpoint: string;
  payload: WebhookPayload;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  generation: number;
  created_at: Date;
  delivered_at: Date | null;
}

const COLUMNS = `id, type, endpoint, payload, status, attempts, last_error, next_attempt_at, generation, created_at, delivered_at`;

/**
 * One row per (payload, endpoint): the i-th payload goes to every endpoint. $1 the ids (one per row),
 * $2 the type, $3 the payloads, $4 the endpoints. `data.locale` is the user's language (CONTRACT.md,
 * Languages), read from the user row in this same statement unless the fact carried it (a deleted user's).
 */
const INSERT = statement(
  'webhooks.insert',
  `INSERT INTO webhook_deliveries (id, type, endpoint, payload)
   SELECT ids[n::int], $2, e.endpoint,
          CASE WHEN p.payload->'data' ? 'locale' OR u.locale IS NULL THEN p.payload
               ELSE jsonb_set(p.payload, '{data,locale}', to_jsonb(u.locale)) END
     FROM unnest($3::jsonb[]) WITH ORDINALITY AS p(payload, i)
     LEFT JOIN users u
       ON u.id = CASE WHEN p.payload->'data'->>'userId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                      THEN (p.payload->'data'->>'userId')::uuid END
    CROSS JOIN unnest($4::text[]) WITH ORDINALITY AS e(endpoint, j)
    CROSS JOIN LATERAL (SELECT $1::uuid[] AS ids, (p.i - 1) * cardinality($4::text[]) + e.j AS n) k`,
);
const UNSETTLED = `status = 'pending'`;
// Pending deliveries not enqueued yet, except those of a disabled endpoint: they stay held until an admin re-enables it.
const CLAIM_UNQUEUED = statement(
  'webhooks.claim-unqueued',
  `SELECT id, generation, type FROM webhook_deliveries o
    WHERE enqueued_at IS NULL AND ${UNSETTLED}
      AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.url = o.endpoint AND e.disabled_at IS NOT NULL)
    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
);
const RELAY = relayStatements('webhooks', 'webhook_deliveries', `o.${UNSETTLED}`);
// The processor decides when a delivery is given up (WEBHOOK_RETRY_SCHEDULE); BullMQ only waits the
// delay the processor chose. This bound only stops a job that somehow never settles.
const JOB_ATTEMPTS = 100;

const FIND = statement('webhooks.find', `SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`);
// Every outcome is recorded only for the generation the job was made for, and only while pending.
const MARK_SENT = statement(
  'webhooks.mark-sent',
  `UPDATE webhook_deliveries SET status = 'sent', attempts = attempts + 1, delivered_at = now(), last_error = NULL, next_attempt_at = NULL
    WHERE id = $1 AND generation = $2 AND status = 'pending' RETURNING 1`,
);
const RECORD_RETRY = statement(
  'webhooks.record-retry',
  `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $3, next_attempt_at = $4
    WHERE id = $1 AND generation = $2 AND status = 'pending' RETURNING 1`,
);
const MARK_FAILED = statement(
  'webhooks.mark-failed',
  `UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + $4, last_error = $3, next_attempt_at = NULL, failed_at = now()
    WHERE id = $1 AND generation = $2 AND status = 'pending' RETURNING 1`,
);
// Held: back to the relay under a new generation, which skips it while the endpoint is disabled.
const HOLD = statement(
  'webhooks.hold',
  `UPDATE webhook_deliveries SET enqueued_at = NULL, generation = generation + 1, attempts = attempts + $4,
          last_error = coalesce($3, last_error), next_attempt_at = NULL
    WHERE id = $1 AND generation = $2 AND status = 'pending' RETURNING 1`,
);
const DISABLE_ENDPOINT = statement(
  'webhooks.disable-endpoint',
  `INSERT INTO webhook_endpoints (url, disabled_at, disabled_reason) VALUES ($1, now(), $2)
   ON CONFLICT (url) DO UPDATE SET disabled_at = coalesce(webhook_endpoints.disabled_at, now()), disabled_reason = $2`,
);
const IS_DISABLED = statement('webhooks.is-disabled', `SELECT 1 FROM webhook_endpoints WHERE url = $1 AND disabled_at IS NOT NULL`);
const OLDEST_PENDING = statement(
  'webhooks.oldest-pending',
  `SELECT min(created_at) AS oldest FROM webhook_deliveries WHERE status = 'pending'`,
);
// The funnel's figures (GET /api/admin/stats): deliveries waiting (held ones too) and failed for good.
const WAITING_AND_FAILED = statement(
  'webhooks.waiting-and-failed',
  `SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS waiting,
          (SELECT count(*) FROM webhook_deliveries WHERE status = 'failed')::int AS failed`,
);
const PURGE = statement(
  'webhooks.purge',
  `DELETE FROM webhook_deliveries WHERE id IN (
     SELECT id FROM webhook_deliveries WHERE coalesce(delivered_at, failed_at) < $1 LIMIT $2)
   RETURNING 1`,
);
const ENABLE_ENDPOINT = statement(
  'webhooks.enable-endpoint',
  `UPDATE webhook_endpoints SET disabled_at = NULL WHERE url = $1 AND disabled_at IS NOT NULL RETURNING 1`,
);
const DISABLED_ENDPOINTS = statement(
  'webhooks.disabled-endpoints',
  `SELECT url, disabled_at, disabled_reason FROM webhook_endpoints WHERE disabled_at IS NOT NULL ORDER BY url`,
);
const LIST = statement(
  'webhooks.list',
  `SELECT ${COLUMNS} FROM webhook_deliveries
    WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR type = $2)
    ORDER BY created_at DESC, id DESC LIMIT $3`,
);
const RETRY = statement(
  'webhooks.retry',
  `UPDATE webhook_deliveries SET status = 'pending', enqueued_at = NULL, generation = generation + 1, next_attempt_at = NULL,
          delivered_at = NULL, failed_at = NULL
    WHERE id = $1 RETURNING 1`,
);

/** The Webhooks module's own tables: deliveries and endpoint states. No other module reads or writes them. */
@Injectable()
export class WebhookDeliveriesRepository extends RelayedTable {
  readonly noun = 'webhook delivery(ies)';

  constructor(db: DatabaseService) {
    super(db, RELAY);
  }

  /** One row per (payload, endpoint), in the caller's transaction. */
  async insert(tx: Tx, type: string, payloads: readonly string[], endpoints: readonly string[]): Promise<void> {
    await tx.query(INSERT, [payloads.flatMap(() => endpoints.map(() => newId())), type, payloads, endpoints]);
  }

  /**
   * A CTE named `<prefix>published` inserting one delivery per endpoint for each row of `source`
   * where `when` holds (at most one row), its data read from the columns: $1 the ids (one per
   * endpoint), $2 the type, $3 the endpoints, $4 the timestamp. `wrote`: when it inserted.
   */
  insertFromRows(
    prefix: string,
    source: string,
    when: string,
    columns: Readonly<Record<string, string>>,
  ): { ctes: Array<[string, string]>; wrote: string } {
    const data = Object.entries(columns).map(([field, column]) => `'${field}', s."${column}"`);
    const sql = `INSERT INTO webhook_deliveries (id, type, endpoint, payload)
            SELECT ($1::uuid[])[e.j], $2::text, e.endpoint,
                   jsonb_build_object('type', $2::text, 'timestamp', $4::text, 'data', jsonb_build_object(${data.join(', ')}))
              FROM "${source}" s CROSS JOIN unnest($3::text[]) WITH ORDINALITY AS e(endpoint, j)
             WHERE s."${when}"`;
    return { ctes: [[`${prefix}published`, sql]], wrote: `EXISTS (SELECT 1 FROM "${source}" WHERE "${when}")` };
  }

  fromRowsValues(type: string, timestamp: string, endpoints: readonly string[]): unknown[] {
    return [endpoints.map(() => newId()), type, endpoints, timestamp];
  }

  async claimUnqueued(tx: Tx, limit: number): Promise<RelayedRow[]> {
    const rows = await tx.query<{ id: string; generation: number; type: string }>(CLAIM_UNQUEUED, [limit]);
    return rows.map((row) => ({
      id: row.id,
      generation: row.generation,
      job: {
        name: row.type,
        data: { deliveryId: row.id, generation: row.generation } satisfies WebhookJobData,
        opts: { attempts: JOB_ATTEMPTS, backoff: { type: 'webhook' } },
      },
    }));
  }

  async find(id: string): Promise<WebhookDelivery | null> {
    const [row] = await this.db.query<DeliveryRow>(FIND, [id]);
    return row ? toDelivery(row) : null;
  }

  async markSent(d: WebhookDelivery): Promise<boolean> {
    return (await this.db.query(MARK_SENT, [d.id, d.generation])).length > 0;
  }

  async recordRetry(d: WebhookDelivery, error: string, nextAttemptAt: Date): Promise<boolean> {
    return (await this.db.query(RECORD_RETRY, [d.id, d.generation, error, nextAttemptAt])).length > 0;
  }

  async markFailed(d: WebhookDelivery, error: string, attempted: boolean): Promise<boolean> {
    return (await this.db.query(MARK_FAILED, [d.id, d.generation, error, attempted ? 1 : 0])).length > 0;
  }

  async hold(d: WebhookDelivery, error: string | null, attempted: boolean): Promise<boolean> {
    return (await this.db.query(HOLD, [d.id, d.generation, error, attempted ? 1 : 0])).length > 0;
  }

  async disableEndpoint(url: string, reason: string): Promise<void> {
    await this.db.query(DISABLE_ENDPOINT, [url, reason]);
  }

  async isDisabled(url: string): Promise<boolean> {
    return (await this.db.query(IS_DISABLED, [url])).length > 0;
  }

  /** Returns whether the endpoint was disabled. */
  async enableEndpoint(url: string): Promise<boolean> {
    const rows = await this.db.query(ENABLE_ENDPOINT, [url]);
    return rows.length > 0;
  }

  async disabledEndpoints(): Promise<Array<{ url: string; disabledAt: Date; reason: string | null }>> {
    const rows = await this.db.query<{ url: string; disabled_at: Date; disabled_reason: string | null }>(DISABLED_ENDPOINTS, []);
    return rows.map((r) => ({ url: r.url, disabledAt: r.disabled_at, reason: r.disabled_reason }));
  }

  /** Newest first. */
  async list(filter: { status?: DeliveryStatus; type?: string; limit: number }): Promise<WebhookDelivery[]> {
    const rows = await this.db.query<DeliveryRow>(LIST, [filter.status ?? null, filter.type ?? null, filter.limit]);
    return rows.map(toDelivery);
  }

  /**
   * Sends a delivery again, whatever its state, under a new generation (so a new job id; a job of
   * the old one is skipped); returns whether it exists.
   */
  async retry(id: string): Promise<boolean> {
    const rows = await this.db.query(RETRY, [id]);
    return rows.length > 0;
  }

  async waitingAndFailed(): Promise<{ waiting: number; failed: number }> {
    const [row] = await this.db.query<{ waiting: number; failed: number }>(WAITING_AND_FAILED, []);
    return row;
  }

  async oldestPending(): Promise<Date | null> {
    const [row] = await this.db.query<{ oldest: Date | null }>(OLDEST_PENDING, []);
    return row?.oldest ?? null;
  }

  /** Deletes up to `limit` deliveries sent or failed and created before `cutoff`; returns how many. */
  async purge(cutoff: Date, limit: number): Promise<number> {
    return (await this.db.query(PURGE, [cutoff, limit])).length;
  }
}

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  type: row.type,
  endpoint: row.endpoint,
  payload: row.payload,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  nextAttemptAt: row.next_attempt_at,
  generation: row.generation,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
});
