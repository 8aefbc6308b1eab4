// asyncio.timeout (3.11): expiry, reschedule, nesting (inner expires first / outer first).
import { getRunningLoop, sleep, TimeoutError, timeout } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  try {
    await timeout(2000, async () => {
      await sleep(5000);
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('expired at 2s');
  }
  await timeout(2000, async (cm) => {
    cm.reschedule(getRunningLoop().time() + 4000);
    await sleep(3000);
    log(`rescheduled, expired=${pyStr(cm.expired())}`);
  });
  try {
    await timeout(5000, async () => {
      try {
        await timeout(1000, async () => {
          await sleep(3000);
        });
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        log('inner expired');
      }
      await sleep(10000);
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('outer expired');
  }
}
