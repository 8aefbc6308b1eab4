// wait with timeout: done and pending sets; pending tasks keep running afterwards.
import { createTask, sleep, wait } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr, sorted } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const worker = async (n: number, d: number): Promise<number> => {
    await sleep(d);
    log(`worker ${n} finished`);
    return n;
  };
  const specs: [number, number][] = [
    [1, 1000],
    [2, 3000],
    [3, 2000],
    [4, 5000],
  ];
  const ts = specs.map(([n, d]) => createTask(() => worker(n, d), { name: `w${n}` }));
  const { done, pending } = await wait(ts, { timeout: 2000 });
  const names = (s: Iterable<{ getName(): string }>) => sorted([...s].map((t) => t.getName()));
  log(`done ${pyStr(names(done))} pending ${pyStr(names(pending))}`);
  await sleep(10000);
  log(`later all done: ${pyStr(ts.every((t) => t.done()))}`);
}
