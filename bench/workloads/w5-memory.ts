/**
 * W5 memory: heap bytes per suspended task. N tasks each suspend on a long sleep; the heap is measured
 * after a full GC before and after (needs `node --expose-gc`; run.ts spawns each measurement in its own
 * process so heaps do not mix). timeweave runs with its defaults (trace on), so the figure includes its
 * task, timer and trace bookkeeping. The anchors: the floor (an async function awaiting a pending native
 * promise whose resolver is kept), sinon (a `clock.setTimeout` per task) and fast-check (a scheduled
 * promise per task, from `fc.sample(fc.scheduler())`).
 * @module
 */
import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import { sleep } from '../../src/api.js';
import { Loop } from '../../src/loop.js';
import {
  type Measurement,
  type RunContext,
  type ToolFn,
  type Workload,
  WorkloadCheckError,
} from '../lib/types.js';

const LONG_SLEEP = 1e9;

function heap(ctx: RunContext): number {
  if (ctx.gc === null) throw new WorkloadCheckError('W5 needs a GC: run node with --expose-gc.');
  ctx.gc();
  ctx.gc();
  return process.memoryUsage().heapUsed;
}

function result(n: number, before: number, after: number, ms: number): Measurement {
  return { work: n, ms, extra: { bytesPerTask: (after - before) / n, heapBytes: after - before } };
}

/** Lets every started async function reach its first await. */
async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export const timeweaveW5: ToolFn = async (n, ctx) => {
  const before = heap(ctx);
  const t0 = performance.now();
  const loop = new Loop({ maxSteps: Number.POSITIVE_INFINITY });
  let measured!: Measurement;
  const run = loop.run(async () => {
    for (let i = 0; i < n; i++) {
      loop.createTask(async () => {
        await sleep(LONG_SLEEP);
      });
    }
    await sleep(1); // every task has started and suspended by now
    const suspended = loop.allTasks().length - 1;
    if (suspended !== n)
      throw new WorkloadCheckError(`timeweave: ${suspended} tasks suspended, expected ${n}.`);
    measured = result(n, before, heap(ctx), performance.now() - t0);
  });
  if (ctx.smoke) {
    await run; // main's return cancels the sleepers: the smoke run checks that path too
    return measured;
  }
  // A child process exits as soon as it has printed the figure: cancelling 1M sleepers is not measured.
  run.catch(() => {});
  while (measured === undefined) await new Promise<void>((r) => setImmediate(r));
  return measured;
};

export const floorW5: ToolFn = async (n, ctx) => {
  const before = heap(ctx);
  const t0 = performance.now();
  const resolvers: (() => void)[] = [];
  for (let i = 0; i < n; i++) {
    void (async () => {
      await new Promise<void>((r) => resolvers.push(r));
    })();
  }
  await settleMicrotasks();
  const m = result(n, before, heap(ctx), performance.now() - t0);
  for (const r of resolvers) r();
  return m;
};

export const sinonW5: ToolFn = async (n, ctx) => {
  const before = heap(ctx);
  const t0 = performance.now();
  const clock = FakeTimers.createClock(0, n + 100);
  for (let i = 0; i < n; i++) {
    void (async () => {
      await new Promise<void>((r) => clock.setTimeout(() => r(), LONG_SLEEP));
    })();
  }
  await settleMicrotasks();
  if (clock.countTimers() !== n)
    throw new WorkloadCheckError(`sinon: ${clock.countTimers()} timers, expected ${n}.`);
  return result(n, before, heap(ctx), performance.now() - t0);
};

export const fastCheckW5: ToolFn = async (n, ctx) => {
  const [s] = fc.sample(fc.scheduler(), { numRuns: 1, seed: 1 });
  const before = heap(ctx);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    void (async () => {
      await s!.schedule(Promise.resolve(i));
    })();
  }
  await settleMicrotasks();
  if (s!.count() !== n) throw new WorkloadCheckError(`fast-check: ${s!.count()} scheduled, expected ${n}.`);
  return result(n, before, heap(ctx), performance.now() - t0);
};

export const W5: Workload = {
  id: 'W5',
  title: 'W5 memory: heap bytes per suspended task (N tasks each suspended on a long sleep)',
  unit: 'B/task',
  metric: 'bytesPerTask',
  ns: [100_000, 1_000_000],
  smokeN: 200,
  needsGc: true,
  tools: {
    floor: floorW5,
    timeweave: timeweaveW5,
    'sinon runAllAsync': sinonW5,
    'fast-check scheduler': fastCheckW5,
  },
};
