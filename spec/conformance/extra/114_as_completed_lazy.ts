// as_completed is a generator: nothing happens until it is first iterated. Coroutines become tasks
// then, and the timeout counts from then, not from the call.
import { asCompleted, createTask, sleep, TimeoutError } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const w = async (n: string, d: number): Promise<string> => {
    log(`${n} starts`);
    await sleep(d);
    log(`${n} done`);
    return n;
  };
  const ts = [createTask(() => w('a', 2500)), createTask(() => w('b', 500)), createTask(() => w('c', 4000))];
  let ac = asCompleted(ts, { timeout: 1000 });
  await sleep(2000);
  log('iterating');
  try {
    for (const f of ac) log(`got ${pyStr(await f)}`);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('TimeoutError');
  }
  ac = asCompleted([() => w('d', 1000)]);
  await sleep(1000);
  log('iterating again');
  for (const f of ac) log(`got ${pyStr(await f)}`);
  await ts[2];
}
