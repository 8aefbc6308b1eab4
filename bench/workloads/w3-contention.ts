/**
 * W3 contention: N workers on one Lock, N workers on one Semaphore(4), N/2 producers and N/2
 * consumers on one Queue(maxsize 16). Each worker does 5 rounds of acquire / `sleep(0)` / release;
 * each producer puts 5 items, each consumer gets 5. One op = one acquire, put or get. timeweave's
 * primitives come from src/sync (a tool reports itself unavailable until its primitive lands). The
 * anchor is p-limit (a native semaphore, no scheduler, no virtual time) running the Semaphore program.
 * @module
 */
import pLimit from 'p-limit';
import { sleep } from '../../src/api.js';
import type { Future } from '../../src/future.js';
import { Loop } from '../../src/loop.js';
import { type LockLike, loadSync, type QueueLike } from '../lib/sync.js';
import { expectWork, type ToolFn, type Workload, WorkloadUnavailable } from '../lib/types.js';

/** Rounds per worker / items per producer. */
export const ROUNDS = 5;
const SEM_VALUE = 4;
const QUEUE_SIZE = 16;

/** A future set when `finish` has been called `n` times (cheaper than awaiting N tasks one by one). */
function countdown(loop: Loop, n: number): { done: Future<void>; finish: () => void } {
  const done = loop.createFuture<void>('all done');
  let left = n;
  return {
    done,
    finish: () => {
      if (--left === 0) done.setResult();
    },
  };
}

async function lockWorkers(n: number, make: () => LockLike) {
  const loop = new Loop({ maxSteps: Number.POSITIVE_INFINITY });
  let ops = 0;
  const t0 = performance.now();
  await loop.run(async () => {
    const lock = make();
    const all = countdown(loop, n);
    for (let i = 0; i < n; i++) {
      loop.createTask(async () => {
        for (let r = 0; r < ROUNDS; r++) {
          await lock.acquire();
          ops++;
          await sleep(0);
          lock.release();
        }
        all.finish();
      });
    }
    await all.done;
  });
  return { ops, ms: performance.now() - t0, steps: loop.steps };
}

export const timeweaveLockW3: ToolFn = async (n) => {
  const { Lock } = await loadSync();
  if (Lock === null) throw new WorkloadUnavailable('src/sync has no Lock yet');
  const r = await lockWorkers(n, () => new Lock());
  expectWork('timeweave Lock', r.ops, n * ROUNDS);
  return { work: r.ops, ms: r.ms, extra: { loopSteps: r.steps } };
};

export const timeweaveSemaphoreW3: ToolFn = async (n) => {
  const { Semaphore } = await loadSync();
  if (Semaphore === null) throw new WorkloadUnavailable('src/sync has no Semaphore yet');
  const r = await lockWorkers(n, () => new Semaphore(SEM_VALUE));
  expectWork('timeweave Semaphore', r.ops, n * ROUNDS);
  return { work: r.ops, ms: r.ms, extra: { loopSteps: r.steps } };
};

export const timeweaveQueueW3: ToolFn = async (n) => {
  const { Queue } = await loadSync();
  if (Queue === null) throw new WorkloadUnavailable('src/sync has no Queue yet');
  const half = Math.max(1, n >> 1);
  const loop = new Loop({ maxSteps: Number.POSITIVE_INFINITY });
  let ops = 0;
  let sum = 0;
  const t0 = performance.now();
  await loop.run(async () => {
    const q: QueueLike<number> = new Queue(QUEUE_SIZE);
    const all = countdown(loop, 2 * half);
    for (let i = 0; i < half; i++) {
      loop.createTask(async () => {
        for (let r = 0; r < ROUNDS; r++) {
          await q.put(r);
          ops++;
        }
        all.finish();
      });
      loop.createTask(async () => {
        for (let r = 0; r < ROUNDS; r++) {
          sum += await q.get();
          ops++;
        }
        all.finish();
      });
    }
    await all.done;
  });
  const ms = performance.now() - t0;
  expectWork('timeweave Queue', ops, half * ROUNDS * 2);
  return { work: ops, ms, extra: { loopSteps: loop.steps, checksum: sum } };
};

/** p-limit(4) running the Semaphore program on plain promises (yield = a resolved promise). */
export const pLimitW3: ToolFn = async (n) => {
  const limit = pLimit(SEM_VALUE);
  let ops = 0;
  const t0 = performance.now();
  const all = [];
  for (let i = 0; i < n; i++) {
    all.push(
      (async () => {
        for (let r = 0; r < ROUNDS; r++) {
          await limit(async () => {
            ops++;
            await new Promise<void>((res) => res());
          });
        }
      })(),
    );
  }
  await Promise.all(all);
  const ms = performance.now() - t0;
  expectWork('p-limit', ops, n * ROUNDS);
  return { work: ops, ms };
};

export const W3: Workload = {
  id: 'W3',
  title:
    'W3 contention: N workers × 5 rounds on a Lock / Semaphore(4); N/2 producers + N/2 consumers × 5 items on a Queue(16) (op = acquire, put or get)',
  unit: 'ops/s',
  metric: 'rate',
  ns: [1_000, 10_000, 100_000],
  smokeN: 20,
  tools: {
    'timeweave Lock': timeweaveLockW3,
    'timeweave Semaphore(4)': timeweaveSemaphoreW3,
    'timeweave Queue(16)': timeweaveQueueW3,
    'p-limit(4), native (Semaphore program)': pLimitW3,
  },
  notes: [
    'sinon and fast-check have no primitives of their own; p-limit (a native semaphore with no scheduler and no virtual time) is the nearest thing users reach for.',
  ],
};
