import { Test } from '@nestjs/testing';
import { DiscoveryModule } from '@nestjs/core';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { FACT_CLASSES, FactBus } from '../../src/database/fact-bus.js';
import { Fact, ObservedFact, type FactClass } from '../../src/database/fact.js';
import { AfterCommit, InTransaction } from '../../src/database/on-fact.decorator.js';
import { Tx } from '../../src/database/tx.js';

class Greeted extends Fact<{ name: string }> {}
class Waved extends ObservedFact<{ name: string }> {}
class Unheard extends Fact<{ name: string }> {}

const seen: string[] = [];

// Decorated by hand: this file is transformed without TypeScript's legacy decorators.
class Greeter {
  async inside(facts: readonly Greeted[], tx: Tx): Promise<Date | undefined> {
    seen.push(`in-tx ${facts.map((f) => f.data.name).join('+')} (${tx.context.requestId})`);
    return facts.some((f) => f.data.name === 'held') ? new Date(0) : undefined;
  }

  after(facts: readonly Greeted[]): void {
    seen.push(`after ${facts.map((f) => f.data.name).join('+')}`);
  }

  waved(): void {
    throw new Error('a metric broke');
  }
}
const decorate = (decorator: MethodDecorator, method: keyof Greeter) =>
  decorator(Greeter.prototype, method, Object.getOwnPropertyDescriptor(Greeter.prototype, method)!);
decorate(InTransaction(Greeted), 'inside');
decorate(AfterCommit(Greeted), 'after');
decorate(AfterCommit(Waved), 'waved');

async function bus(facts: FactClass[], providers: Array<new (...args: never[]) => unknown> = [Greeter]): Promise<FactBus> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [{ provide: FACT_CLASSES, useValue: facts }, FactBus, ...providers],
  }).compile();
  return module.init().then((app) => app.get(FactBus));
}

const txOf = (facts: FactBus, requestId = 'req-1') => new Tx({ requestId }, {} as pg.PoolClient, facts);

describe('the fact bus', () => {
  it('runs in-transaction subscribers as facts are recorded, the after-commit ones only once it committed', async () => {
    seen.length = 0;
    const facts = await bus([Greeted, Waved]);
    const tx = txOf(facts);
    const receipt = await tx.record(new Greeted({ name: 'ada' }), new Greeted({ name: 'bob' }));
    expect(receipt).toEqual({ heldUntil: null });
    expect(seen).toEqual(['in-tx ada+bob (req-1)']);
    tx.committed();
    expect(seen).toEqual(['in-tx ada+bob (req-1)', 'after ada+bob']);
  });

  it('runs no after-commit subscriber for a transaction that rolled back (never committed)', async () => {
    seen.length = 0;
    const facts = await bus([Greeted, Waved]);
    await txOf(facts).record(new Greeted({ name: 'cy' }));
    expect(seen).toEqual(['in-tx cy (req-1)']);
  });

  it('answers when a held-back reaction may happen again', async () => {
    const facts = await bus([Greeted, Waved]);
    expect(await txOf(facts).record(new Greeted({ name: 'held' }))).toEqual({ heldUntil: new Date(0) });
  });

  it('keeps a failing after-commit subscriber from failing what was observed, and never records an observed fact', async () => {
    const facts = await bus([Greeted, Waved]);
    expect(() => facts.observe(new Waved({ name: 'x' }))).not.toThrow();
    await expect(txOf(facts).record(new Waved({ name: 'x' }))).rejects.toThrow('Waved is observed (facts.observe), not recorded');
  });

  it('refuses to start with an in-transaction handler of an observed fact', async () => {
    class Watcher {
      inside(): void {}
    }
    InTransaction(Waved)(Watcher.prototype, 'inside', Object.getOwnPropertyDescriptor(Watcher.prototype, 'inside')!);
    await expect(bus([Greeted, Waved], [Greeter, Watcher])).rejects.toThrow(
      'Watcher.inside reacts to Waved in a transaction, but it is observed, never recorded',
    );
  });

  it('refuses to record a fact no module lists', async () => {
    const facts = await bus([Greeted, Waved]);
    await expect(txOf(facts).record(new Unheard({ name: 'x' }))).rejects.toThrow('Unheard is not listed among the facts');
  });

  it('refuses to start with a fact nobody handles, or a handler of a fact nobody lists', async () => {
    await expect(bus([Greeted, Waved, Unheard])).rejects.toThrow('Nothing handles the fact Unheard');
    await expect(bus([Greeted])).rejects.toThrow('A handler subscribes to Waved, which no module lists among its facts');
  });

  it('lets a statement record facts from its rows only where every in-transaction subscriber can be a part of it', async () => {
    const facts = await bus([Greeted, Waved]);
    const leading = { ctes: [['people', 'SELECT 1 AS id, true AS hello'] as const], bind: () => [] };
    expect(() =>
      facts.compose('greet', leading, { name: 'people' }, [{ fact: Greeted, when: 'hello' as never, columns: { name: 'id' } }]),
    ).toThrow('greet: Greeter.inside cannot react to Greeted within a composed statement');
  });
});
