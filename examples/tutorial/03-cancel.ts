/**
 * `cancel()`: a pending task becomes `cancelling` at once and `cancelled` once it has run (the
 * CancelledError is thrown at its await). The tutorial cancels every task from inside one of
 * them; here worker-0 wakes first and cancels its siblings, which never print.
 */
import { allTasks, CancelledError, createTask, currentTask, gather, sleep } from '../../src/index.js';
import { makeLog, type Print } from './log.js';

export async function cancelExample(print: Print): Promise<void> {
  const log = makeLog(print);
  const main = currentTask();
  const myTask = async (): Promise<void> => {
    await sleep(1000);
    log(`Processing Task (${currentTask()?.name})`);
    for (const task of allTasks()) {
      if (task === currentTask() || task === main) continue;
      log(`  ${task.state}`.padEnd(14) + task.name);
      task.cancel('shutting down');
      log(`  ${task.state}`.padEnd(14) + task.name);
    }
  };
  const tasks = [];
  for (let i = 0; i < 5; i++) tasks.push(createTask(myTask, { name: `worker-${i}` }));
  const results = await gather(tasks, { returnExceptions: true });
  const cancelled = results.filter((r) => r instanceof CancelledError).length;
  log(`Completed All Tasks: ${tasks.map((t) => t.state).join(' ')} (${cancelled} cancelled)`);
}
