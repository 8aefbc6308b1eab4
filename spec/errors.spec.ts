/**
 * Failure modes: each gives a clear error, never a hang or a silent pass.
 */
import { describe, expect, it } from 'vitest';
import {
  allTasks,
  asCompleted,
  CancelledError,
  createTask,
  currentTask,
  DeadlockError,
  Event,
  ensureFuture,
  Future,
  gather,
  getRunningLoop,
  InvalidStateError,
  Loop,
  run,
  StepLimitError,
  shield,
  sleep,
  type Task,
  TaskGroupError,
  TimeoutError,
  taskGroup,
  timeout,
  timeoutAt,
  type UnretrievedReport,
  wait,
  waitFor,
} from '../src/index.js';

/** Runs `main` on `loop` and returns what it rejected with (fails the test if it resolved). */
async function failure(loop: Loop, main: () => Promise<unknown>): Promise<unknown> {
  let resolved = false;
  const err = await loop.run(main).then(
    () => {
      resolved = true;
    },
    (e: unknown) => e,
  );
  expect(resolved).toBe(false);
  return err;
}

describe('deadlock', () => {
  it('lists each blocked task and what it awaits: a future, another task, a labelled event', async () => {
    const loop = new Loop();
    const err = await failure(loop, async () => {
      const plain = loop.createFuture<number>();
      const event = loop.createFuture<void>('Event.wait()');
      const a = createTask(async () => plain, { name: 'waits-future' });
      createTask(async () => event, { name: 'waits-event' });
      const c = createTask(async () => a, { name: 'waits-task' });
      await sleep(5);
      await c;
    });
    expect(err).toBeInstanceOf(DeadlockError);
    const d = err as DeadlockError;
    expect(d.blocked).toEqual([
      { task: 'Task-1', awaits: 'waits-task' },
      { task: 'waits-future', awaits: 'Future' },
      { task: 'waits-event', awaits: 'Event.wait()' },
      { task: 'waits-task', awaits: 'waits-future' },
    ]);
    expect(d.message).toContain('deadlock at t=5ms');
    expect(d.message).toContain('waits-event awaits Event.wait()');
    expect(d.message).toContain('waits-task awaits waits-future');
    expect(d.message).toMatch(/waitFor\(\)\/timeout\(\)/);
  });

  it('a main task awaiting a future nobody completes deadlocks at once', async () => {
    const loop = new Loop();
    const err = await failure(loop, async () => {
      await loop.createFuture('never');
    });
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).blocked).toEqual([{ task: 'Task-1', awaits: 'never' }]);
  });

  it('a deadlock in the shutdown phase (a task ignoring cancellation) is reported too', async () => {
    const loop = new Loop();
    const err = await failure(loop, async () => {
      createTask(
        async () => {
          try {
            await sleep(1000);
          } catch {
            await loop.createFuture('cleanup that never ends');
          }
        },
        { name: 'stubborn' },
      );
      await sleep(1);
    });
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).blocked).toEqual([{ task: 'stubborn', awaits: 'cleanup that never ends' }]);
    expect((err as Error).message).toContain(
      'main has finished, but the tasks left over, cancelled by run(), cannot finish',
    );
  });
});

