import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { ColumnOf, Relation, StatementPart } from '../database/composed-statement.js';
import type { Tx } from '../database/tx.js';
import type { DataOf, WebhookPayload } from './webhook-event.js';
import type { RegisteredWebhookEvent } from './webhook-events.js';
import { deliveryValues, insertDeliveriesSql, WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { DeliveryStatus, WebhookDelivery } from './webhook-delivery.js';
import { WebhookError } from './webhook.errors.js';
import { WebhookRelay } from './webhook-relay.service.js';

function payloadsOf<E extends RegisteredWebhookEvent>(event: E, data: ReadonlyArray<DataOf<E>>): string[] {
  const timestamp = new Date().toISOString();
  return data.map((d) => JSON.stringify({ type: event.name, timestamp, data: d } satisfies WebhookPayload));
}

/** What other modules call to tell the adopting application of a change. Only Webhooks knows there is an outbox and a queue. */
@Injectable()
export class WebhooksService {
  private readonly wanted: ReadonlySet<string> | null;

  constructor(
    private readonly env: Environment,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly relay: WebhookRelay,
  ) {
    this.wanted = env.WEBHOOK_EVENTS ? new Set(env.WEBHOOK_EVENTS) : null;
  }

  /**
   * Records the event for every endpoint in the caller's transaction: it is delivered if and only
   * if that transaction commits. Nothing is recorded without WEBHOOK_URLS, or for a type that
   * WEBHOOK_EVENTS leaves out.
   */
  publish<E extends RegisteredWebhookEvent>(tx: Tx, event: E, data: DataOf<E>): Promise<void> {
    return this.publishAll(tx, event, [data]);
  }

  /** The same for several changes of one type at once (one statement). */
  async publishAll<E extends RegisteredWebhookEvent>(tx: Tx, event: E, data: ReadonlyArray<DataOf<E>>): Promise<void> {
    if (!this.publishes(event) || data.length === 0) return;
    await this.deliveries.insert(tx, event.name, payloadsOf(event, data), this.env.WEBHOOK_URLS);
    tx.afterCommit(() => this.relay.kick());
  }

  /**
   * The same, as a part of the caller's composed statement (one round trip): the event is recorded
   * if `source` has a row whose `when` column is true, and that statement commits.
   */
  publishFrom<E extends RegisteredWebhookEvent, Row extends object>(
    event: E,
    source: Relation<Row>,
    when: ColumnOf<Row, boolean>,
  ): StatementPart<DataOf<E>> {
    if (!this.publishes(event)) return { ctes: [], bind: () => [] };
    const due = `EXISTS (SELECT 1 FROM "${source.name}" WHERE "${when}")`;
    return {
      ctes: [['webhooks_published', insertDeliveriesSql(due)]],
      bind: (data) => deliveryValues(event.name, payloadsOf(event, [data]), this.env.WEBHOOK_URLS),
      afterRun: () => this.relay.kick(),
      wrote: due,
    };
  }

  private publishes(event: RegisteredWebhookEvent): boolean {
    return this.env.WEBHOOK_URLS.length > 0 && (!this.wanted || this.wanted.has(event.name));
  }

  list(filter: { status?: DeliveryStatus; type?: string; limit?: number }): Promise<WebhookDelivery[]> {
    return this.deliveries.list({ ...filter, limit: filter.limit ?? 200 });
  }

  /** Sends a delivery again (any status), now; throws when there is no such delivery. */
  async retry(id: string): Promise<void> {
    if (!(await this.deliveries.retry(id))) throw new WebhookError('unknown_delivery');
    this.relay.kick();
  }

  /** Re-enables an endpoint disabled by a 410; what it held is sent. Returns whether it was disabled. */
  async enableEndpoint(url: string): Promise<boolean> {
    if (!this.env.WEBHOOK_URLS.includes(url)) throw new WebhookError('unknown_endpoint');
    const enabled = await this.deliveries.enableEndpoint(url);
    this.relay.kick();
    return enabled;
  }

  disabledEndpoints(): Promise<Array<{ url: string; disabledAt: Date; reason: string | null }>> {
    return this.deliveries.disabledEndpoints();
  }

  /** Deletes up to `limit` deliveries sent or failed before `cutoff`; returns how many. */
  purgeFinished(cutoff: Date, limit: number): Promise<number> {
    return this.deliveries.purge(cutoff, limit);
  }
}
