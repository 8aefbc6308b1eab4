/**
 * The Task API: cancellation, state, results, done callbacks, names, repr, AbortSignal, current/all.
 */
import { describe, expect, it } from 'vitest';
import {
  allTasks,
  CancelledError,
  createTask,
  currentTask,
  Event,
  InvalidStateError,
  Loop,
  run,
  sleep,
  type Task,
} from '../src/index.js';

describe('cancellation', () => {
  it('delivers the cancel message at the await where the task is suspended', async () => {
    const r = await run(async () => {
      const t = createTask(async () => {
        try {
          await sleep(1000);
          return 'slept';
        } catch (e) {
          return `caught ${(e as Error).name}: ${(e as Error).message}`;
        }
      });
      await sleep(1);
      expect(t.cancel('stop now')).toBe(true);
      return await t;
    });
    expect(r).toBe('caught CancelledError: stop now');
  });

  it('an awaiter of a cancelled task gets CancelledError carrying the message', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const t = createTask(() => sleep(1000));
      await sleep(1);
      t.cancel('shutting down');
      try {
        await t;
        return 'no error';
      } catch (e) {
        return [(e as Error).constructor.name, (e as Error).message, t.cancelled(), loop.time()];
      }
    });
    expect(r).toEqual(['CancelledError', 'shutting down', true, 1]);
  });

  it('cancel before the first step never runs the body', async () => {
    let ran = false;
    const r = await run(async () => {
      const t = createTask(async () => {
        ran = true;
      });
      t.cancel('too early');
      const err = await t.then(
        () => null,
        (e: unknown) => e,
      );
      return [err instanceof CancelledError, (err as Error).message, t.state];
    });
    expect(ran).toBe(false);
    expect(r).toEqual([true, 'too early', 'cancelled']);
  });

  it('cancel of a done task returns false and changes nothing', async () => {
    await run(async () => {
      const t = createTask(async () => 5);
      await t;
      expect(t.cancel()).toBe(false);
      expect(t.cancelling()).toBe(0);
      expect(t.state).toBe('finished');
      expect(t.result()).toBe(5);
    });
  });

  it('cancelling() counts requests and uncancel() takes them back', async () => {
    await run(async () => {
      let inside: number[] = [];
      const t = createTask(async () => {
        try {
          await sleep(100);
        } catch {
          inside = [currentTask()!.cancelling()];
          inside.push(currentTask()!.uncancel());
          inside.push(currentTask()!.uncancel());
          inside.push(currentTask()!.uncancel());
        }
        await sleep(5);
        return 'recovered';
      });
      await sleep(1);
      expect(t.cancelling()).toBe(0);
      t.cancel();
      t.cancel();
      expect(t.cancelling()).toBe(2);
      expect(await t).toBe('recovered');
      expect(inside).toEqual([2, 1, 0, 0]);
      expect(t.state).toBe('finished');
    });
  });

  it('state goes pending → cancelling → cancelled', async () => {
    await run(async () => {
      const seen: string[] = [];
      const t = createTask(async () => {
        try {
          await sleep(10);
        } finally {
          seen.push(`in finally: ${currentTask()!.state}`);
          await sleep(10);
        }
      });
      seen.push(t.state);
      await sleep(1);
      t.cancel();
      seen.push(t.state);
      await sleep(5);
      seen.push(t.state);
      await t.then(
        () => {},
        () => {},
      );
      seen.push(t.state);
      expect(seen).toEqual(['pending', 'cancelling', 'in finally: cancelling', 'cancelling', 'cancelled']);
      expect(t.cancelled()).toBe(true);
      expect(t.done()).toBe(true);
    });
  });

  it('a task that swallows the cancellation and returns ends finished', async () => {
    await run(async () => {
      const t = createTask(async () => {
        try {
          await sleep(10);
        } catch {
          return 'ignored';
        }
        return 'slept';
      });
      await sleep(1);
      t.cancel();
      expect(await t).toBe('ignored');
      expect(t.state).toBe('finished');
      expect(t.cancelled()).toBe(false);
    });
  });

  it('a task cancelled while running its step gets the error at its next await', async () => {
    await run(async () => {
      const log: string[] = [];
      const t = createTask(async () => {
        currentTask()!.cancel('self');
        log.push('still running');
        try {
          await sleep(0);
        } catch (e) {
          log.push(`caught ${(e as Error).message}`);
          throw e;
        }
      });
      await t.then(
        () => {},
        () => {},
      );
      expect(log).toEqual(['still running', 'caught self']);
      expect(t.cancelled()).toBe(true);
    });
  });

  it('cancelling a task cancels the task it awaits', async () => {
    await run(async () => {
      const inner = createTask(() => sleep(100));
      const outer = createTask(() => inner);
      await sleep(1);
      outer.cancel();
      await outer.then(
        () => {},
        () => {},
      );
      expect(outer.cancelled()).toBe(true);
      expect(inner.cancelled()).toBe(true);
    });
  });
});

