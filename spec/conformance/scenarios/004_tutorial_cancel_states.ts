// cancel(): pending -> cancelling (cancel requested) -> cancelled once the task has run.
import { createTask, gather, sleep, type Task } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

function state(t: Task<unknown>): string {
  if (t.done()) return t.cancelled() ? 'cancelled' : 'finished';
  return t.cancelling() ? 'cancelling' : 'pending';
}

export async function main(log: Log): Promise<void> {
  const myTask = async (i: number): Promise<void> => {
    await sleep(1000);
    log(`task ${i} done`);
  };
  const ts = [0, 1, 2].map((i) => createTask(() => myTask(i)));
  await sleep(0);
  log(ts.map(state).join(' '));
  log(`cancel returns ${pyStr(ts[1]!.cancel())}`);
  log(ts.map(state).join(' '));
  await sleep(0);
  log(ts.map(state).join(' '));
  log(`cancel again returns ${pyStr(ts[1]!.cancel())}`);
  await gather(ts, { returnExceptions: true });
  log(ts.map(state).join(' '));
}
