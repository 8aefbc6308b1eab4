/**
 * W4 fuzz throughput: a small racy program (3 tasks × 5 read–yield–write steps on a shared counter)
 * run under N seeded schedules: timeweave with `new Loop({ policy: 'random', seed: i })` per run,
 * fast-check with `fc.assert(fc.asyncProperty(fc.scheduler(), …), { numRuns: N })`. One unit = one run.
 * @module
 */
import fc from 'fast-check';
import { sleep } from '../../src/api.js';
import { explore } from '../../src/explore/explore.js';
import { Loop } from '../../src/loop.js';
import { expectWork, type ToolFn, type Workload } from '../lib/types.js';

const TASKS = 3;
const STEPS = 5;

function timeweaveW4(trace: boolean): ToolFn {
  return async (n) => {
    let runs = 0;
    let lost = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const loop = new Loop({ policy: 'random', seed: i, trace });
      let counter = 0;
      await loop.run(async () => {
        const tasks = [];
        for (let t = 0; t < TASKS; t++) {
          tasks.push(
            loop.createTask(async () => {
              for (let s = 0; s < STEPS; s++) {
                const v = counter;
                await sleep(0);
                counter = v + 1;
              }
            }),
          );
        }
        for (const t of tasks) await t;
      });
      if (counter < TASKS * STEPS) lost++;
      runs++;
    }
    const ms = performance.now() - t0;
    expectWork('timeweave', runs, n);
    return { work: runs, ms, extra: { lostUpdateRuns: lost } };
  };
}

/**
 * The same program written against `setTimeout` (each yield is `await new Promise((r) => setTimeout(r, 0))`),
 * explored with fake globals: what fuzzing code that uses Node's timers costs. `explore` makes the fifo
 * run and then n − 1 random ones.
 */
export const timeweaveW4FakeGlobals: ToolFn = async (n) => {
  let lost = 0;
  const t0 = performance.now();
  const report = await explore(
    async () => {
      let counter = 0;
      await Promise.all(
        Array.from({ length: TASKS }, async () => {
          for (let s = 0; s < STEPS; s++) {
            const v = counter;
            await new Promise<void>((r) => setTimeout(r, 0));
            counter = v + 1;
          }
        }),
      );
      if (counter < TASKS * STEPS) lost++;
    },
    { strategy: 'random', runs: n - 1, shrink: false, loop: { fakeGlobals: true } },
  );
  const ms = performance.now() - t0;
  expectWork('timeweave', report.runs, n);
  return { work: report.runs, ms, extra: { lostUpdateRuns: lost } };
};

export const fastCheckW4: ToolFn = async (n) => {
  let runs = 0;
  let lost = 0;
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      let counter = 0;
      const tasks = [];
      for (let t = 0; t < TASKS; t++) {
        tasks.push(
          (async () => {
            for (let k = 0; k < STEPS; k++) {
              const v = counter;
              await s.schedule(Promise.resolve());
              counter = v + 1;
            }
          })(),
        );
      }
      await s.waitIdle();
      await Promise.all(tasks);
      if (counter < TASKS * STEPS) lost++;
      runs++;
      return true;
    }),
    { numRuns: n, seed: 1 },
  );
  const ms = performance.now() - t0;
  expectWork('fast-check', runs, n);
  return { work: runs, ms, extra: { lostUpdateRuns: lost } };
};

export const W4: Workload = {
  id: 'W4',
  title: 'W4 fuzz throughput: 3 tasks × 5 read–yield–write steps under N seeded schedules (unit = one run)',
  unit: 'runs/s',
  metric: 'rate',
  ns: [10_000, 100_000],
  smokeN: 20,
  tools: {
    timeweave: timeweaveW4(true),
    'timeweave (trace off)': timeweaveW4(false),
    'timeweave explore (fake globals, setTimeout program)': timeweaveW4FakeGlobals,
    'fast-check scheduler': fastCheckW4,
  },
  notes: [
    "`timeweave explore (fake globals, setTimeout program)` runs the counter program written with `await new Promise((r) => setTimeout(r, 0))` for each yield, under `explore(main, { strategy: 'random', loop: { fakeGlobals: true } })`: explore patches `node:timers` and `node:timers/promises` once per campaign (docs/fake-globals.md), so a run pays the globals and one real macrotask per fake timer callback, not the re-synchronisation of ES module imports.",
    "Each figure includes the process's JIT warm-up: for timeweave the first thousand runs take about a third of a 10k campaign (about 85 µs a run, against about 9 µs once optimised). N=100k shows both tools past it.",
  ],
};
