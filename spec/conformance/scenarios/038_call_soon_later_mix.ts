// call_soon / call_later / call_at callbacks interleave with task steps in scheduling order.
import { createTask, getRunningLoop, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const task = async (name: string): Promise<void> => {
    log(`${name} step 1`);
    await sleep(0);
    log(`${name} step 2`);
    await sleep(1000);
    log(`${name} step 3`);
  };
  const loop = getRunningLoop();
  loop.callLater(1000, log, 'later 1s');
  const t = createTask(() => task('t'));
  loop.callSoon(log, 'soon A');
  const h = loop.callLater(500, log, 'never');
  loop.callAt(loop.time() + 1000, log, 'at +1s');
  loop.callSoon(log, 'soon B');
  h.cancel();
  await t;
  log('main done');
}
