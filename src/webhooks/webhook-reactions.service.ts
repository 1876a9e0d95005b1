import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '../common/request-context.js';
import { Environment } from '../config/environment.js';
import type { StatementPart } from '../database/composed-statement.js';
import { FactBus } from '../database/fact-bus.js';
import type { FactRows } from '../database/fact-subscriber.js';
import type { Fact, FactClass } from '../database/fact.js';
import type { Tx } from '../database/tx.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import type { AnyWebhookEvent, WebhookData, WebhookPayload } from './webhook-event.js';
import { WebhookEventRegistry } from './webhook-events.js';
import { WebhookRelay } from './webhook-relay.service.js';

/**
 * Webhooks' subscription to facts: each registered event type records one delivery per endpoint
 * in the fact's transaction (delivered if and only if it commits), unless WEBHOOK_URLS is unset or
 * WEBHOOK_EVENTS leaves the type out.
 */
@Injectable()
export class WebhookReactions implements OnModuleInit {
  constructor(
    private readonly registry: WebhookEventRegistry,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly relay: WebhookRelay,
    private readonly facts: FactBus,
    private readonly env: Environment,
  ) {}

  onModuleInit(): void {
    for (const event of this.registry.events) {
      this.facts.subscribeInTransaction<Fact>({
        name: `webhook ${event.type}`,
        fact: event.on as FactClass,
        handle: async (facts, tx) => void (await this.publish(tx, event, facts)),
        fromRows: (rows) => [this.fromRows(event, rows)],
      });
    }
  }

  private async publish(tx: Tx, event: AnyWebhookEvent, facts: readonly Fact[]): Promise<void> {
    if (!this.registry.publishes(event)) return;
    const timestamp = new Date().toISOString();
    const payloads = facts.flatMap((fact) => {
      const data = event.data ? (event.data(fact) as WebhookData | null) : (fact.data as WebhookData);
      return data ? [JSON.stringify({ type: event.type, timestamp, data } satisfies WebhookPayload)] : [];
    });
    if (payloads.length === 0) return;
    await this.deliveries.insert(tx, event.type, payloads, this.env.WEBHOOK_URLS);
    tx.afterCommit(() => this.relay.kick());
  }

  /** The deliveries of a fact recorded by a composed statement: its data is the fact's columns, as they are. */
  private fromRows(event: AnyWebhookEvent, rows: FactRows): StatementPart<{ context: RequestContext }> {
    if (event.data) throw new Error(`webhook ${event.type} maps its fact in code, so it cannot be published within a composed statement`);
    if (!this.registry.publishes(event)) return { ctes: [], bind: () => [] };
    return {
      ...this.deliveries.insertFromRows(rows.prefix, rows.source, rows.when, rows.columns),
      bind: () => this.deliveries.fromRowsValues(event.type, new Date().toISOString(), this.env.WEBHOOK_URLS),
      afterRun: () => this.relay.kick(),
    };
  }
}
