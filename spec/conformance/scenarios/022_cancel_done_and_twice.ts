import { CancelledError, createTask, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr, pyStr, tuple } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const quick = async (): Promise<number> => 1;
  const sleeper = async (): Promise<void> => {
    try {
      await sleep(5000);
    } catch (e) {
      if (e instanceof CancelledError) {
        const args = e.message === '' ? tuple() : tuple(e.message);
        log(`cancelled with args ${pyRepr(args)}`);
      }
      throw e;
    }
  };
  const t = createTask(quick);
  await t;
  log(`cancel done task -> ${pyStr(t.cancel())} cancelled=${pyStr(t.cancelled())}`);
  const s = createTask(sleeper);
  await sleep(1000);
  log(`first cancel ${pyStr(s.cancel('first'))} cancelling=${s.cancelling()}`);
  log(`second cancel ${pyStr(s.cancel('second'))} cancelling=${s.cancelling()}`);
  try {
    await s;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log(`awaiting raised CancelledError; cancelled=${pyStr(s.cancelled())}`);
  }
}
