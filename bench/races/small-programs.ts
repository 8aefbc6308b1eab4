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

/** Needs two deviations in two different rounds: c before a in round 2, b before a in round 4. */
export async function twTwoRounds(loop: Loop): Promise<void> {
  const log: string[] = [];
  const ts = ['a', 'b', 'c'].map((name) =>
    loop.createTask(
      async () => {
        for (let step = 1; step <= STEPS; step++) {
          log.push(`${name}${step}`);
          await sleep(0);
        }
      },
      { name },
    ),
  );
  for (const t of ts) await t;
  const before = (x: string, y: string) => log.indexOf(x) < log.indexOf(y);
  if (before('c2', 'a2') && before('b4', 'a4')) throw new Error('bad order');
}
