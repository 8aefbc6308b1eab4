// Cancelled timers stay in CPython's heap until they reach its head; once more than 100 are held
// and over half are cancelled, the heap is rebuilt (heapify), which reorders equal deadlines.
import { createTask, gather, sleep, type Task, waitFor } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const sleeper = async (name: string, d: number): Promise<void> => {
    await sleep(d);
    log(name);
  };
  const ts: Task<void>[] = [0, 1, 2, 3, 4, 5].map((i) => createTask(() => sleeper(`early${i}`, 50000)));
  await sleep(0);
  // each wait_for leaves its cancelled timeout timer behind the live ones
  for (let i = 0; i < 150; i++) await waitFor(() => sleep(0), (100 + i) * 1000);
  log('storm over');
  ts.push(...[0, 1, 2, 3, 4, 5].map((i) => createTask(() => sleeper(`late${i}`, (50 - 2) * 1000))));
  ts.push(...[0, 1, 2, 3, 4].map((i) => createTask(() => sleeper(`ten${i}`, 10000))));
  await gather(ts);
  log('all woke');
}
