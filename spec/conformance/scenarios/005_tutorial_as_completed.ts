// as_completed yields in completion order, not submission order. (Tasks are created in
// argument order: given bare coroutines, CPython's as_completed creates the tasks while
// iterating a set, so ties at one instant come out in an order that varies between runs.)
import { asCompleted, createTask, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

async function worker(n: number, d: number): Promise<number> {
  await sleep(d);
  return n * 2;
}

export async function main(log: Log): Promise<void> {
  const specs: [number, number][] = [
    [1, 3000],
    [2, 1000],
    [3, 2000],
    [4, 1000],
  ];
  const tasks = specs.map(([n, d]) => createTask(() => worker(n, d)));
  for (const f of asCompleted(tasks)) log(`got ${pyStr(await f)}`);
}