describe('results', () => {
  it('result() and exception() before done throw InvalidStateError', async () => {
    await run(async () => {
      const t = createTask(() => sleep(5, 'v'));
      expect(() => t.result()).toThrow(InvalidStateError);
      expect(() => t.result()).toThrow('Result is not ready.');
      expect(() => t.exception()).toThrow(InvalidStateError);
      expect(await t).toBe('v');
      expect(t.result()).toBe('v');
      expect(t.exception()).toBeNull();
    });
  });

  it('result() rethrows the error, exception() returns it; a cancelled task throws CancelledError from both', async () => {
    await run(async () => {
      const boom = new Error('boom');
      const bad = createTask(async () => {
        throw boom;
      });
      const gone = createTask(() => sleep(5));
      gone.cancel('bye');
      await sleep(1);
      expect(() => bad.result()).toThrow(boom);
      expect(bad.exception()).toBe(boom);
      expect(() => gone.result()).toThrow(CancelledError);
      expect(() => gone.exception()).toThrow(CancelledError);
    });
  });

  it('a synchronous function and a thrown error both become task outcomes', async () => {
    await run(async () => {
      const sync = createTask(() => 7);
      const throws = createTask(() => {
        throw new TypeError('sync throw');
      });
      expect(await sync).toBe(7);
      await expect(throws).rejects.toThrow('sync throw');
    });
  });
});

describe('done callbacks', () => {
  it('run in registration order, each as its own step, after the task is done', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const t = createTask(() => sleep(5, 'x'));
      t.addDoneCallback((f) => log.push(`first ${f.result()}`));
      t.addDoneCallback(() => log.push('second'));
      t.addDoneCallback(() => log.push('third'));
      await t;
      log.push('main resumed');
      await sleep(0);
    });
    expect(log).toEqual(['first x', 'second', 'third', 'main resumed']);
  });

  it('removeDoneCallback removes every registration of the function and says how many', async () => {
    const log: string[] = [];
    await run(async () => {
      const t = createTask(() => sleep(5));
      const a = (): void => {
        log.push('a');
      };
      const b = (): void => {
        log.push('b');
      };
      t.addDoneCallback(a);
      t.addDoneCallback(b);
      t.addDoneCallback(a);
      expect(t.removeDoneCallback(a)).toBe(2);
      expect(t.removeDoneCallback(a)).toBe(0);
      await t;
      await sleep(0);
    });
    expect(log).toEqual(['b']);
  });

  it('a callback added after the task is done still runs, as a later step', async () => {
    const log: string[] = [];
    await run(async () => {
      const t = createTask(async () => 1);
      await t;
      t.addDoneCallback(() => log.push('late'));
      log.push('before');
      await sleep(0);
      log.push('after');
    });
    expect(log).toEqual(['before', 'late', 'after']);
  });
});

describe('names and repr', () => {
  it('numbers tasks Task-N per loop, from 1 for the main task', async () => {
    const names = async (): Promise<string[]> =>
      run(async () => {
        const a = createTask(async () => {});
        const b = createTask(async () => {}, { name: 'custom' });
        const c = createTask(async () => {});
        await Promise.all([a, b, c]);
        return [currentTask()!.name, a.name, b.name, c.name];
      });
    expect(await names()).toEqual(['Task-1', 'Task-2', 'custom', 'Task-4']);
    expect(await names()).toEqual(['Task-1', 'Task-2', 'custom', 'Task-4']);
  });

  it('a name that is not a string is converted, as asyncio does with str(name)', async () => {
    await run(async () => {
      const t = createTask(async () => {}, { name: 42 as unknown as string });
      expect(t.name).toBe('42');
      expect(t.toString()).toContain("name='42'");
      await t;
    });
  });

  it('setName renames the task, in the trace too', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const t = createTask(() => sleep(1));
      t.setName('renamed');
      expect(t.getName()).toBe('renamed');
      t.name = 'again';
      expect(t.name).toBe('again');
      await t;
    });
    const actors = new Set(loop.trace.events().map((e) => e.task));
    expect(actors.has('again')).toBe(true);
    expect(actors.has('Task-2')).toBe(false);
  });

  it("toString() shows what a pending task waits for, as asyncio's wait_for=<…> (CPython test_task_repr_wait_for)", async () => {
    await run(async () => {
      const ev = new Event();
      const inner = createTask(() => ev.wait(), { name: 'inner' });
      const outer = createTask(async () => inner, { name: 'outer' });
      await sleep(0);
      expect(outer.toString()).toMatch(
        /^<Task pending name='outer' wait_for=<Task pending name='inner' wait_for=<[^>]+pending>>>$/,
      );
      ev.set();
      await outer;
      expect(outer.toString()).toBe("<Task finished name='outer' result=true>");
    });
  });

  it("toString() follows asyncio's repr", async () => {
    await run(async () => {
      async function worker(): Promise<number> {
        await sleep(5);
        return 42;
      }
      const t = createTask(worker, { name: 'w' });
      expect(t.toString()).toBe("<Task pending name='w' fn=worker>");
      await sleep(1);
      t.cancel();
      // asyncio too shows the future a cancelling task waits on, already cancelled.
      expect(t.toString()).toBe("<Task cancelling name='w' fn=worker wait_for=<sleep cancelled>>");
      await t.then(
        () => {},
        () => {},
      );
      expect(t.toString()).toBe("<Task cancelled name='w' fn=worker>");
      const ok = createTask(worker);
      await ok;
      expect(ok.toString()).toBe("<Task finished name='Task-3' fn=worker result=42>");
      const bad = createTask(async () => {
        throw new RangeError('nope');
      });
      await bad.then(
        () => {},
        () => {},
      );
      expect(bad.toString()).toBe("<Task finished name='Task-4' exception=RangeError('nope')>");
    });
  });
});

