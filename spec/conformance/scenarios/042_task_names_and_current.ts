import { createTask, currentTask, gather } from '../../../src/index.js';
import type { Log } from '../harness.js';

export async function main(log: Log): Promise<void> {
  const child = async (): Promise<void> => {
    log(`current ${currentTask()!.getName()}`);
  };
  log(`main is ${currentTask()!.getName()}`);
  const t = createTask(child);
  const u = createTask(child, { name: 'custom' });
  await gather([t, u]);
  u.setName('renamed');
  log(`names ${t.getName()} ${u.getName()}`);
}
