import { describe, expect, it } from 'vitest';
import { createTask, run, sleep } from '../../src/api.js';
import { describeRunPolicy, runPolicy } from '../../src/explore/strategies.js';
import { Loop } from '../../src/loop.js';
import { PosSource, RandomSource } from '../../src/policy.js';
import { getRunningLoop } from '../../src/running.js';
import { parseTrace, replay, serializeTrace } from '../../src/schedule/index.js';

const seeds = Array.from({ length: 100 }, (_, i) => i);

/** Three tasks of `count` sleep(0) rounds: the order their steps ran in. */
async function order(seed: number): Promise<string> {
  const out: string[] = [];
  await run(
    async () => {
      const ts = ['a', 'b', 'c'].map((n) =>
        createTask(async () => {
          for (let r = 0; r < 4; r++) {
            await sleep(0);
            out.push(n);
          }
        }),
      );
      for (const t of ts) await t;
    },
    { policy: 'pos', seed },
  );
  return out.join('');
}

/** Does `reader` (one round trip) read after `writer` has made `ahead` round trips and written? */
async function ranAhead(policy: 'pos' | 'random', seed: number, ahead: number): Promise<boolean> {
  return run(
    async () => {
      let x = 0;
      let seen = -1;
      const writer = createTask(async () => {
        for (let i = 0; i < ahead; i++) await sleep(0);
        x = 1;
      });
      const reader = createTask(async () => {
        await sleep(0);
        seen = x;
      });
      await writer;
      await reader;
      return seen === 1;
    },
    { policy, seed },
  );
}

describe('pos policy', () => {
  it('is deterministic per seed, and different seeds interleave differently', async () => {
    const a = await Promise.all(seeds.slice(0, 20).map(order));
    const b = await Promise.all(seeds.slice(0, 20).map(order));
    expect(b).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(10);
  });

  it('holds a callback back while the others overtake it: a task runs k steps ahead far more often than under uniform random', async () => {
    // Under uniform choice the writer gets 6 steps ahead of the reader's one step with probability
    // about 2^-6; under POS the reader's callback keeps the priority it drew, about 1/(k+1).
    let pos = 0;
    let random = 0;
    for (const seed of seeds) {
      if (await ranAhead('pos', seed, 6)) pos++;
      if (await ranAhead('random', seed, 6)) random++;
    }
    expect(pos).toBeGreaterThanOrEqual(8);
    expect(pos).toBeGreaterThan(3 * random);
  });

  it('a task spinning on sleep(0) does not starve the task it waits for', async () => {
    for (const seed of seeds) {
      const steps = await run(
        async () => {
          let flag = false;
          const spinner = createTask(async () => {
            while (!flag) await sleep(0);
          });
          const setter = createTask(async () => {
            for (let i = 0; i < 3; i++) await sleep(0);
            flag = true;
          });
          await spinner;
          await setter;
          return getRunningLoop().steps;
        },
        { policy: 'pos', seed, maxSteps: 1000 },
      );
      expect(steps).toBeLessThan(150);
    }
  });

  it('describes itself, takes string seeds and the object form, and validates the seed', () => {
    expect(new Loop({ policy: 'pos', seed: 3 }).policy).toEqual({ policy: 'pos', seed: 3 });
    expect(new Loop({ policy: { name: 'pos', seed: 'ci-7' } }).policy).toEqual({
      policy: 'pos',
      seed: 'ci-7',
    });
    expect(() => new PosSource(Number.NaN)).toThrow(/seed must be a finite number or a string/);
    expect(new PosSource(1).describe()).toEqual({ policy: 'pos', seed: 1 });
    expect(new RandomSource(1).describe()).toEqual({ policy: 'random', seed: 1 });
  });

  it('a pos trace is written with meta.policy "pos" and replays exactly', async () => {
    const loop = new Loop({ policy: 'pos', seed: 11 });
    await loop.run(async () => {
      const ts = [1, 2, 3].map(() =>
        createTask(async () => {
          for (let i = 0; i < 3; i++) await sleep(0);
        }),
      );
      for (const t of ts) await t;
    });
    const file = parseTrace(JSON.parse(JSON.stringify(serializeTrace(loop))));
    expect(file.meta.policy).toBe('pos');
    expect(file.decisions.length).toBeGreaterThan(0);
    const again = replay(file, async () => {
      const ts = [1, 2, 3].map(() =>
        createTask(async () => {
          for (let i = 0; i < 3; i++) await sleep(0);
        }),
      );
      for (const t of ts) await t;
    });
    await again;
    expect(again.loop.trace.events()).toEqual(loop.trace.events());
  });

  it("explore's portfolio alternates uniform random and POS runs", () => {
    const policies = [1, 2, 3, 4].map((i) => describeRunPolicy(runPolicy('portfolio', 100, i, {})));
    expect(policies).toEqual(['pos seed 101', 'random seed 102', 'pos seed 103', 'random seed 104']);
    expect(describeRunPolicy(runPolicy('pos', 5, 2, {}))).toBe('pos seed 7');
  });
});
