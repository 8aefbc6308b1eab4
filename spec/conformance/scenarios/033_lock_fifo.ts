// Lock is FIFO-fair among waiters.
import { gather, Lock, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const worker = async (name: string, lock: Lock, hold: number): Promise<void> => {
    log(`${name} wants lock`);
    await lock.withLock(async () => {
      log(`${name} has lock`);
      await sleep(hold);
    });
    log(`${name} released`);
  };
  const lock = new Lock();
  await gather([
    () => worker('a', lock, 2000),
    () => worker('b', lock, 1000),
    () => worker('c', lock, 1000),
    () => worker('d', lock, 0),
  ]);
  log(`locked=${pyStr(lock.locked())}`);
}
