import { describe, expect, it } from 'vitest';
import { createTask, run, sleep } from '../src/api.js';
import { Loop, type LoopOptions } from '../src/loop.js';
import {
  type DecisionSource,
  PCT_SPIN_LIMIT,
  PctSource,
  type PolicyOption,
  RandomSource,
} from '../src/policy.js';
import { getRunningLoop } from '../src/running.js';

/** Four callLater timers and four sleepers, all due at t=5: the order they fire in. */
async function sameInstant(options: LoopOptions): Promise<string[]> {
  const out: string[] = [];
  await run(async () => {
    const loop = (await import('../src/running.js')).getRunningLoop('test');
    for (const n of ['t0', 't1', 't2', 't3']) loop.callLater(5, () => out.push(n));
    const sleepers = ['s0', 's1', 's2', 's3'].map((n) =>
      createTask(
        async () => {
          await sleep(5);
          out.push(n);
        },
        { name: n },
      ),
    );
    for (const s of sleepers) await s;
  }, options);
  return out;
}

/** `tasks` tasks, each looping `rounds` times over `sleep(0)`: every round is one ready batch of all of them. */
async function rounds(options: LoopOptions, tasks = 3, count = 30): Promise<string[][]> {
  const out: string[] = [];
  await run(async () => {
    const ts = Array.from({ length: tasks }, (_, i) =>
      createTask(
        async () => {
          for (let r = 0; r < count; r++) {
            await sleep(0);
            out.push(`w${i}`);
          }
        },
        { name: `w${i}` },
      ),
    );
    for (const t of ts) await t;
  }, options);
  const batches: string[][] = [];
  for (let i = 0; i < out.length; i += tasks) batches.push(out.slice(i, i + tasks));
  return batches;
}

function orderChanges(batches: string[][]): number {
  let n = 0;
  for (let i = 1; i < batches.length; i++) if (batches[i]!.join() !== batches[i - 1]!.join()) n++;
  return n;
}

const FIFO = ['t0', 't1', 't2', 't3', 's0', 's1', 's2', 's3'];
const seeds = Array.from({ length: 20 }, (_, i) => i);

describe('random policy', () => {
  it('gives the same order for the same seed, and permutes same-instant timers and sleepers', async () => {
    expect(await sameInstant({ policy: 'fifo' })).toEqual(FIFO);
    const orders = new Set<string>();
    for (const seed of seeds) {
      const a = await sameInstant({ policy: 'random', seed });
      expect(await sameInstant({ policy: 'random', seed })).toEqual(a);
      expect([...a].sort()).toEqual([...FIFO].sort());
      orders.add(a.join());
    }
    expect(orders.has(FIFO.join())).toBe(false); // 1/8! chance per seed: none of 20 seeds gives fifo
    expect(orders.size).toBeGreaterThan(15);
    // Timers among themselves (task id 0) are permuted, not only relative to sleepers.
    const timerOrders = new Set(
      [...orders].map((o) =>
        o
          .split(',')
          .filter((x) => x.startsWith('t'))
          .join(),
      ),
    );
    expect(timerOrders.size).toBeGreaterThan(1);
  });

  it('records one decision per multi-candidate choice, with the chosen task', async () => {
    const loop = new Loop({ policy: 'random', seed: 9 });
    await loop.run(async () => {
      const ts = ['a', 'b'].map((n) => createTask(async () => sleep(1), { name: n }));
      for (const t of ts) await t;
    });
    const ds = loop.trace.decisions;
    expect(ds.length).toBeGreaterThan(0);
    for (const d of ds) {
      expect(d.count).toBeGreaterThan(1);
      expect(d.chosen).toBeGreaterThanOrEqual(0);
      expect(d.chosen).toBeLessThan(d.count);
      expect(['a', 'b', 'Task-1']).toContain(d.task);
    }
  });

  it('the seed may be a string; the policy object form overrides the loop seed', async () => {
    const a = await sameInstant({ policy: 'random', seed: 'ci-42' });
    expect(await sameInstant({ policy: { name: 'random', seed: 'ci-42' }, seed: 1 })).toEqual(a);
    expect(new Loop({ policy: { name: 'random', seed: 'ci-42' }, seed: 1 }).policy).toEqual({
      policy: 'random',
      seed: 'ci-42',
    });
  });
});

