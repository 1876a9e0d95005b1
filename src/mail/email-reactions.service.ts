import { Injectable, type OnModuleInit } from '@nestjs/common';
import { newId } from '../common/new-id.js';
import type { RequestContext } from '../common/request-context.js';
import { Environment } from '../config/environment.js';
import type { StatementPart } from '../database/composed-statement.js';
import { FactBus } from '../database/fact-bus.js';
import type { FactRows, HeldUntil } from '../database/fact-subscriber.js';
import { factName, type FactClass } from '../database/fact.js';
import type { Tx } from '../database/tx.js';
import type { AnyEmailKind, UserFact } from './email-kind.js';
import { EmailKindRegistry } from './email-kinds.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository, type CooldownClaim } from './outbox.repository.js';

/**
 * Mail's subscription to facts: each kind of email answering a recorded fact goes to the outbox
 * in the fact's transaction (within the kind's cooldown), and the relay is woken after the commit.
 */
@Injectable()
export class EmailReactions implements OnModuleInit {
  constructor(
    private readonly registry: EmailKindRegistry,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly facts: FactBus,
    private readonly env: Environment,
  ) {}

  onModuleInit(): void {
    for (const [fact, kinds] of this.registry.byFact()) {
      this.facts.subscribeInTransaction<UserFact>({
        name: `email ${kinds.map((kind) => kind.name).join(', ')}`,
        fact: fact as FactClass<UserFact>,
        handle: (facts, tx) => this.record(tx, kinds, facts),
        fromRows: (rows) => kinds.map((kind, i) => this.fromRows(fact, kind, { ...rows, prefix: `${rows.prefix}${i}_` })),
      });
    }
  }

  /** Records the emails of each fact; answers the latest time a held-back one may go. */
  private async record(tx: Tx, kinds: readonly AnyEmailKind[], facts: readonly UserFact[]): Promise<HeldUntil> {
    let heldUntil: Date | undefined;
    let recordedAny = false;
    for (const fact of facts) {
      const recorded = new Set<string>();
      for (const kind of kinds) {
        if (kind.follows && !recorded.has(kind.follows.name)) continue;
        if (kind.when && !kind.when(fact)) continue;
        const to = kind.to ? kind.to(fact) : { userId: fact.data.userId, address: fact.data.email };
        const cooldown = this.cooldownOf(kind);
        const outcome = await this.outbox.record(
          tx,
          {
            kind: kind.name,
            userId: to.userId,
            recipient: to.address,
            outlivesUser: kind.outlivesUser === true,
            locale: to.locale ?? null,
            payload: kind.payload?.(fact) ?? {},
            firstContact: isFirstContact(kind, fact.constructor as FactClass),
            requestId: tx.context.requestId,
          },
          cooldown,
        );
        if (outcome.recorded) {
          recorded.add(kind.name);
          recordedAny = true;
          continue;
        }
        // Null when a concurrent request won the claim: it may go again a cooldown from now at the earliest.
        const until = outcome.heldUntil ?? new Date(Date.now() + (cooldown?.seconds ?? 0) * 1000);
        if (!heldUntil || until > heldUntil) heldUntil = until;
      }
    }
    if (recordedAny) tx.afterCommit(() => this.relay.kick());
    return heldUntil;
  }

  /** The email of a kind answering `fact` for the row of a composed statement: only a kind that maps nothing itself can. */
  private fromRows(fact: FactClass, kind: AnyEmailKind, rows: FactRows): StatementPart<{ context: RequestContext }> {
    if (kind.to || kind.payload || kind.follows || kind.when || kind.outlivesUser)
      throw new Error(`email kind "${kind.name}" maps ${factName(fact)} in code, so it cannot answer it within a composed statement`);
    const cooldown = this.cooldownOf(kind);
    const columns = { userId: rows.columns.userId, email: rows.columns.email };
    const firstContact = isFirstContact(kind, fact);
    return {
      ctes: [],
      gather: this.outbox.recordFromRows(rows.prefix, rows.source, rows.when, columns),
      bind: ({ context }) => [
        newId(),
        context.requestId,
        kind.name,
        cooldown?.bucket ?? null,
        cooldown?.seconds ?? null,
        cooldown?.perDay ?? null,
        firstContact,
      ],
      afterRun: () => this.relay.kick(),
    };
  }

  private cooldownOf(kind: AnyEmailKind): CooldownClaim | undefined {
    const cooldown = kind.cooldown;
    return cooldown && { bucket: cooldown.bucket, seconds: cooldown.seconds(this.env), perDay: cooldown.perDay(this.env) };
  }
}

const isFirstContact = (kind: AnyEmailKind, fact: FactClass): boolean =>
  (kind.firstContact as FactClass[] | undefined)?.includes(fact) ?? false;
