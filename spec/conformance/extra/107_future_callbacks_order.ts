// A future's done callbacks and the tasks awaiting it are woken in registration order, each as
// its own ready callback; a callback added to a done future runs on the next turn.
import { createTask, type Future, gather, getRunningLoop, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyRepr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const awaiter = async (name: string, f: Future<string>): Promise<void> => {
    const r = await f;
    log(`${name} resumed with ${pyRepr(r)}`);
  };
  const ticker = async (): Promise<void> => {
    for (let i = 0; i < 4; i++) {
      log(`tick ${i}`);
      await sleep(0);
    }
  };
  const loop = getRunningLoop();
  const f = loop.createFuture<string>();
  f.addDoneCallback(() => log('cb1'));
  const t1 = createTask(() => awaiter('t1', f));
  await sleep(0);
  f.addDoneCallback(() => log('cb2'));
  const t2 = createTask(() => awaiter('t2', f));
  const cb3 = (): void => log('cb3');
  f.addDoneCallback(cb3);
  f.addDoneCallback(cb3);
  await sleep(0);
  log(`removed ${f.removeDoneCallback(cb3)}`);
  f.addDoneCallback(() => log('cb4'));
  const tk = createTask(ticker);
  loop.callSoon((v: string) => f.setResult(v), 'v');
  await gather([t1, t2, tk]);
  f.addDoneCallback(() => log('late cb'));
  log('after late add');
  await sleep(0);
  log('main done');
}
