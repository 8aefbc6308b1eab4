import { BoundedSemaphore, gather, Semaphore, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const job = async (n: number, sem: Semaphore): Promise<void> => {
    await sem.withLock(async () => {
      log(`job ${n} start`);
      await sleep(((n % 3) + 1) * 1000);
      log(`job ${n} end`);
    });
  };
  const sem = new Semaphore(2);
  await gather([0, 1, 2, 3, 4].map((n) => () => job(n, sem)));
  const b = new BoundedSemaphore(1);
  await b.acquire();
  b.release();
  try {
    b.release();
  } catch (e) {
    // asyncio raises ValueError here; timeweave raises RangeError, its JavaScript counterpart.
    if (!(e instanceof RangeError)) throw e;
    log('BoundedSemaphore over-release: ValueError');
  }
}
