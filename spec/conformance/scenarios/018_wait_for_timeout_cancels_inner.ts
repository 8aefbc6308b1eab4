import { CancelledError, sleep, TimeoutError, waitFor } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const slow = async (): Promise<void> => {
    try {
      await sleep(10000);
      log('slow finished');
    } catch (e) {
      if (e instanceof CancelledError) log('slow cancelled');
      throw e;
    }
  };
  try {
    await waitFor(slow, 2000);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('TimeoutError');
  }
  log(`result ${pyStr(await waitFor(() => sleep(1000, 'v'), 2000))}`);
  log(`none ${pyStr(await waitFor(() => sleep(5000, 'n'), null))}`);
}
