/**
 * The tutorial's first program: a generator task creates five tasks with ensureFuture.
 *
 * The Python original calls the blocking `time.sleep(1)` inside each task, so every task finishes
 * in its first step, one second of wall-clock time apart. Here each task sleeps one *virtual*
 * second with the non-blocking `sleep(1000)`, so all five wake at t=1000 and the program takes
 * microseconds of real time. Like `asyncio.run`, `run` cancels tasks still pending when main
 * returns, so main awaits them with `gather` (the tutorial's loop just happened to run them first).
 */
import { ensureFuture, gather, sleep, type Task } from '../../src/index.js';
import { makeLog, type Print } from './log.js';

export async function simple(print: Print): Promise<void> {
  const log = makeLog(print);
  const myTask = async (i: number): Promise<void> => {
    await sleep(1000);
    log(`Processing Task ${i}`);
  };
  const myTaskGenerator = (): Task<void>[] => {
    const tasks: Task<void>[] = [];
    for (let i = 0; i < 5; i++) tasks.push(ensureFuture(() => myTask(i)) as Task<void>);
    return tasks;
  };
  await gather(myTaskGenerator());
  log('Completed All Tasks');
}
