// Default task names count only the tasks created without a name. asyncio.create_task and
// TaskGroup.create_task create the task unnamed and then rename it (so they use up a number);
// loop.create_task(coro, name=...) does not.
import {
  createTask,
  ensureFuture,
  gather,
  getRunningLoop,
  type Task,
  taskGroup,
} from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const noop = async (): Promise<void> => {};
  const loop = getRunningLoop();
  const a = loop.createTask(noop, { name: 'loop-named' });
  const b = loop.createTask(noop);
  const c = createTask(noop, { name: 'named' });
  const d = createTask(noop);
  let e!: Task<void>;
  let f!: Task<void>;
  await taskGroup(async (tg) => {
    e = tg.createTask(noop, { name: 'tg-named' });
    f = tg.createTask(noop);
  });
  const g = ensureFuture(noop) as Task<void>;
  await gather([a, b, c, d, g, noop]);
  const h = createTask(noop);
  await h;
  log([a, b, c, d, e, f, g, h].map((t) => t.getName()).join(' '));
}
