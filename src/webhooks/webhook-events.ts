import { Inject, Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';
import type { AnyWebhookEvent } from './webhook-event.js';

/** Every event type the process publishes, as the entry point lists them (one `<module>.webhooks.ts` list per module). */
export const WEBHOOK_EVENT_TYPES = Symbol('webhook-event-types');

/**
 * The registered webhook event types. A type declared twice, or a WEBHOOK_EVENTS entry that names
 * no registered type, stops the process at start-up.
 */
@Injectable()
export class WebhookEventRegistry {
  readonly types: readonly string[];
  private readonly wanted: ReadonlySet<string>;

  constructor(
    @Inject(WEBHOOK_EVENT_TYPES) readonly events: readonly AnyWebhookEvent[],
    env: Environment,
  ) {
    this.types = events.map((event) => event.type);
    const twice = this.types.find((type, i) => this.types.indexOf(type) !== i);
    if (twice) throw new Error(`Invalid webhook events: "${twice}" is declared twice`);
    const unknown = (env.WEBHOOK_EVENTS ?? []).filter((type) => !this.types.includes(type));
    if (unknown.length > 0)
      throw new Error(
        `Invalid configuration: WEBHOOK_EVENTS names unknown event type(s) ${unknown.join(', ')}; known: ${this.types.join(', ')}`,
      );
    this.wanted = new Set(env.WEBHOOK_URLS.length === 0 ? [] : (env.WEBHOOK_EVENTS ?? this.types));
  }

  /** Whether deliveries of this type are recorded: WEBHOOK_URLS is set and WEBHOOK_EVENTS does not leave it out. */
  publishes(event: AnyWebhookEvent): boolean {
    return this.wanted.has(event.type);
  }

  isType(type: string): boolean {
    return this.types.includes(type);
  }
}

/** What would stop the registry, one line each: a type declared twice, a WEBHOOK_EVENTS entry that names no type. */
export function webhookEventProblems(events: readonly AnyWebhookEvent[], env: Environment): string[] {
  const types = events.map((event) => event.type);
  const twice = types.filter((type, i) => types.indexOf(type) !== i).map((type) => `Invalid webhook events: "${type}" is declared twice`);
  const unknown = (env.WEBHOOK_EVENTS ?? []).filter((type) => !types.includes(type));
  return unknown.length === 0
    ? twice
    : [...twice, `Invalid configuration: WEBHOOK_EVENTS names unknown event type(s) ${unknown.join(', ')}; known: ${types.join(', ')}`];
}
