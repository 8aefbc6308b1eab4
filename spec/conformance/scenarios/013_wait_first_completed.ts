import { createTask, FIRST_COMPLETED, sleep, type Task, wait } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr, sorted } from '../py-format.js';

async function w(d: number): Promise<number> {
  await sleep(d * 1000);
  return d;
}

export async function main(log: Log): Promise<void> {
  const names = (s: Iterable<Task<number>>) => pyStr(sorted([...s].map((t) => t.getName())));
  const ts = new Set([3, 1, 2].map((d) => createTask(() => w(d), { name: `w${d}` })));
  let { done, pending } = await wait(ts, { returnWhen: FIRST_COMPLETED });
  log(`done ${names(done)} pending ${names(pending)}`);
  ({ done, pending } = await wait(pending, { returnWhen: FIRST_COMPLETED }));
  log(`done ${names(done)} pending ${names(pending)}`);
}
