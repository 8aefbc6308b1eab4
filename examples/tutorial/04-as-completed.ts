/** `asCompleted()`: results in the order the work finishes, not the order it was started. */
import { asCompleted, createTask, sleep } from '../../src/index.js';
import { makeLog, type Print } from './log.js';

export async function asCompletedExample(print: Print): Promise<void> {
  const log = makeLog(print);
  const myWorker = async (n: number, ms: number): Promise<number> => {
    await sleep(ms);
    return n * 2;
  };
  const tasks = [
    [1, 3000],
    [2, 1000],
    [3, 2000],
    [4, 1000],
  ].map(([n, ms]) => createTask(() => myWorker(n!, ms!)));
  for (const next of asCompleted(tasks)) log(`got ${await next}`);
}
