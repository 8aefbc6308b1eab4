/**
 * W2 ready churn: N tasks in pairs ping-ponging, no time passing. Each round a task waits for its
 * partner's signal, yields one turn (`sleep(0)`) and signals the partner back; a step is one task
 * resumed (2 per round). timeweave uses src/sync's Event when it exists, else a fresh Future per hand-off
 * (the report says which); the anchors use native one-shot promises for the signal and their own
 * yield (sinon: `setTimeout(0)` under `runAllAsync`; fast-check: a scheduled promise; floor: a
 * resolved native promise).
 * @module
 */
import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import { sleep } from '../../src/api.js';
import type { Future } from '../../src/future.js';
import { Loop } from '../../src/loop.js';
import { Deferred, type EventLike, loadSync } from '../lib/sync.js';
import { expectWork, type ToolFn, type Workload } from '../lib/types.js';

/** Rounds per task. */
export const ROUNDS = 10;
const STEPS_PER_ROUND = 2;

function pairs(n: number): number {
  if (n < 2 || n % 2 !== 0) throw new RangeError(`W2 needs an even N >= 2 (tasks come in pairs), not ${n}.`);
  return n / 2;
}

export const timeweaveW2: ToolFn = async (n) => {
  const np = pairs(n);
  const { Event } = await loadSync();
  const loop = new Loop({ maxSteps: Number.POSITIVE_INFINITY });
  let steps = 0;
  const t0 = performance.now();
  await loop.run(async () => {
    const done = loop.createFuture<void>('all done');
    let left = n;
    const finish = (): void => {
      if (--left === 0) done.setResult();
    };
    for (let p = 0; p < np; p++) {
      if (Event !== null) {
        const evs: EventLike[] = [new Event(), new Event()];
        for (const side of [0, 1]) {
          loop.createTask(async () => {
            const mine = evs[side]!;
            const theirs = evs[1 - side]!;
            for (let r = 0; r < ROUNDS; r++) {
              await mine.wait();
              mine.clear();
              await sleep(0);
              steps += STEPS_PER_ROUND;
              theirs.set();
            }
            finish();
          });
        }
        evs[0]!.set();
      } else {
        const f: Future<void>[] = [loop.createFuture<void>(), loop.createFuture<void>()];
        for (const side of [0, 1]) {
          loop.createTask(async () => {
            for (let r = 0; r < ROUNDS; r++) {
              await f[side]!;
              f[side] = loop.createFuture<void>();
              await sleep(0);
              steps += STEPS_PER_ROUND;
              f[1 - side]!.setResult();
            }
            finish();
          });
        }
        f[0]!.setResult();
      }
    }
    await done;
  });
  const ms = performance.now() - t0;
  expectWork('timeweave', steps, n * ROUNDS * STEPS_PER_ROUND);
  return { work: steps, ms, extra: { loopSteps: loop.steps, usedEvent: Event !== null ? 1 : 0 } };
};

/** The anchors' program: `yieldTurn` is each tool's one-turn yield; signals are native one-shots. */
async function nativeW2(n: number, yieldTurn: () => Promise<unknown>, start: () => Promise<void>) {
  const np = pairs(n);
  let steps = 0;
  let left = n;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => {
    resolveAll = r;
  });
  for (let p = 0; p < np; p++) {
    const d: Deferred[] = [new Deferred(), new Deferred()];
    for (const side of [0, 1]) {
      void (async () => {
        for (let r = 0; r < ROUNDS; r++) {
          await d[side]!.promise;
          d[side] = new Deferred();
          await yieldTurn();
          steps += STEPS_PER_ROUND;
          d[1 - side]!.resolve();
        }
        if (--left === 0) resolveAll();
      })();
    }
    d[0]!.resolve();
  }
  await start();
  await all;
  return steps;
}

export const floorW2: ToolFn = async (n) => {
  const t0 = performance.now();
  const steps = await nativeW2(
    n,
    () => new Promise<void>((r) => r()),
    async () => {},
  );
  const ms = performance.now() - t0;
  expectWork('floor', steps, n * ROUNDS * STEPS_PER_ROUND);
  return { work: steps, ms };
};

export const sinonW2: ToolFn = async (n) => {
  const clock = FakeTimers.createClock(0, n * ROUNDS + 100);
  const t0 = performance.now();
  const steps = await nativeW2(
    n,
    () => new Promise<void>((r) => clock.setTimeout(() => r(), 0)),
    async () => {
      await clock.runAllAsync();
    },
  );
  const ms = performance.now() - t0;
  expectWork('sinon', steps, n * ROUNDS * STEPS_PER_ROUND);
  return { work: steps, ms };
};

export const fastCheckW2: ToolFn = async (n) => {
  let steps = 0;
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      steps = await nativeW2(
        n,
        () => s.schedule(Promise.resolve()),
        () => s.waitIdle(),
      );
      return true;
    }),
    { numRuns: 1, seed: 1, endOnFailure: true },
  );
  const ms = performance.now() - t0;
  expectWork('fast-check', steps, n * ROUNDS * STEPS_PER_ROUND);
  return { work: steps, ms };
};

export const W2: Workload = {
  id: 'W2',
  title:
    'W2 ready churn: N tasks in pairs, each round wait for a signal + sleep(0) + signal back (step = one task resumed)',
  unit: 'steps/s',
  metric: 'rate',
  ns: [1_000, 10_000, 100_000],
  smokeN: 20,
  tools: {
    floor: floorW2,
    timeweave: timeweaveW2,
    'sinon runAllAsync': sinonW2,
    'fast-check scheduler': fastCheckW2,
  },
};
