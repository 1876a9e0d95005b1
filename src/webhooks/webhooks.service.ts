import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { DeliveryStatus, WebhookDelivery } from './webhook-delivery.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookError } from './webhook.errors.js';
import { WebhookEventRegistry } from './webhook-events.js';
import { WebhookRelay } from './webhook-relay.service.js';

/**
 * Webhooks' operations for admins and the retention sweep. Nothing here publishes an event:
 * deliveries follow from facts (see WebhookReactions).
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly env: Environment,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly relay: WebhookRelay,
    private readonly registry: WebhookEventRegistry,
  ) {}

  /** The registered event types, for filters and documentation. */
  get types(): readonly string[] {
    return this.registry.types;
  }

  list(filter: { status?: DeliveryStatus; type?: string; limit?: number }): Promise<WebhookDelivery[]> {
    if (filter.type !== undefined && !this.registry.isType(filter.type)) throw new WebhookError('unknown_type', this.registry.types);
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

  /** Deliveries pending (waiting, retrying or held), and deliveries failed for good (until retention deletes them). */
  waitingAndFailed(): Promise<{ waiting: number; failed: number }> {
    return this.deliveries.waitingAndFailed();
  }

  /** How long the oldest delivery not yet sent or failed has waited (held ones included); 0 when none. */
  async oldestPendingSeconds(): Promise<number> {
    const oldest = await this.deliveries.oldestPending();
    return oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0;
  }

  /** Deletes up to `limit` deliveries sent or failed before `cutoff`; returns how many. */
  purgeFinished(cutoff: Date, limit: number): Promise<number> {
    return this.deliveries.purge(cutoff, limit);
  }
}
