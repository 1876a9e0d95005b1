import { describe, expect, it } from 'vitest';
import { batchCalls } from '../../src/database/batch-calls.js';

describe('batchCalls (one statement for the worker jobs running at the same moment)', () => {
  it('runs calls made together once, with every input, and gives each caller its own answer', async () => {
    const runs: number[][] = [];
    const double = batchCalls<number, number>(async (inputs) => {
      runs.push([...inputs]);
      return inputs.map((n) => n * 2);
    });

    const answers = await Promise.all([3, 1, 2, 1].map((n) => double(n)));

    expect(answers).toEqual([6, 2, 4, 2]);
    expect(runs).toEqual([[3, 1, 2, 1]]);
  });

  it('runs calls made later in a batch of their own', async () => {
    const runs: string[][] = [];
    const echo = batchCalls<string, string>(async (inputs) => {
      runs.push([...inputs]);
      return [...inputs];
    });

    await echo('a');
    await Promise.all([echo('b'), echo('c')]);

    expect(runs).toEqual([['a'], ['b', 'c']]);
  });

  it('tries each call alone when the shared run fails, so only the call at fault fails', async () => {
    const runs: number[][] = [];
    const run = batchCalls<number, number>(async (inputs) => {
      runs.push([...inputs]);
      if (inputs.includes(2)) throw new Error('violates foreign key');
      return [...inputs];
    });

    const settled = await Promise.allSettled([run(1), run(2), run(3)]);

    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'violates foreign key' });
    expect(runs).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails every call when every run fails (the database is away), and works again after', async () => {
    let away = true;
    const run = batchCalls<number, number>(async (inputs) => {
      if (away) throw new Error('connection terminated');
      return [...inputs];
    });

    const failed = await Promise.allSettled([run(1), run(2)]);
    away = false;

    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(run(3)).resolves.toBe(3);
  });
});
