/**
 * W6 small runs: what a test suite mostly makes. One unit is a whole run of a small program — 5
 * concurrent handlers, each sleeping 3 times (10–14 virtual ms), gathered — set up and torn down:
 * timeweave's `run()` (with `sleep` and `gather`); the same with `fakeGlobals: true` (the issue's
 * measure); the program written against `setTimeout` and `Promise.all` under `fakeGlobals: true`
 * (what user code under fake timers looks like); and sinon's fake-timers running that `setTimeout`
 * program (install, `runAllAsync`, uninstall). The floor runs the program's promises with no clock.
 * @module
 */
import FakeTimers from '@sinonjs/fake-timers';
import { run, sleep } from '../../src/api.js';
import { gather } from '../../src/combinators/gather.js';
import { expectWork, type ToolFn, type Workload } from '../lib/types.js';

/** Handlers per run, and sleeps per handler. */
export const HANDLERS = 5;
export const SLEEPS = 3;

/** The program; `delay(i)` is handler i's sleep (distinct per handler, so the clock moves 15 times). */
function twProgramWith(delay: (i: number) => number): () => Promise<number> {
  return async () => {
    let woken = 0;
    await gather(
      Array.from({ length: HANDLERS }, (_, i) => async () => {
        for (let k = 0; k < SLEEPS; k++) {
          await sleep(delay(i));
          woken++;
        }
      }),
    );
    return woken;
  };
}

const twProgram = twProgramWith((i) => 10 + i);
/**
 * The same steps with `sleep(0)`: the clock never moves, so no step waits for a real macrotask.
 * The difference to `twProgram` is what the 15 clock moves cost (docs/performance.md).
 */
const twProgramNoMove = twProgramWith(() => 0);

/** The program as plain Node code: `setTimeout` promises and `Promise.all`. */
async function nodeProgram(): Promise<number> {
  let woken = 0;
  await Promise.all(
    Array.from({ length: HANDLERS }, async (_, i) => {
      for (let k = 0; k < SLEEPS; k++) {
        await new Promise<void>((resolve) => setTimeout(resolve, 10 + i));
        woken++;
      }
    }),
  );
  return woken;
}

function timeweaveW6(fakeGlobals: boolean, program: () => Promise<number>): ToolFn {
  return async (n) => {
    let woken = 0;
    const options = fakeGlobals ? { fakeGlobals: true } : undefined;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) woken += await run(program, options);
    const ms = performance.now() - t0;
    expectWork('timeweave', woken, n * HANDLERS * SLEEPS);
    return { work: n, ms, extra: { usPerRun: (ms * 1000) / n } };
  };
}

/** sinon: install the fake clock, run the program to the end with `runAllAsync`, uninstall. */
export const sinonW6: ToolFn = async (n) => {
  let woken = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const clock = FakeTimers.install();
    try {
      const p = nodeProgram();
      await clock.runAllAsync();
      woken += await p;
    } finally {
      clock.uninstall();
    }
  }
  const ms = performance.now() - t0;
  expectWork('sinon', woken, n * HANDLERS * SLEEPS);
  return { work: n, ms, extra: { usPerRun: (ms * 1000) / n } };
};

/** The floor: the same awaits on already-resolved promises, no clock, no scheduler. */
export const floorW6: ToolFn = async (n) => {
  let woken = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await Promise.all(
      Array.from({ length: HANDLERS }, async () => {
        for (let k = 0; k < SLEEPS; k++) {
          await Promise.resolve();
          woken++;
        }
      }),
    );
  }
  const ms = performance.now() - t0;
  expectWork('floor', woken, n * HANDLERS * SLEEPS);
  return { work: n, ms, extra: { usPerRun: (ms * 1000) / n } };
};

export const W6: Workload = {
  id: 'W6',
  title: 'W6 small runs: 5 handlers × 3 sleeps, gathered, set up and torn down N times (unit = one run)',
  unit: 'runs/s',
  metric: 'rate',
  ns: [1_000, 10_000],
  smokeN: 5,
  tools: {
    floor: floorW6,
    timeweave: timeweaveW6(false, twProgram),
    'timeweave (sleep(0): no clock move)': timeweaveW6(false, twProgramNoMove),
    'timeweave (fake globals)': timeweaveW6(true, twProgram),
    'timeweave (fake globals, setTimeout program)': timeweaveW6(true, nodeProgram),
    'sinon install + runAllAsync + uninstall': sinonW6,
  },
  notes: [
    'The `sleep(0)` column runs the same tasks and steps with every sleep 0 ms: the clock never moves, so it shows what the clock moves cost. A clock move must wait for a real macrotask: Node reports an unhandled rejection only then, and a run that did not wait would miss a rejection handled at a later instant (spec/unhandled-rejections.spec.ts).',
    'µs per run = 1 000 000 ÷ runs/s. timeweave moves its clock several times per run here, and before each move lets one real macrotask pass so that no microtask of the instant is still pending. The setTimeout program is slower still: its handlers await native promises that fake timer callbacks resolve, so each such step waits for a real macrotask (see issue 15, point 4, for the same cost behind `Promise.all`).',
  ],
};
