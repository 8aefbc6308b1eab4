// main fails: the error ends the run after the leftover tasks were cancelled and finished.
import { CancelledError, createTask, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr, pyStr, RuntimeError, ValueError } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const helper = async (): Promise<void> => {
    try {
      await sleep(10000);
    } catch (e) {
      if (e instanceof CancelledError) log('helper cancelled');
      throw e;
    }
  };
  const failing = async (): Promise<never> => {
    await sleep(1000);
    throw new ValueError('child broke');
  };
  createTask(helper);
  const t = createTask(failing);
  try {
    await t;
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    log(`main got ${pyRepr(e)}, raising`);
    throw new RuntimeError(`main failed: ${pyStr(e)}`);
  }
}
