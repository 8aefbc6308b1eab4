/**
 * The primitives' guarantees hold under every schedule, not just asyncio's: mutual exclusion,
 * semaphore bounds, queue conservation and barrier rounds, across seeded random and PCT schedules.
 */
import { describe, expect, it } from 'vitest';
import { Barrier, createTask, gather, Lock, Loop, Queue, Semaphore, sleep } from '../../src/index.js';

type Policy = 'fifo' | 'asyncio' | 'random' | 'pct';
const runs: [Policy, number][] = [
  ['fifo', 0],
  ['asyncio', 0],
  ...Array.from({ length: 25 }, (_, s): [Policy, number] => ['random', s]),
  ...Array.from({ length: 25 }, (_, s): [Policy, number] => ['pct', s]),
];

describe.each(runs)('under %s seed %i', (policy, seed) => {
  const loop = () => new Loop({ policy, seed });

  it('Lock: no lost update, never two holders', async () => {
    let counter = 0;
    let holders = 0;
    let maxHolders = 0;
    await loop().run(async () => {
      const lock = new Lock();
      await gather(
        Array.from({ length: 5 }, () => async () => {
          for (let i = 0; i < 4; i++) {
            await lock.withLock(async () => {
              holders++;
              maxHolders = Math.max(maxHolders, holders);
              const v = counter;
              await sleep(0);
              counter = v + 1;
              holders--;
            });
            await sleep(0);
          }
        }),
      );
      expect(lock.locked()).toBe(false);
    });
    expect(counter).toBe(20);
    expect(maxHolders).toBe(1);
  });

  it('Semaphore(2): at most two inside, every unit returned', async () => {
    let inside = 0;
    let maxInside = 0;
    await loop().run(async () => {
      const sem = new Semaphore(2);
      await gather(
        Array.from(
          { length: 6 },
          (_, i) => () =>
            sem.withLock(async () => {
              inside++;
              maxInside = Math.max(maxInside, inside);
              await sleep(i % 2);
              inside--;
            }),
        ),
      );
      expect(sem.value).toBe(2);
    });
    expect(maxInside).toBe(2);
  });

  it('Queue(2): every item consumed exactly once, join returns after the last taskDone', async () => {
    const got: number[] = [];
    await loop().run(async () => {
      const q = new Queue<number>(2);
      const workers = [0, 1, 2].map(() =>
        createTask(async () => {
          for (;;) {
            const n = await q.get();
            await sleep(n % 3);
            got.push(n);
            q.taskDone();
          }
        }),
      );
      await gather(
        [0, 1].map((p) => async () => {
          for (let i = 0; i < 10; i++) await q.put(p * 10 + i);
        }),
      );
      await q.join();
      expect(got.length).toBe(20);
      for (const w of workers) w.cancel();
    });
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('Barrier(3): each round hands out indices 0, 1, 2', async () => {
    const rounds: number[][] = [[], []];
    await loop().run(async () => {
      const b = new Barrier(3);
      await gather(
        [0, 1, 2].map(() => async () => {
          for (let r = 0; r < 2; r++) rounds[r]!.push(await b.wait());
        }),
      );
    });
    for (const r of rounds) expect([...r].sort()).toEqual([0, 1, 2]);
  });
});
