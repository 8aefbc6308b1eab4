import { createTask, Event, gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const waiter = async (name: string, ev: Event): Promise<void> => {
    log(`${name} waits`);
    await ev.wait();
    log(`${name} released`);
  };
  const ev = new Event();
  const ts = ['a', 'b', 'c'].map((n) => createTask(() => waiter(n, ev)));
  await sleep(1000);
  log(`set; is_set before=${pyStr(ev.isSet())}`);
  ev.set();
  await gather(ts);
  ev.clear();
  log(`cleared is_set=${pyStr(ev.isSet())}`);
}
