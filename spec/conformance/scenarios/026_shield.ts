// shield: the outer await is cancelled, the shielded task runs to completion.
import { CancelledError, createTask, gather, shield, sleep, type Task } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const important = async (): Promise<string> => {
    await sleep(3000);
    log('important finished');
    return 'saved';
  };
  const caller = async (t: Task<string>): Promise<string> => {
    try {
      return await shield(t);
    } catch (e) {
      if (e instanceof CancelledError) log('caller cancelled');
      throw e;
    }
  };
  const t = createTask(important);
  const c = createTask(() => caller(t));
  await sleep(1000);
  c.cancel();
  await gather([c], { returnExceptions: true });
  log(`caller cancelled=${pyStr(c.cancelled())}, important done=${pyStr(t.done())}`);
  log(`important result ${pyStr(await t)}`);
}
