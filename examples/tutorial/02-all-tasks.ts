/**
 * `allTasks()`: the tasks of the running loop that are not done yet. Right after they are created
 * the five workers are pending (they have not run their first step) and main is running.
 */
import { allTasks, createTask, gather, sleep } from '../../src/index.js';
import { makeLog, type Print } from './log.js';

export async function allTasksExample(print: Print): Promise<void> {
  const log = makeLog(print);
  const myTask = async (): Promise<void> => {
    await sleep(1000);
    log('Processing Task');
  };
  const tasks = [];
  for (let i = 0; i < 5; i++) tasks.push(createTask(myTask, { name: `worker-${i}` }));
  for (const t of allTasks()) log(t.toString());
  await gather(tasks);
  log(
    `Completed All Tasks; allTasks() is now [${allTasks()
      .map((t) => t.name)
      .join(', ')}] (main itself)`,
  );
}