describe('signal', () => {
  it('is an AbortSignal aborted on cancellation, with the CancelledError as reason', async () => {
    await run(async () => {
      const reasons: unknown[] = [];
      const t = createTask(async () => {
        const signal = currentTask()!.signal;
        signal.addEventListener('abort', () => reasons.push(signal.reason));
        await sleep(100);
      });
      await sleep(1);
      expect(t.signal.aborted).toBe(false);
      t.cancel('no longer needed');
      expect(t.signal.aborted).toBe(true);
      expect(t.signal.reason).toBeInstanceOf(CancelledError);
      expect((t.signal.reason as Error).message).toBe('no longer needed');
      expect(reasons).toHaveLength(1);
      await t.then(
        () => {},
        () => {},
      );
    });
  });

  it('read after cancellation it is already aborted; a finished task’s signal never aborts', async () => {
    await run(async () => {
      const t = createTask(() => sleep(10));
      t.cancel('x');
      expect(t.signal.aborted).toBe(true);
      expect((t.signal.reason as Error).message).toBe('x');
      await t.then(
        () => {},
        () => {},
      );
      const ok = createTask(async () => 1);
      await ok;
      expect(ok.signal.aborted).toBe(false);
    });
  });

  it('a task cancelled by itself raising CancelledError aborts its signal too', async () => {
    await run(async () => {
      const t = createTask(async () => {
        await sleep(1);
        throw new CancelledError('self-inflicted');
      });
      const signal = t.signal;
      await t.then(
        () => {},
        () => {},
      );
      expect(t.cancelled()).toBe(true);
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(CancelledError);
    });
  });
});

describe('currentTask and allTasks', () => {
  it('currentTask() is the task running the code, null in a plain callback', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const main = currentTask();
      expect(main?.name).toBe('Task-1');
      let inChild: Task<unknown> | null = null;
      const child = createTask(async () => {
        await sleep(1);
        inChild = currentTask();
      });
      let inCallback: Task<unknown> | null | 'unset' = 'unset';
      loop.callSoon(() => {
        inCallback = currentTask();
      });
      await child;
      expect(inChild).toBe(child);
      expect(inCallback).toBeNull();
      expect(currentTask()).toBe(main);
    });
  });

  it('currentTask() stays right after awaiting native promises inside a task', async () => {
    await run(async () => {
      const seen: (string | undefined)[] = [];
      const mk = (n: string) =>
        createTask(
          async () => {
            await Promise.resolve();
            seen.push(currentTask()?.name);
            await sleep(1);
            await Promise.resolve();
            seen.push(currentTask()?.name);
          },
          { name: n },
        );
      await Promise.all([mk('a'), mk('b')]);
      expect(seen).toEqual(['a', 'b', 'a', 'b']);
    });
  });

  it('allTasks() lists the tasks not yet done, in creation order', async () => {
    await run(async () => {
      const a = createTask(() => sleep(10), { name: 'a' });
      const b = createTask(() => sleep(5), { name: 'b' });
      expect(allTasks().map((t) => t.name)).toEqual(['Task-1', 'a', 'b']);
      await b;
      expect(allTasks().map((t) => t.name)).toEqual(['Task-1', 'a']);
      await a;
      expect(allTasks()).toEqual([currentTask()]);
    });
  });

  it('run cancels the tasks left when main returns and lets them finish', async () => {
    const loop = new Loop();
    const log: string[] = [];
    let left!: Task<void>;
    const r = await loop.run(async () => {
      left = createTask(async () => {
        try {
          await sleep(1000);
        } finally {
          log.push(`cleanup at ${loop.time()}`);
        }
      });
      await sleep(10);
      return 'main done';
    });
    expect(r).toBe('main done');
    expect(left.cancelled()).toBe(true);
    expect(log).toEqual(['cleanup at 10']);
  });
});

describe('Task.setResult / setException (CPython test_tasks.py: test_task_set_methods)', () => {
  it('throw, as asyncio raises RuntimeError, and leave the task running to its own result', async () => {
    const r = await run(async () => {
      const t = createTask(async () => {
        await sleep(5);
        return 'own result';
      });
      expect(() => t.setResult('forced' as never)).toThrow(/Task does not support setResult\(\)/);
      expect(() => t.setException(new Error('x'))).toThrow(/Task does not support setException\(\)/);
      expect(t.done()).toBe(false);
      return t;
    });
    expect(r).toBe('own result');
  });
});
