/**
 * The two small programs of this benchmark, for both tools:
 * - `threeByFive`: 3 tasks × 5 awaits, no bug — every run is a full schedule (throughput);
 * - `twoRounds` (timeweave side; the fast-check side is `fcTwoRounds` in fc-programs.ts): the same
 *   3 × 5 shape with a bug needing two ordering constraints in two rounds (from
 *   examples/races/measure.ts), an extra row beside the race examples.
 * @module
 */
import type { Scheduler } from 'fast-check';
import { type Loop, sleep } from '../../src/index.js';

export const TASKS = 3;
export const STEPS = 5;

/** timeweave: each task awaits `sleep(0)` five times; main awaits the tasks in order. */
export async function twThreeByFive(loop: Loop): Promise<void> {
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
  for (const t of ts) await t;
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
