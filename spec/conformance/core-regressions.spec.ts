/**
 * Core bugs found while porting the CPython conformance corpus, each pinned to what CPython 3.11
 * does (the Python program and its output are quoted in each test).
 */
import { describe, expect, it } from 'vitest';
import {
  asCompleted,
  createTask,
  gather,
  getRunningLoop,
  Loop,
  sleep,
  type Task,
  TimeoutError,
  taskGroup,
} from '../../src/index.js';

describe('core regressions (CPython 3.11 behaviour)', () => {
  it('default task names count only unnamed tasks; create_task/TaskGroup name after creating', async () => {
    // loop.create_task(c, name='x'); loop.create_task(c); asyncio.create_task(c, name='y');
    // asyncio.create_task(c); tg.create_task(c, name='z'); tg.create_task(c)
    // -> x Task-2 y Task-4 z Task-6   (main is Task-1)
    const loop = new Loop({ policy: 'asyncio' });
    const names = await loop.run(async () => {
      const noop = async (): Promise<void> => {};
      const l = getRunningLoop();
      const ts: Task<void>[] = [l.createTask(noop, { name: 'x' }), l.createTask(noop)];
      ts.push(createTask(noop, { name: 'y' }), createTask(noop));
      await taskGroup(async (tg) => {
        ts.push(tg.createTask(noop, { name: 'z' }), tg.createTask(noop));
      });
      await gather(ts);
      return ts.map((t) => t.name);
    });
    expect(names).toEqual(['x', 'Task-2', 'y', 'Task-4', 'z', 'Task-6']);
    // The trace names tasks the same way.
    expect(loop.trace.taskList().map((t) => t.name)).toEqual([
      'Task-1',
      'x',
      'Task-2',
      'y',
      'Task-4',
      'z',
      'Task-6',
    ]);
  });

  it('asCompleted starts when first iterated: its timeout counts from then (asyncio.as_completed is a generator)', async () => {
    // t = create_task(sleep(2.5, 'a')); ac = as_completed([t], timeout=1); await sleep(2)
    // for f in ac: await f   -> 'a' at t=2.5 (the timeout would fire at t=3), no TimeoutError
    const loop = new Loop({ policy: 'asyncio' });
    const got = await loop.run(async () => {
      const t = createTask(() => sleep(2500, 'a'));
      const ac = asCompleted([t], { timeout: 1000 });
      await sleep(2000);
      const out: string[] = [];
      try {
        for (const f of ac) out.push(`${await f}@${loop.time()}`);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        out.push(`TimeoutError@${loop.time()}`);
      }
      return out;
    });
    expect(got).toEqual(['a@2500']);
  });
});