describe('runaway programs', () => {
  it('maxSteps: StepLimitError names the looping task', async () => {
    const loop = new Loop({ maxSteps: 500 });
    const err = await failure(loop, async () => {
      const spinner = createTask(
        async () => {
          for (;;) await sleep(0);
        },
        { name: 'spinner' },
      );
      await spinner;
    });
    expect(err).toBeInstanceOf(StepLimitError);
    const e = err as StepLimitError;
    expect(e.limit).toBe('steps');
    expect(e.task).toBe('spinner');
    expect(e.message).toContain('maxSteps exceeded: 500 steps');
    expect(e.message).toContain('spinner');
    expect(e.message).toContain('Raise maxSteps if the program is just long');
  });

  it('maxSteps: a runaway interval is blamed (not main), and the report says time was moving', async () => {
    const loop = new Loop({ fakeGlobals: true, maxSteps: 5000 });
    const err = await failure(loop, async () => {
      setInterval(function tick() {}, 10);
      await new Promise(() => {}); // waits for something the interval never does
    });
    expect(err).toBeInstanceOf(StepLimitError);
    const e = err as StepLimitError;
    expect(e.limit).toBe('steps');
    expect(e.task).toBeNull();
    expect(e.message).toMatch(
      /The callback setInterval\(tick\) ran most of the last 256 steps while virtual time kept moving \(a timer or interval that is never cleared/,
    );
    expect(e.message).not.toMatch(/Task Task-1/);
  });

  it('maxTime: StepLimitError before the clock passes the limit', async () => {
    const loop = new Loop({ maxTime: 1000 });
    const err = await failure(loop, async () => {
      const ticker = createTask(
        async () => {
          for (;;) await sleep(300);
        },
        { name: 'ticker' },
      );
      await ticker;
    });
    expect(err).toBeInstanceOf(StepLimitError);
    const e = err as StepLimitError;
    expect(e.limit).toBe('time');
    expect(e.task).toBe('ticker');
    expect(e.message).toContain('t=1200ms, past maxTime=1000ms');
    expect(loop.time()).toBe(900);
  });

  it('rejects invalid limits', () => {
    expect(() => new Loop({ maxSteps: 0 })).toThrow(/maxSteps must be a positive number/);
    expect(() => new Loop({ maxTime: Number.NaN })).toThrow(/maxTime must be a positive number/);
  });
});

describe('errors nobody retrieved', () => {
  it('reports a task error nobody retrieved, with the task name, and not a retrieved one', async () => {
    const reports: UnretrievedReport[] = [];
    const loop = new Loop({ onUnretrieved: (r) => reports.push(r) });
    await loop.run(async () => {
      createTask(
        async () => {
          await sleep(3);
          throw new Error('lost');
        },
        { name: 'forgotten' },
      );
      const seen = createTask(
        async () => {
          throw new Error('seen');
        },
        { name: 'awaited' },
      );
      const checked = createTask(
        async () => {
          throw new Error('checked');
        },
        { name: 'inspected' },
      );
      await expect(seen).rejects.toThrow('seen');
      await sleep(10);
      expect(checked.exception()).toBeInstanceOf(Error);
    });
    expect(reports).toHaveLength(1);
    const [r] = reports;
    expect(r!.task).toBe('forgotten');
    expect(r!.message).toContain('Task exception was never retrieved');
    expect(r!.message).toContain('forgotten');
    expect(r!.message).toContain("Error('lost')");
    expect(r!.time).toBe(3);
    expect((r!.error as Error).message).toBe('lost');
    expect(loop.unretrieved).toEqual(reports);
    expect(loop.trace.events().filter((e) => e.kind === 'unretrieved')).toHaveLength(1);
  });

  it('a future error nobody retrieved is reported under its label; main’s own error is not', async () => {
    const reports: UnretrievedReport[] = [];
    const loop = new Loop({ onUnretrieved: (r) => reports.push(r) });
    await expect(
      loop.run(async () => {
        const f = loop.createFuture('side-channel');
        f.setException(new Error('ignored'));
        await sleep(1);
        throw new Error('main failed');
      }),
    ).rejects.toThrow('main failed');
    expect(reports.map((r) => r.task)).toEqual([null]);
    expect(reports[0]!.message).toContain('side-channel');
  });

  it('an error nobody retrieved is reported also when the run fails (it is often why it deadlocked)', async () => {
    const reports: UnretrievedReport[] = [];
    const loop = new Loop({ onUnretrieved: (r) => reports.push(r) });
    const err = await loop
      .run(async () => {
        const result = loop.createFuture<number>('worker result');
        createTask(
          async () => {
            await sleep(2);
            throw new Error('worker crashed');
            // result.setResult(...) is never reached
          },
          { name: 'worker' },
        );
        return await result;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect(reports.map((r) => r.task)).toEqual(['worker']);
    expect(reports[0]!.message).toContain('Task exception was never retrieved: worker failed at t=2ms');
  });

  it('cancelled tasks are never reported', async () => {
    const reports: UnretrievedReport[] = [];
    await run(
      async () => {
        const t = createTask(() => sleep(100));
        await sleep(1);
        t.cancel();
      },
      { onUnretrieved: (r) => reports.push(r) },
    );
    expect(reports).toEqual([]);
  });
});

describe('no running loop', () => {
  it.each([
    ['sleep', () => sleep(1)],
    ['createTask', () => createTask(async () => 1)],
    ['currentTask', () => currentTask()],
    ['allTasks', () => allTasks()],
    ['ensureFuture', () => ensureFuture(Promise.resolve(1))],
    ['gather', () => gather([])],
    ['gather', () => gather([async () => 1])],
    ['shield', () => shield(async () => 1)],
    // asyncio's as_completed is a generator: the loop is looked up when it is first iterated.
    ['asCompleted', () => [...asCompleted([])]],
    ['new Future', () => new Future()],
  ])('%s() throws an error naming the function', (name, call) => {
    expect(call).toThrow(`${name}() was called with no running timeweave loop`);
  });

  it.each([
    ['waitFor', () => waitFor(Promise.resolve(1), 5)],
    ['timeout', () => timeout(5, async () => 1)],
    ['taskGroup', () => taskGroup(async () => 1)],
  ])('%s() rejects with an error naming the function', async (name, call) => {
    await expect(Promise.resolve().then(call)).rejects.toThrow(`${name}() was called with no running`);
  });

  it('wait() rejects with an error naming it', async () => {
    const loop = new Loop();
    let fut!: Future<number>;
    await loop.run(async () => {
      fut = loop.createFuture<number>();
      fut.setResult(1);
    });
    await expect(wait([fut])).rejects.toThrow('wait() was called with no running timeweave loop');
  });
});

describe('negative delays, as asyncio (CPython test_base_events: test_call_later_negative_delays)', () => {
  it('sleep(-1) is one yield; callLater(-1) runs on the next iteration, after the callbacks already ready', async () => {
    // CPython 3.11 prints ['soon', 'after sleep -1', 'later -1'] for the same program.
    for (const policy of ['asyncio', 'fifo'] as const) {
      const out: string[] = [];
      const r = run(
        async () => {
          const loop = getRunningLoop();
          loop.callLater(-1, () => out.push('later -1'));
          loop.callSoon(() => out.push('soon'));
          await sleep(-1);
          out.push('after sleep -1');
          await sleep(0);
        },
        { policy },
      );
      await r;
      expect(out).toEqual(['soon', 'after sleep -1', 'later -1']);
      expect(r.loop.time()).toBe(0);
    }
  });
});

describe('bad arguments', () => {
  it('sleep: NaN and non-number delays', async () => {
    await run(async () => {
      expect(() => sleep(Number.NaN)).toThrow(TypeError);
      expect(() => sleep(Number.NaN)).toThrow('sleep(): the delay must be a number of virtual milliseconds');
      expect(() => sleep('5' as unknown as number)).toThrow("not string '5'");
    });
  });

  it('callSoon/callLater/callAt', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      expect(() => loop.callLater(Number.NaN, () => {})).toThrow(TypeError);
      expect(() => loop.callSoon('f' as unknown as () => void)).toThrow(
        "callSoon() takes a callback function, not string 'f'",
      );
      expect(() => loop.callLater(1, null as unknown as () => void)).toThrow(
        'callAt() takes a callback function, not null',
      );
      expect(() => loop.callAt(Number.NaN, () => {})).toThrow('callAt(): the time must be a number');
    });
  });

  it('createTask with a promise or a non-function', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const p = Promise.resolve(1);
      expect(() => createTask(p as unknown as () => Promise<number>)).toThrow(
        /createTask\(\) takes a function returning a promise \(e\.g\. \(\) => work\(\)\), not a promise/,
      );
      expect(() => loop.createTask(42 as unknown as () => number)).toThrow('not number 42');
      expect(() => loop.createTask(undefined as unknown as () => number)).toThrow('not undefined');
    });
  });

  it('loop.run with a non-function', () => {
    const loop = new Loop();
    expect(() => loop.run(Promise.resolve(1) as unknown as () => Promise<number>)).toThrow(
      'loop.run() takes a function (e.g. () => main()), not a promise',
    );
  });

  it('gather(a, b) instead of gather([a, b])', async () => {
    await run(async () => {
      const a = createTask(() => sleep(1, 'a'));
      const b = createTask(() => sleep(1, 'b'));
      expect(() => (gather as unknown as (x: unknown, y: unknown) => unknown)(a, b)).toThrow(
        'gather() takes an array of awaitables: gather([a, b, c]), not gather(a, b, c)',
      );
      await gather([a, b]);
    });
  });

  it('wait with no futures, with a bare future, with functions, and with an invalid returnWhen', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = loop.createFuture<number>();
      f.setResult(1);
      await expect(wait([])).rejects.toThrow('wait() was given no futures');
      await expect(wait(f as unknown as Iterable<Future<number>>)).rejects.toThrow(
        'wait() takes an iterable of futures or tasks',
      );
      await expect(wait([(async () => 1) as unknown as Future<number>])).rejects.toThrow(
        'wrap functions with createTask() first',
      );
      await expect(wait([f], { returnWhen: 'FIRST' as unknown as 'FIRST_COMPLETED' })).rejects.toThrow(
        'wait(): invalid returnWhen "FIRST"',
      );
    });
  });

  it('waitFor and timeout with a NaN delay', async () => {
    await run(async () => {
      await expect(waitFor(sleep(1), Number.NaN)).rejects.toThrow(
        'waitFor(): the timeout must be a number of ms or null',
      );
      expect(() => timeout(Number.NaN, async () => 1)).toThrow(
        'timeout(): the delay must be a number of ms or null, not NaN',
      );
      await expect(timeoutAt(Number.NaN, async () => 1)).rejects.toThrow(/timeoutAt\(\).*NaN/);
    });
  });

  it('an unknown policy', () => {
    expect(() => new Loop({ policy: 'lifo' as unknown as 'fifo' })).toThrow(/policy/i);
  });
});

