// Queue(maxsize=2): producer blocks when full; join waits for task_done.
import { createTask, Queue, QueueEmpty, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';
import { pyStr } from '../py-format.js';

export async function main(log: Log): Promise<void> {
  const producer = async (q: Queue<number | null>): Promise<void> => {
    for (let i = 0; i < 5; i++) {
      await q.put(i);
      log(`put ${i} size=${q.qsize()}`);
    }
    await q.put(null);
  };
  const consumer = async (q: Queue<number | null>): Promise<void> => {
    for (;;) {
      const item = await q.get();
      if (item === null) {
        q.taskDone();
        break;
      }
      await sleep(1000);
      log(`got ${item}`);
      q.taskDone();
    }
  };
  const q = new Queue<number | null>(2);
  const c = createTask(() => consumer(q));
  await producer(q);
  await q.join();
  log(`joined empty=${pyStr(q.empty())}`);
  await c;
  try {
    q.getNowait();
  } catch (e) {
    if (!(e instanceof QueueEmpty)) throw e;
    log('QueueEmpty');
  }
}
