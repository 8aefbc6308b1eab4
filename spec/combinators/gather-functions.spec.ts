import { describe, expect, it } from 'vitest';
import { createTask, gather, run, sleep } from '../../src/index.js';

describe('gather: the same function passed twice', () => {
  it('runs it once per slot (a function is a coroutine factory)', async () => {
    const results = await run(async () => {
      let n = 0;
      const inc = async (): Promise<number> => {
        const v = n;
        await sleep(0);
        n = v + 1;
        return n;
      };
      return gather([inc, inc, inc]);
    });
    expect(results).toEqual([1, 1, 1]); // three tasks, each read 0 before any wrote: the lost update
  });

  it('still runs a task passed twice only once and reports its result in both slots', async () => {
    expect(
      await run(async () => {
        let starts = 0;
        const t = createTask(async () => {
          starts++;
          await sleep(5);
          return 'x';
        });
        const results = await gather([t, t]);
        return { results, starts };
      }),
    ).toEqual({ results: ['x', 'x'], starts: 1 });
  });
});
