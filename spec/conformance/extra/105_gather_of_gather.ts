// gather of gathers: results nest in argument order; an inner error propagates at once while
// the other children keep running; cancelling the outer gather cancels through the inner one.
import { CancelledError, gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr, pyTypeName, ValueError } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const w = async (name: string, d: number, fail = false): Promise<string> => {
    try {
      await sleep(d);
    } catch (e) {
      if (e instanceof CancelledError) log(`${name} cancelled`);
      throw e;
    }
    if (fail) throw new ValueError(name);
    log(`${name} finished`);
    return name;
  };
  let r: unknown[] = await gather([
    gather([() => w('a', 2000), () => w('b', 1000)]),
    () => w('c', 3000),
    gather([]),
  ]);
  log(`nested ${pyStr(r)}`);
  const inner = gather([() => w('d', 1000, true), () => w('e', 2000)]);
  try {
    await gather([inner, () => w('f', 3000)]);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    log(`outer raised ValueError ${pyStr(e)}`);
  }
  await sleep(5000);
  const [first, second] = await gather([
    gather([() => w('g', 1000, true), () => w('h', 1000)], { returnExceptions: true }),
    () => w('i', 1000),
  ]);
  r = [first.map(pyTypeName), second];
  log(`inner return_exceptions ${pyStr(r)}`);
  const outer = gather([gather([() => w('j', 2000), () => w('k', 3000)]), () => w('l', 4000)]);
  await sleep(1000);
  log(`cancel outer -> ${pyStr(outer.cancel())}`);
  try {
    await outer;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log(`outer CancelledError; outer.cancelled()=${pyStr(outer.cancelled())}`);
  }
}
