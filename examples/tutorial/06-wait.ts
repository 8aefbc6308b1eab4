/**
 * `wait()` with a timeout: returns `{ done, pending }` when the time is up; the pending tasks keep
 * running (asyncio.wait never cancels them).
 */
import { createTask, sleep, wait } from '../../src/index.js';
import { makeLog, type Print } from './log.js';

export async function waitExample(print: Print): Promise<void> {
  const log = makeLog(print);
  const myWorker = async (ms: number): Promise<void> => {
    await sleep(ms);
    log(`Hello World after ${ms}ms`);
  };
  const tasks = [1000, 3000, 2500, 500, 4000].map((ms, i) =>
    createTask(() => myWorker(ms), { name: `w${i}` }),
  );
  const { done, pending } = await wait(tasks, { timeout: 2000 });
  const names = (s: Set<{ name: string }>): string => [...s].map((t) => t.name).join(',');
  log(`timeout: done=[${names(done)}] pending=[${names(pending)}]`);
  await wait(pending);
  log('the pending ones finished too');
}
