// main returns while tasks are mid-sleep or mid-cleanup: the run's cleanup cancels them and
// waits, their handlers may await again before finishing.
import { CancelledError, createTask, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<string> {
  const worker = async (name: string, d: number): Promise<void> => {
    try {
      await sleep(d);
      log(`${name} finished`);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log(`${name} cancelled, cleaning up`);
      await sleep(0);
      log(`${name} cleanup step 2`);
      throw e;
    }
  };
  createTask(() => worker('quick', 1000));
  createTask(() => worker('slow', 10000));
  createTask(() => worker('slower', 20000));
  await sleep(2000);
  log('main returns');
  return 'main result';
}
