/**
 * W1 sleeps: N tasks, each 10 sequential sleeps of seeded 1–1000 ms. One step = one task woken.
 * The same program for timeweave (trace on and off), sinon's `runAllAsync`, fast-check's scheduler
 * (no clock: a sleep is a scheduled promise, released in its random order) and the floor.
 * @module
 */
import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import { sleep } from '../../src/api.js';
import { Loop } from '../../src/loop.js';
import { DeadlineBuckets } from '../lib/deadline-buckets.js';
import { durations } from '../lib/durations.js';
import { expectWork, type Measurement, type ToolFn, type Workload } from '../lib/types.js';

/** Sleeps per task. */
export const SLEEPS = 10;

/** timeweave: tasks on a Loop, `await sleep(ms)`; the trace is on unless `trace` is false. */
export function timeweaveW1(trace: boolean): ToolFn {
  return async (n) => {
    const d = durations(n * SLEEPS);
    const loop = new Loop({ trace, maxSteps: Number.POSITIVE_INFINITY });
    let woken = 0;
    const t0 = performance.now();
    await loop.run(async () => {
      const done = loop.createFuture<void>('all done');
      let left = n;
      for (let i = 0; i < n; i++) {
        loop.createTask(async () => {
          const base = i * SLEEPS;
          for (let k = 0; k < SLEEPS; k++) {
            await sleep(d[base + k]!);
            woken++;
          }
          if (--left === 0) done.setResult();
        });
      }
      await done;
    });
    const ms = performance.now() - t0;
    expectWork('timeweave', woken, n * SLEEPS);
    return {
      work: woken,
      ms,
      extra: { loopSteps: loop.steps, traceBytes: loop.trace.bytes, traceEvents: loop.trace.length },
    };
  };
}

/** @sinonjs/fake-timers: a clock not installed globally, `setTimeout` per sleep, `runAllAsync`. */
export const sinonW1: ToolFn = async (n) => {
  const d = durations(n * SLEEPS);
  const clock = FakeTimers.createClock(0, n * SLEEPS + 100);
  let woken = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    void (async () => {
      const base = i * SLEEPS;
      for (let k = 0; k < SLEEPS; k++) {
        await new Promise<void>((r) => clock.setTimeout(() => r(), d[base + k]!));
        woken++;
      }
    })();
  }
  await clock.runAllAsync();
  const ms = performance.now() - t0;
  expectWork('sinon', woken, n * SLEEPS);
  return { work: woken, ms };
};

/**
 * fast-check's scheduler, as a user would run it: one `fc.assert` run of an async property whose
 * tasks await `s.schedule(...)` per sleep, then `s.waitIdle()`. fast-check has no clock, so the
 * duration is only the scheduled value; the release order is its uniform random pick.
 */
export const fastCheckW1: ToolFn = async (n) => {
  const d = durations(n * SLEEPS);
  let woken = 0;
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      woken = 0;
      for (let i = 0; i < n; i++) {
        void (async () => {
          const base = i * SLEEPS;
          for (let k = 0; k < SLEEPS; k++) {
            await s.schedule(Promise.resolve(d[base + k]!));
            woken++;
          }
        })();
      }
      await s.waitIdle();
      return woken === n * SLEEPS;
    }),
    { numRuns: 1, seed: 1, endOnFailure: true },
  );
  const ms = performance.now() - t0;
  expectWork('fast-check', woken, n * SLEEPS);
  return { work: woken, ms };
};

/** The floor: per step create, resolve and await one native promise; no scheduling at all. */
export const floorW1: ToolFn = async (n): Promise<Measurement> => {
  const d = durations(n * SLEEPS);
  let woken = 0;
  let acc = 0;
  const t0 = performance.now();
  await new Promise<void>((resolveAll) => {
    let left = n;
    for (let i = 0; i < n; i++) {
      void (async () => {
        const base = i * SLEEPS;
        for (let k = 0; k < SLEEPS; k++) {
          await new Promise<void>((r) => r());
          acc += d[base + k]!;
          woken++;
        }
        if (--left === 0) resolveAll();
      })();
    }
  });
  const ms = performance.now() - t0;
  expectWork('floor', woken, n * SLEEPS);
  return { work: woken, ms, extra: { checksum: acc } };
};

/**
 * The floor in W1's own wake order: the same native promise per step, but each is resolved when its
 * task's seeded deadline comes up (deadlines kept in per-millisecond buckets, a bucket released at
 * once, its wake-ups run before the next bucket). No clock object, no step-by-step driving, no
 * bookkeeping: what any tool that wakes tasks in deadline order cannot beat. At large N it is much
 * slower than the plain floor, which resumes its tasks in creation order (cache-friendly and
 * short-lived): here every wake-up touches a task suspended long ago, somewhere in a large heap.
 */
export const orderedFloorW1: ToolFn = async (n): Promise<Measurement> => {
  const d = durations(n * SLEEPS);
  let woken = 0;
  let now = 0;
  const due = new DeadlineBuckets<() => void>();
  const sleepUntil = (ms: number): Promise<void> =>
    new Promise<void>((r) => {
      due.add(now + ms, r);
    });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    void (async () => {
      const base = i * SLEEPS;
      for (let k = 0; k < SLEEPS; k++) {
        await sleepUntil(d[base + k]!);
        woken++;
      }
    })();
  }
  while (due.nextDeadline() < Number.POSITIVE_INFINITY) {
    now = due.nextDeadline();
    for (const r of due.takeEarliest()) r();
    await null; // the woken tasks run (each one hop) and file their next sleeps before the next bucket
  }
  const ms = performance.now() - t0;
  expectWork('floor (seeded order)', woken, n * SLEEPS);
  return { work: woken, ms };
};

export const W1: Workload = {
  id: 'W1',
  title: 'W1 sleeps: N tasks × 10 sequential seeded 1–1000 ms sleeps (step = one task woken)',
  unit: 'steps/s',
  metric: 'rate',
  ns: [1_000, 10_000, 100_000, 1_000_000],
  smokeN: 50,
  workFor: (n) => n * SLEEPS,
  tools: {
    floor: floorW1,
    'floor (seeded order)': orderedFloorW1,
    timeweave: timeweaveW1(true),
    'timeweave (trace off)': timeweaveW1(false),
    'sinon runAllAsync': sinonW1,
    'fast-check scheduler': fastCheckW1,
  },
  notes: [
    "`floor (seeded order)` is the floor resuming tasks in the order of their seeded deadlines instead of creation order (see `orderedFloorW1`): the ceiling for any tool that wakes tasks by deadline, with no per-step scheduling at all. The first performance issue's targets are set against the plain floor, the second's (0.6×) against this one.",
  ],
};
