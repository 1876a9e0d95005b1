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

  it('fails every call of a batch whose statement failed, and the next batch runs normally', async () => {
    let fail = true;
    const run = batchCalls<number, number>(async (inputs) => {
      if (fail) throw new Error('connection terminated');
      return [...inputs];
    });

    const failed = await Promise.allSettled([run(1), run(2)]);
    fail = false;

    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ message: 'connection terminated' });
    await expect(run(3)).resolves.toBe(3);
  });
});
