// Cancelling a gather: when every child has already finished, cancel() returns False and the
// results still arrive; with return_exceptions the cancellation still propagates if a child was
// cancelled by it; a task cancelled while awaiting gather cancels the children.
import { CancelledError, createTask, gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr, pyTypeName } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const w = async (name: string, d: number): Promise<string> => {
    try {
      await sleep(d);
    } catch (e) {
      if (e instanceof CancelledError) log(`${name} cancelled`);
      throw e;
    }
    log(`${name} finished`);
    return name;
  };
  let g = gather([() => w('a', 0), () => w('b', 0)]);
  await sleep(0);
  await sleep(0);
  log(`cancel after children finished -> ${pyStr(g.cancel())} done=${pyStr(g.done())}`);
  log(`results ${pyStr(await g)}`);
  g = gather([() => w('c', 1000), () => w('d', 3000)], { returnExceptions: true }) as typeof g;
  await sleep(2000);
  log(`cancel -> ${pyStr(g.cancel())}`);
  try {
    log(`results ${pyStr(await g)}`);
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log(`CancelledError although return_exceptions; g.cancelled()=${pyStr(g.cancelled())}`);
  }
  const awaiter = async (): Promise<string[]> => {
    try {
      return await gather([() => w('e', 1000), () => w('f', 2000)]);
    } catch (e) {
      if (e instanceof CancelledError) log('awaiter cancelled');
      throw e;
    }
  };
  const t = createTask(awaiter);
  await sleep(1500);
  log(`cancel awaiter -> ${pyStr(t.cancel())}`);
  const r = await gather([t], { returnExceptions: true });
  log(`awaiter cancelled=${pyStr(t.cancelled())} ${pyStr(r.map(pyTypeName))}`);
}
