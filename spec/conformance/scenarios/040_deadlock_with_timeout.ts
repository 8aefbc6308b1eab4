// Two tasks each wait for an event only the other would set: wait_for's timeout ends it.
import { createTask, Event, gather, TimeoutError, waitFor } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const side = async (_name: string, mine: Event, other: Event): Promise<void> => {
    await other.wait();
    mine.set();
  };
  const [e1, e2] = [new Event(), new Event()];
  const a = createTask(() => side('a', e1, e2));
  const b = createTask(() => side('b', e2, e1));
  try {
    await waitFor(gather([a, b]), 30000);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log(
      `deadlock broken by timeout; a cancelled=${pyStr(a.cancelled())} b cancelled=${pyStr(b.cancelled())}`,
    );
  }
}
