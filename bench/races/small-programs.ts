/**
 * The two small programs of this benchmark, for both tools:
 * - `threeByFive`: 3 tasks × 5 awaits, no bug — every run is a full schedule (throughput);
 * - `twoRounds` (timeweave side; the fast-check side is `fcTwoRounds` in fc-programs.ts): the same
 *   3 × 5 shape with a bug needing two ordering constraints in two rounds (from
 *   examples/races/measure.ts), an extra row beside the race examples.
 * @module
 */
import type { Scheduler } from 'fast-check';
import { gather, type Loop, sleep, type Task } from '../../src/index.js';

export const TASKS = 3;
export const STEPS = 5;

/** The three tasks of the 3 × 5 program: each awaits `sleep(0)` five times. */
function startThree(loop: Loop): Task<void>[] {
  const ts = [];
  for (let i = 0; i < TASKS; i++)
    ts.push(
      loop.createTask(
        async () => {
          for (let s = 0; s < STEPS; s++) await sleep(0);
        },
        { name: `t${i}` },
      ),
    );
  return ts;
}

/** timeweave: each task awaits `sleep(0)` five times; main awaits the tasks in order. */
export async function twThreeByFive(loop: Loop): Promise<void> {
  for (const t of startThree(loop)) await t;
}

/**
 * The same 3 × 5 program with main joining its tasks by `gather(tasks)` or by a plain
 * `Promise.all(tasks)`, then awaiting `sleep(0)` `after` times (issue 15, point 4: what a join through
 * a native promise costs, against the same join with gather).
 */
export function twThreeByFiveJoined(
  join: 'gather' | 'Promise.all',
  after: number,
): (loop: Loop) => Promise<void> {
  return async (loop) => {
    const ts = startThree(loop);
    if (join === 'gather') await gather(ts);
    else await Promise.all(ts);
    for (let k = 0; k < after; k++) await sleep(0);
  };
}

/** fast-check: each `sleep(0)` is a scheduled promise; tasks are called at once (see fc-programs.ts). */
export async function fcThreeByFive(s: Scheduler): Promise<void> {
  const ts = [];
  for (let i = 0; i < TASKS; i++)
    ts.push(
      (async () => {
        for (let k = 0; k < STEPS; k++) await s.schedule(Promise.resolve(), `t${i}`);
      })(),
    );
  for (const t of ts) await t;
}

/** The timeweave side of the two-rounds program (examples/races/two-rounds.ts). */
export { twoRounds as twTwoRounds } from '../../examples/races/two-rounds.js';
