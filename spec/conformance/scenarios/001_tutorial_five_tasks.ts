// The tutorial's first program, with a non-blocking sleep: a generator task creates five tasks;
// main then waits for them.
import { ensureFuture, gather, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const myTask = async (i: number): Promise<void> => {
    await sleep(1000);
    log(`Processing Task ${i}`);
  };
  const tasks = [0, 1, 2, 3, 4].map((i) => ensureFuture(() => myTask(i)));
  log(`created ${tasks.length}`);
  await gather(tasks);
  log('Completed All Tasks');
}
