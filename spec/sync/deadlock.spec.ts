import { describe, expect, it } from 'vitest';
import {
  BoundedSemaphore,
  Condition,
  createTask,
  DeadlockError,
  gather,
  Lock,
  Loop,
  PriorityQueue,
  Semaphore,
  sleep,
} from '../../src/index.js';

async function deadlock(main: () => Promise<unknown>): Promise<DeadlockError> {
  const err = await new Loop({ policy: 'asyncio' }).run(main).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DeadlockError);
  return err as DeadlockError;
}

describe('deadlocks on primitives are reported with what each task awaits', () => {
  it('two locks taken in opposite orders', async () => {
    const err = await deadlock(async () => {
      const a = new Lock();
      const b = new Lock();
      const t1 = createTask(
        () =>
          a.withLock(async () => {
            await sleep(10);
            await b.withLock(() => undefined);
          }),
        { name: 'ab' },
      );
      const t2 = createTask(
        () =>
          b.withLock(async () => {
            await sleep(10);
            await a.withLock(() => undefined);
          }),
        { name: 'ba' },
      );
      await gather([t1, t2]);
    });
    expect(err.blocked).toEqual([
      { task: 'Task-1', awaits: 'gather()' },
      { task: 'ab', awaits: 'Lock.acquire()' },
      { task: 'ba', awaits: 'Lock.acquire()' },
    ]);
    expect(err.message).toMatch(/deadlock at t=10ms/);
    expect(err.message).toContain('ab awaits Lock.acquire()');
  });

  it('semaphores, a condition and a priority queue nobody serves', async () => {
    const err = await deadlock(async () => {
      const s = new Semaphore(0);
      const bs = new BoundedSemaphore(0);
      const cond = new Condition();
      const pq = new PriorityQueue<number>();
      createTask(() => s.acquire(), { name: 's' });
      createTask(() => bs.acquire(), { name: 'bs' });
      createTask(() => cond.withLock(() => cond.wait()), { name: 'cond' });
      await pq.get();
    });
    expect(err.blocked).toEqual([
      { task: 'Task-1', awaits: 'PriorityQueue.get()' },
      { task: 's', awaits: 'Semaphore.acquire()' },
      { task: 'bs', awaits: 'BoundedSemaphore.acquire()' },
      { task: 'cond', awaits: 'Condition.wait()' },
    ]);
  });
});
