// A task that catches CancelledError and goes on: cancelling() keeps counting until uncancel();
// a cancel that arrives while the awaited future already has its result still wins; a task that
// cancels itself is cancelled at its next await.
import {
  CancelledError,
  createTask,
  currentTask,
  gather,
  getRunningLoop,
  sleep,
} from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr, pyStr, pyTypeName, tuple } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const stubborn = async (): Promise<string> => {
    for (let i = 0; i < 3; i++) {
      try {
        await sleep(1000);
        log(`stubborn slept ${i}`);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        const me = currentTask()!;
        log(`stubborn caught cancel ${i}, cancelling=${me.cancelling()}`);
        log(`uncancel -> ${me.uncancel()}`);
      }
    }
    return 'stubborn done';
  };
  const selfCancel = async (): Promise<void> => {
    currentTask()!.cancel('self');
    log('self_cancel still running');
    try {
      await sleep(1000);
    } catch (e) {
      if (e instanceof CancelledError) log(`self_cancel cancelled args=${pyRepr(tuple(e.message))}`);
      throw e;
    }
  };
  const s = createTask(stubborn);
  await sleep(500);
  s.cancel();
  await sleep(1000);
  s.cancel();
  s.cancel();
  log(`cancelling=${s.cancelling()}`);
  log(`result ${pyRepr(await s)}`);
  const loop = getRunningLoop();
  const f = loop.createFuture<string>();
  const waiter = async (): Promise<string> => {
    try {
      return await f;
    } catch (e) {
      if (e instanceof CancelledError) log('waiter cancelled although f had a result');
      throw e;
    }
  };
  const t = createTask(waiter);
  await sleep(0);
  f.setResult('value');
  log(`cancel waiter -> ${pyStr(t.cancel())}`);
  const r = await gather([t], { returnExceptions: true });
  log(
    `waiter cancelled=${pyStr(t.cancelled())}, f result ${pyRepr(f.result())}, gather ${pyStr(r.map(pyTypeName))}`,
  );
  const sc = createTask(selfCancel);
  await gather([sc], { returnExceptions: true });
  log(`self_cancel cancelled=${pyStr(sc.cancelled())}`);
}
