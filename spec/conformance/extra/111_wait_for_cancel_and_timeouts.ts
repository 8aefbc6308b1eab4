// wait_for cancelled at the instant its inner task completes returns the result (the cancellation
// is swallowed); asyncio.timeout: the outer deadline first, a deadline moved into the past, none.
import {
  CancelledError,
  createTask,
  gather,
  getRunningLoop,
  sleep,
  type Timeout,
  TimeoutError,
  timeout,
  waitFor,
} from '../../../src/index.js';
import type { Log } from '../harness.js';
import { float, pyRepr, pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const inner = async (): Promise<string> => {
    await sleep(1000);
    log('inner done');
    return 'inner result';
  };
  const wf = async (): Promise<string> => {
    try {
      const r = await waitFor(inner, 5000);
      log(`wf got ${pyRepr(r)}`);
      return r;
    } catch (e) {
      if (e instanceof CancelledError) log('wf cancelled');
      throw e;
    }
  };
  const t = createTask(wf);
  await sleep(1000);
  log(`cancel wf -> ${pyStr(t.cancel())}`);
  const r = await gather([t], { returnExceptions: true });
  log(`wf cancelled=${pyStr(t.cancelled())} gather=${pyRepr(r)}`);
  try {
    await timeout(1000, async () => {
      try {
        await timeout(5000, async () => {
          await sleep(3000);
        });
      } catch (e) {
        if (e instanceof TimeoutError) log('inner TimeoutError');
        else {
          if (e instanceof CancelledError) log('inner saw CancelledError');
          throw e;
        }
      }
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('outer TimeoutError');
  }
  const loop = getRunningLoop();
  let cm!: Timeout;
  try {
    await timeout(10000, async (c) => {
      cm = c;
      log(`when ${pyStr(float((cm.when()! - loop.time()) / 1000))}`);
      cm.reschedule(loop.time() - 1000);
      log(`expired before await: ${pyStr(cm.expired())}`);
      await sleep(0);
      log('not reached');
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log(`moved into the past: expired=${pyStr(cm.expired())}`);
  }
  await timeout(null, async (c) => {
    cm = c;
    await sleep(2000);
    cm.reschedule(loop.time() + 1000);
    try {
      await sleep(500);
      log('half a second fits');
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log('not reached');
    }
  });
  log(`none: expired=${pyStr(cm.expired())}`);
  try {
    await timeout(0, async () => {
      await sleep(0);
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('timeout(0) expires at the first await');
  }
}