describe('pct policy', () => {
  it('is deterministic per seed and permutes same-instant timers too', async () => {
    const orders = new Set<string>();
    for (const seed of seeds) {
      const a = await sameInstant({ policy: 'pct', seed });
      expect(await sameInstant({ policy: 'pct', seed })).toEqual(a);
      orders.add(a.join());
    }
    expect(orders.size).toBeGreaterThan(5);
    const timerOrders = new Set(
      [...orders].map((o) =>
        o
          .split(',')
          .filter((x) => x.startsWith('t'))
          .join(),
      ),
    );
    expect(timerOrders.size).toBeGreaterThan(1);
  });

  // The round-based specs use scope 'batch', where every round is one batch of all the tasks.
  it("depth 1 (no change points): a fixed priority order, the same in every round (scope 'batch')", async () => {
    const firsts = new Set<string>();
    for (const seed of seeds) {
      const batches = await rounds({ policy: { name: 'pct', depth: 1 }, seed, scope: 'batch' });
      expect(batches.length).toBe(30);
      expect(orderChanges(batches)).toBe(0);
      firsts.add(batches[0]!.join());
    }
    expect(firsts.size).toBeGreaterThan(2); // the priorities themselves are random
  });

  it('depth d: at most d−1 changes of order (priority change points), and some seed uses them', async () => {
    for (const depth of [2, 3, 4]) {
      let most = 0;
      for (const seed of seeds) {
        const changes = orderChanges(
          await rounds({ policy: { name: 'pct', depth, steps: 100 }, seed, scope: 'batch' }),
        );
        expect(changes).toBeLessThanOrEqual(depth - 1);
        most = Math.max(most, changes);
      }
      expect(most).toBe(depth - 1);
    }
  });

  it('a change point preempts: the task due to run next drops below all others', async () => {
    // Find a depth-2 run with one change: the order after it is the order before with one task (the
    // one that was due next at the change point, not always the batch's first) moved to the end.
    for (const seed of seeds) {
      const batches = await rounds({ policy: { name: 'pct', depth: 2, steps: 100 }, seed, scope: 'batch' });
      const i = batches.findIndex((b, k) => k > 0 && b.join() !== batches[k - 1]!.join());
      if (i < 0) continue;
      const before = batches[i - 1]!;
      const last = batches[batches.length - 1]!;
      const moved = last[last.length - 1]!;
      expect(before[before.length - 1]).not.toBe(moved);
      expect(last).toEqual([...before.filter((t) => t !== moved), moved]);
      return;
    }
    throw new Error('no seed produced a change point');
  });

  it("over every ready callback (scope 'ready') the highest-priority task runs ahead of the others", async () => {
    // Three tasks of 30 sleep(0) rounds each. Under depth 1 the top task is not interleaved with the
    // others until it has yielded PCT_SPIN_LIMIT times in a row (then it counts as spinning).
    let ranAhead = 0;
    for (const seed of seeds) {
      const flat = (await rounds({ policy: { name: 'pct', depth: 1 }, seed })).flat();
      expect(flat).toHaveLength(90);
      const first = flat[0]!;
      let run = 0;
      while (flat[run] === first) run++;
      expect(run).toBeGreaterThanOrEqual(PCT_SPIN_LIMIT);
      if (run > 3) ranAhead++;
    }
    expect(ranAhead).toBe(seeds.length);
  });

  it('a task spinning on sleep(0) does not starve the task it waits for (no livelock the real loop lacks)', async () => {
    for (const seed of seeds) {
      for (const depth of [1, 2, 3]) {
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
          { policy: { name: 'pct', depth, steps: 50 }, seed, maxSteps: 500 },
        );
        expect(steps).toBeLessThan(200);
      }
    }
  });

  it('describes itself with its options; validates them', () => {
    expect(new Loop({ policy: 'pct', seed: 3 }).policy).toEqual({
      policy: 'pct',
      seed: 3,
      options: { depth: 3, steps: 200 },
    });
    expect(new Loop({ policy: { name: 'pct', depth: 2, steps: 500 } }).policy).toEqual({
      policy: 'pct',
      seed: 0,
      options: { depth: 2, steps: 500 },
    });
    expect(() => new PctSource(1, { depth: 0 })).toThrow(/PCT depth must be an integer >= 1/);
    expect(() => new PctSource(1, { steps: 1.5 })).toThrow(/PCT steps must be an integer >= 1/);
    expect(() => new RandomSource(Number.NaN)).toThrow(/seed must be a finite number or a string/);
  });
});

