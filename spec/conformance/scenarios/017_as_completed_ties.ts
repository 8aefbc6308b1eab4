// Tasks finishing at the same virtual instant come out of as_completed in the order they finished
// (the order their timers were set).
import { asCompleted, createTask, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

async function w(name: string, d: number): Promise<string> {
  await sleep(d);
  return name;
}

export async function main(log: Log): Promise<void> {
  const ts = ['c', 'a', 'b'].map((n) => createTask(() => w(n, 1000)));
  const out: string[] = [];
  for (const f of asCompleted(ts)) out.push(await f);
  log(`order ${pyStr(out)}`);
}
