// Cancel while a task is in sleep(0): the cancellation lands at that await.
import { CancelledError, createTask, gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const spinner = async (): Promise<never> => {
    let n = 0;
    try {
      for (;;) {
        n += 1;
        await sleep(0);
      }
    } catch (e) {
      if (e instanceof CancelledError) log(`spinner cancelled after ${n} turns`);
      throw e;
    }
  };
  const t = createTask(spinner);
  for (let i = 0; i < 3; i++) await sleep(0);
  t.cancel();
  await gather([t], { returnExceptions: true });
  log(`cancelled=${pyStr(t.cancelled())}`);
}
