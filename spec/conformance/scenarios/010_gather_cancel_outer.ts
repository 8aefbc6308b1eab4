// Cancelling the gather future cancels every child still running.
import { CancelledError, gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const child = async (name: string, d: number): Promise<void> => {
    try {
      await sleep(d);
      log(`${name} finished`);
    } catch (e) {
      if (e instanceof CancelledError) log(`${name} cancelled`);
      throw e;
    }
  };
  const g = gather([() => child('a', 1000), () => child('b', 5000), () => child('c', 6000)]);
  await sleep(2000);
  log(`cancel gather: ${pyStr(g.cancel())}`);
  try {
    await g;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log('gather raised CancelledError');
  }
}