describe('policy option', () => {
  it('fifo and asyncio take no decisions and describe themselves', async () => {
    for (const policy of ['fifo', 'asyncio', { name: 'asyncio' }] as const) {
      const loop = new Loop({ policy, seed: 5 });
      await loop.run(async () => {
        const ts = ['a', 'b'].map((n) => createTask(async () => sleep(1), { name: n }));
        for (const t of ts) await t;
      });
      expect(loop.trace.decisions).toEqual([]);
      expect(loop.policy.seed).toBeNull();
    }
    expect(await sameInstant({ policy: { name: 'fifo' } })).toEqual(FIFO);
  });

  it('a custom DecisionSource decides; its answers are recorded; describe() sets the meta', async () => {
    const lifo: DecisionSource = { chooseReady: (count) => count - 1 };
    // The newest ready callback of the batch runs first: the timers set last fire first.
    expect((await sameInstant({ policy: lifo, scope: 'batch' })).slice(0, 4)).toEqual([
      't3',
      't2',
      't1',
      't0',
    ]);
    // Over every ready callback, the newest is a sleeper's resumption queued by its wake-up.
    const order = await sameInstant({ policy: lifo });
    expect(order).toEqual(['s0', 's1', 's2', 's3', 't3', 't2', 't1', 't0']);
    expect(new Loop({ policy: lifo }).policy.policy).toBe('custom');
    expect(new Loop({ policy: lifo }).policy).toEqual({ policy: 'custom', seed: null });
    const named: DecisionSource = {
      chooseReady: () => 0,
      describe: () => ({ policy: 'custom', seed: 'mine', options: { kind: 'oldest' } }),
    };
    expect(new Loop({ policy: named }).policy).toEqual({
      policy: 'custom',
      seed: 'mine',
      options: { kind: 'oldest' },
    });
  });

  it('a custom source answering out of range fails the run with a RangeError', async () => {
    const bad: DecisionSource = { chooseReady: (count) => count };
    await expect(sameInstant({ policy: bad })).rejects.toThrow(
      /The decision source chose (\d+) among \1 ready callbacks; it must return an integer in \[0, \1\)/,
    );
  });

  it('an unknown policy is a TypeError listing what is accepted', () => {
    expect(() => new Loop({ policy: 'lifo' as unknown as PolicyOption })).toThrow(
      /Unknown policy "lifo": use 'fifo', 'asyncio', 'random', 'pct'/,
    );
    expect(() => new Loop({ policy: { name: 'dfs' } as unknown as PolicyOption })).toThrow(
      /Unknown policy name "dfs"/,
    );
  });
});

describe('seedRandom option', () => {
  const draw = (options: LoopOptions) =>
    run(async () => {
      const xs = [Math.random()];
      await sleep(10);
      xs.push(Math.random());
      return xs;
    }, options);

  it('replaces Math.random with a seeded PRNG during the run and restores it afterwards', async () => {
    const original = Math.random;
    const a = await draw({ seedRandom: 7 });
    expect(Math.random).toBe(original);
    expect(await draw({ seedRandom: 7 })).toEqual(a);
    expect(await draw({ seedRandom: 8 })).not.toEqual(a);
    expect(await draw({ seedRandom: true, seed: 7 })).toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('restores Math.random when the run fails', async () => {
    const original = Math.random;
    await expect(
      run(
        async () => {
          expect(Math.random).not.toBe(original);
          await sleep(1);
          throw new Error('boom');
        },
        { seedRandom: 1 },
      ),
    ).rejects.toThrow('boom');
    expect(Math.random).toBe(original);
  });

  it('is off by default and recorded in the loop policy when on', async () => {
    const original = Math.random;
    await run(async () => {
      expect(Math.random).toBe(original);
    });
    expect(new Loop({ seedRandom: true, seed: 'x', policy: 'random' }).policy).toEqual({
      policy: 'random',
      seed: 'x',
      seedRandom: 'x',
    });
    expect(new Loop({ seedRandom: false }).policy).toEqual({ policy: 'fifo', seed: null });
    expect(() => new Loop({ seedRandom: Number.NaN })).toThrow(/seedRandom must be true .* not NaN/);
  });
});
