/**
 * A deeper ordering bug for measuring search strategies: three tasks × five `sleep(0)` steps that fail
 * only when, in round 2, c runs before a AND, in round 4, b runs before a — two deviations from fifo,
 * in two different batches. Shared by the shrink spec, examples/races/measure.ts and bench/races.
 * @module
 */
import { type Loop, sleep } from '../../src/index.js';

/** Steps per task. */
export const TWO_ROUNDS_STEPS = 5;

/** Runs the three tasks on `loop`; returns the order of their steps, or throws `Error('bad order')`. */
export async function twoRounds(loop: Loop): Promise<string[]> {
  const log: string[] = [];
  const ts = ['a', 'b', 'c'].map((name) =>
    loop.createTask(
      async () => {
        for (let step = 1; step <= TWO_ROUNDS_STEPS; step++) {
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
  return log;
}
