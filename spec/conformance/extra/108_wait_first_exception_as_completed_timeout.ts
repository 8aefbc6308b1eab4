// wait(FIRST_EXCEPTION) returns at the first error; as_completed with a timeout raises
// TimeoutError for what is left, which keeps running.
import {
  asCompleted,
  createTask,
  FIRST_EXCEPTION,
  sleep,
  type Task,
  TimeoutError,
  wait,
} from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr, pyStr, sorted, ValueError } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const w = async (name: string, d: number, fail = false): Promise<string> => {
    await sleep(d);
    if (fail) throw new ValueError(name);
    log(`${name} finished`);
    return name;
  };
  const names = (s: Iterable<Task<string>>) => pyStr(sorted([...s].map((t) => t.getName())));
  const specs: [string, number, boolean][] = [
    ['a', 1000, false],
    ['b', 2000, true],
    ['c', 3000, false],
  ];
  const ts = specs.map(([n, d, f]) => createTask(() => w(n, d, f), { name: n }));
  const { done, pending } = await wait(ts, { returnWhen: FIRST_EXCEPTION });
  log(`done ${names(done)} pending ${names(pending)}`);
  log(`b exception ${pyRepr(ts[1]!.exception())}`);
  const uspecs: [string, number][] = [
    ['x', 1000],
    ['y', 4000],
    ['z', 2000],
  ];
  const us = uspecs.map(([n, d]) => createTask(() => w(n, d), { name: n }));
  try {
    for (const f of asCompleted(us, { timeout: 3000 })) log(`as_completed got ${pyStr(await f)}`);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log(`as_completed TimeoutError; pending ${pyStr(us.filter((u) => !u.done()).map((u) => u.getName()))}`);
  }
  await sleep(2000);
  log(`all done ${pyStr(us.every((u) => u.done()))}`);
}
