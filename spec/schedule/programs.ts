/**
 * Programs the schedule specs record and replay (also used by record-fixtures.ts, which recorded
 * the files under fixtures/traces/). Each takes a variant, so a spec can change the program the way
 * a code change would and check that replay notices.
 */
import { createTask, sleep } from '../../src/api.js';
import { getRunningLoop } from '../../src/running.js';

export interface WorkersVariant {
  /** Task names, in creation order. */
  readonly names?: readonly string[];
  /** Each round sleeps this long, then yields once. */
  readonly sleepMs?: number;
  readonly rounds?: number;
  /** Appended to the result. */
  readonly suffix?: string;
}

/** Named workers that sleep the same time each round (same-instant wake-ups) and yield. */
export function workers(v: WorkersVariant = {}): () => Promise<string> {
  return async () => {
    const log: string[] = [];
    const tasks = (v.names ?? ['a', 'b', 'c']).map((name) =>
      createTask(
        async () => {
          for (let r = 0; r < (v.rounds ?? 2); r++) {
            await sleep(v.sleepMs ?? 10);
            log.push(name);
            await sleep(0);
          }
        },
        { name },
      ),
    );
    for (const t of tasks) await t;
    return log.join('') + (v.suffix ?? '');
  };
}

/**
 * The classic lost update: two tasks read a shared counter, yield, and write back read+1. Under fifo
 * the result is 2; a schedule that runs both reads before either write gives 1.
 */
export async function lostUpdate(): Promise<number> {
  let counter = 0;
  const increment = async (): Promise<void> => {
    const read = counter;
    await sleep(0);
    counter = read + 1;
  };
  const a = createTask(increment, { name: 'inc-a' });
  await sleep(0);
  const b = createTask(increment, { name: 'inc-b' });
  await a;
  await b;
  return counter;
}

/** The lost update as a failing test would see it: throws when an increment was lost. */
export async function lostUpdateChecked(): Promise<number> {
  const counter = await lostUpdate();
  if (counter !== 2) throw new Error(`lost update: counter is ${counter}, expected 2`);
  return counter;
}

/** Same-instant timers and sleepers, with a timer callback that notes its name. */
export async function timersAndSleepers(): Promise<string> {
  const loop = getRunningLoop('timersAndSleepers');
  const log: string[] = [];
  for (const n of ['t0', 't1', 't2']) loop.callLater(5, () => log.push(n));
  const sleepers = ['s0', 's1', 's2', 's3', 's4'].map((name) =>
    createTask(
      async () => {
        await sleep(5);
        log.push(name);
      },
      { name },
    ),
  );
  for (const s of sleepers) await s;
  return log.join(',');
}
