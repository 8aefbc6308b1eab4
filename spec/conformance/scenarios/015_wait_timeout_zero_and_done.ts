// wait(timeout=0) returns at once; waiting on already-done tasks returns them as done.
import { createTask, sleep, wait } from '../../../src/index.js';
import type { Log } from '../harness.js';

async function w(d: number): Promise<number> {
  await sleep(d * 1000);
  return d;
}

export async function main(log: Log): Promise<void> {
  const ts = [0, 1].map((d) => createTask(() => w(d), { name: `w${d}` }));
  let { done, pending } = await wait(ts, { timeout: 0 });
  log(`timeout=0: done ${done.size} pending ${pending.size}`);
  await sleep(2000);
  ({ done, pending } = await wait(ts));
  log(`after: done ${done.size} pending ${pending.size}`);
}