describe('misusing loops', () => {
  it('loop.run twice', async () => {
    const loop = new Loop();
    await loop.run(async () => 1);
    expect(() => loop.run(async () => 2)).toThrow(
      'This loop has already run; create a new Loop for each run.',
    );
  });

  it('loop.run while it is running', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      expect(() => loop.run(async () => 2)).toThrow('This loop has already run');
    });
  });

  it('nested run from a task', async () => {
    await run(async () => {
      const inner = new Loop();
      expect(() => inner.run(async () => 1)).toThrow(
        'loop.run() cannot be called from a task of another running loop',
      );
      expect(() => run(async () => 1)).toThrow('cannot be called from a task of another running loop');
      await sleep(1);
      expect(() => new Loop().run(async () => 1)).toThrow(
        'cannot be called from a task of another running loop',
      );
    });
  });

  it('awaiting a future of another loop throws a clear error in the awaiting task', async () => {
    const first = new Loop();
    let foreignFut!: Future<number>;
    await first.run(async () => {
      foreignFut = first.createFuture<number>('left pending');
    });
    const second = new Loop({ foreignTimeout: 50 });
    const err = await second.run(async () => {
      try {
        await foreignFut;
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(
      'Task-1 got <left pending pending> attached to a different loop',
    );
  });

  it('awaiting a task of another loop throws a clear error', async () => {
    const first = new Loop();
    let stranded!: Task<void>;
    await expect(
      first.run(async () => {
        stranded = createTask(() => first.createFuture<void>('never'), { name: 'stranded' });
        await stranded;
      }),
    ).rejects.toBeInstanceOf(DeadlockError);
    expect(stranded.done()).toBe(false);
    const second = new Loop();
    const msg = await second.run(async () => {
      try {
        await stranded;
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(msg).toMatch(/Task-1 got <Task pending name='stranded'.*> attached to a different loop/);
  });

  it('awaiting a pending task of another running loop fails at the await, in the awaiting loop', async () => {
    // Before: the await was taken for the other loop's last task, which then deadlocked on it.
    const a = new Loop();
    const b = new Loop();
    let tA!: Task<string>;
    let releaseA!: () => void;
    const pa = a.run(async () => {
      const ev = new Event();
      tA = a.createTask(
        async () => {
          await ev.wait();
          return 'a';
        },
        { name: 'tA' },
      );
      await sleep(1);
      await new Promise<void>((r) => {
        releaseA = r;
      });
      return 'a done';
    });
    const pb = b.run(async () => {
      await sleep(5);
      try {
        return await tA;
      } catch (e) {
        return (e as Error).message;
      } finally {
        releaseA();
      }
    });
    const [ra, rb] = await Promise.all([pa, pb]);
    expect(ra).toBe('a done');
    expect(rb).toMatch(
      /^Task-1 got <Task pending name='tA' wait_for=<Event\.wait\(\) pending>> attached to a different loop/,
    );
  });

  it('ensureFuture of a future from another loop than the one given: RangeError (asyncio ValueError)', async () => {
    const first = new Loop();
    let f!: Future<number>;
    await first.run(async () => {
      f = first.createFuture<number>();
    });
    await run(async () => {
      const here = getRunningLoop();
      expect(() => ensureFuture(f, here)).toThrow(RangeError);
      expect(() => ensureFuture(f, here)).toThrow('belongs to another loop than the one given');
    });
  });

  it('a task awaiting itself gets a clear error at once instead of a deadlock', async () => {
    const msg = await run(async () => {
      try {
        await currentTask()!;
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(msg).toContain('Task-1 awaits itself');
    expect(msg).toContain('Task cannot await on itself');
  });

  it('a task may still register a continuation on itself with then(cb)', async () => {
    const log: string[] = [];
    await run(async () => {
      const t = createTask(async () => {
        currentTask()!.then(() => log.push('after me'));
        await sleep(1);
        log.push('body done');
      });
      await t;
      await sleep(0);
    });
    expect(log).toEqual(['body done', 'after me']);
  });

  it('createTask on a finished loop', async () => {
    const loop = new Loop();
    await loop.run(async () => 1);
    expect(() => loop.createTask(async () => 1)).toThrow('this loop has finished running');
  });
});

describe('error classes', () => {
  it('have names and messages users can match on', () => {
    expect(new CancelledError('why').name).toBe('CancelledError');
    expect(new CancelledError().message).toBe('');
    expect(new TimeoutError('late').name).toBe('TimeoutError');
    expect(new InvalidStateError('x').name).toBe('InvalidStateError');
    const g = new TaskGroupError([new Error('a'), new Error('b')]);
    expect(g).toBeInstanceOf(AggregateError);
    expect(g.message).toBe('unhandled errors in a TaskGroup (2 sub-exceptions)');
    expect(g.errors).toHaveLength(2);
    expect(new TaskGroupError([1]).message).toContain('(1 sub-exception)');
    const d = new DeadlockError(7, []);
    expect(d.message).toContain('(none: the main task awaits something no task will complete)');
  });
});
