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

  describe('loop.run shuts down as asyncio.run does (Runner.close)', () => {
    // CPython 3.11, asyncio.Runner on the corpus's virtual-time loop:
    //   def chain(name, i):
    //       log(f"{name}{i}")
    //       if i < 12: loop.call_soon(chain, name, i + 1)
    //   async def leftover():
    //       try: await asyncio.sleep(10)
    //       finally: loop.call_soon(chain, "L", 0)
    //   async def main():
    //       [asyncio.create_task(leftover()); await asyncio.sleep(1)]   # second case only
    //       loop.call_soon(chain, "M", 0); loop.call_later(0, log, "timer due now"); log("main returns")
    // After main, Runner.close() cancels and gathers the leftovers, then runs shutdown_asyncgens() and
    // shutdown_default_executor() to completion: callbacks still ready keep running for those iterations.
    const program = async (withLeftover: boolean): Promise<string[]> => {
      const out: string[] = [];
      const loop = new Loop({ policy: 'asyncio' });
      const chain = (name: string, i: number): void => {
        out.push(`${name}${i}`);
        if (i < 12) loop.callSoon(chain, name, i + 1);
      };
      await loop.run(async () => {
        if (withLeftover) {
          createTask(async () => {
            try {
              await sleep(10000);
            } finally {
              loop.callSoon(chain, 'L', 0);
            }
          });
          await sleep(1000);
        }
        loop.callSoon(chain, 'M', 0);
        loop.callLater(0, (m: string) => out.push(m), 'timer due now');
        out.push('main returns');
      });
      return out;
    };

    it('with no task left: four more iterations (two shutdown coroutines)', async () => {
      expect(await program(false)).toEqual(['main returns', 'M0', 'timer due now', 'M1', 'M2', 'M3', 'M4']);
    });

    it('with a task left: it is cancelled and gathered, then five more iterations', async () => {
      expect(await program(true)).toEqual(
        ['main returns', 'M0', 'timer due now', 'M1', 'M2', 'L0', 'M3', 'L1', 'M4', 'L2'].concat([
          'M5',
          'L3',
          'M6',
          'L4',
          'M7',
          'L5',
        ]),
      );
    });
  });
});
