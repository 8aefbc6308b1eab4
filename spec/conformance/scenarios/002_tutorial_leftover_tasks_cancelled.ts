// main creates tasks and returns at once: at the end of run() the leftovers are cancelled
// before they ever start (their bodies never run).
import { createTask, sleep } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const myTask = async (i: number): Promise<void> => {
    log(`task ${i} started`);
    await sleep(1000);
    log(`task ${i} finished`);
  };
  for (let i = 0; i < 3; i++) createTask(() => myTask(i), { name: `t${i}` });
  log('main returns');
}
