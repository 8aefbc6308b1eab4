/**
 * Module-level API: run(), ensureFuture, getRunningLoop, createTask/currentTask/allTasks/sleep.
 */
import { describe, expect, it } from 'vitest';
import { createTask, ensureFuture, Future, getRunningLoop, Loop, run, sleep, Task } from '../src/index.js';

describe('run()', () => {
  it('runs main on a new loop and exposes that loop for trace assertions', async () => {
    const p = run(async () => {
      await sleep(42);
      return 'result';
    });
    expect(p.loop).toBeInstanceOf(Loop);
    expect(await p).toBe('result');
    expect(p.loop.time()).toBe(42);
    expect(p.loop.isRunning()).toBe(false);
    expect(p.loop.trace.events().some((e) => e.kind === 'sleep')).toBe(true);
  });

  it('passes options to the loop', async () => {
    const p = run(async () => sleep(1), { trace: false, policy: 'asyncio' });
    await p;
    expect(p.loop.trace.length).toBe(0);
  });

  it("rejects with main's error", async () => {
    await expect(
      run(async () => {
        await sleep(1);
        throw new TypeError('main failed');
      }),
    ).rejects.toThrow('main failed');
  });

  it('accepts a synchronous main', async () => {
    expect(await run(() => 7)).toBe(7);
  });

  it('isRunning() is true only while run is under way', async () => {
    const loop = new Loop();
    expect(loop.isRunning()).toBe(false);
    await loop.run(async () => {
      expect(loop.isRunning()).toBe(true);
    });
    expect(loop.isRunning()).toBe(false);
  });
});

/** One real event-loop turn: setImmediate where there is one (Node), else a 0 ms timer (browsers). */
const realTurn = (cb: () => void): unknown =>
  typeof setImmediate === 'function' ? setImmediate(cb) : setTimeout(cb, 0);

describe('several loops at once', () => {
  it('run() twice in the same tick from plain code is not a nested run (regression: it threw)', async () => {
    const results = await Promise.all([
      run(async () => {
        await sleep(5);
        return 'a';
      }),
      run(async () => {
        await sleep(3);
        return 'b';
      }),
    ]);
    expect(results).toEqual(['a', 'b']);
  });

  it('a loop started while another loop’s first step is still settling does not capture its module calls', async () => {
    const a = run(async () => {
      await Promise.resolve(); // the rest of this step runs after b's run() has been called
      await sleep(5);
      const t = createTask(() => sleep(1, 'x'));
      return ['a', await t];
    });
    const b = run(async () => sleep(3, 'b'));
    expect(await Promise.all([a, b])).toEqual([['a', 'x'], 'b']);
    expect([a.loop.time(), b.loop.time()]).toEqual([6, 3]);
  });

  it('loops running concurrently give the same results as each run alone', async () => {
    const program = (loop: Loop) => async (): Promise<string> => {
      const out: string[] = [];
      const tasks = [1, 2, 3].map((i) =>
        createTask(async () => {
          for (let k = 0; k < 50; k++) {
            await sleep((i * k) % 3);
            if (k % 7 === 0) await Promise.resolve();
            out.push(`${i}@${loop.time()}`);
          }
        }),
      );
      for (const t of tasks) await t;
      return out.join(' ');
    };
    const alone = new Loop();
    const expected = await alone.run(program(alone));
    const results = await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        // Start them a few real event-loop turns apart so that their runs overlap.
        for (let j = 0; j < k; j++) await new Promise<void>((resolve) => realTurn(resolve));
        const loop = new Loop();
        return loop.run(program(loop));
      }),
    );
    expect(results).toEqual([expected, expected, expected, expected]);
  });
});

describe('getRunningLoop', () => {
  it('returns the loop running the current task, in tasks and callbacks', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      expect(getRunningLoop()).toBe(loop);
      let inCallback: Loop | null = null;
      loop.callSoon(() => {
        inCallback = getRunningLoop();
      });
      await createTask(async () => expect(getRunningLoop()).toBe(loop));
      expect(inCallback).toBe(loop);
    });
  });

  it('throws outside a loop', () => {
    expect(() => getRunningLoop()).toThrow('getRunningLoop() was called with no running timeweave loop');
  });

  it('consecutive loops each see their own', async () => {
    for (let i = 0; i < 3; i++) {
      const loop = new Loop();
      await loop.run(async () => {
        await sleep(1);
        expect(getRunningLoop()).toBe(loop);
      });
    }
  });
});

describe('ensureFuture', () => {
  it('passes futures and tasks through, turns functions into tasks and adopts promises', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = loop.createFuture<number>();
      expect(ensureFuture(f)).toBe(f);
      const t = createTask(async () => 1);
      expect(ensureFuture(t)).toBe(t);
      const fromFn = ensureFuture(async () => {
        await sleep(2);
        return 'fn';
      });
      expect(fromFn).toBeInstanceOf(Task);
      const fromPromise = ensureFuture(Promise.resolve('p'));
      expect(fromPromise).toBeInstanceOf(Future);
      expect(fromPromise).not.toBeInstanceOf(Task);
      const rejected = ensureFuture(Promise.reject(new Error('r')));
      expect(await fromFn).toBe('fn');
      expect(await fromPromise).toBe('p');
      await expect(rejected).rejects.toThrow('r');
      await t;
    });
  });

  it('refuses other values with a TypeError, running loop or not (CPython test_ensure_future_error_msg)', async () => {
    await run(async () => {
      expect(() => ensureFuture(42 as unknown as Future<number>)).toThrow(
        /ensureFuture\(\) takes a Future, a Task, a function or a promise .*, not 42\./,
      );
    });
    expect(() => ensureFuture('ok' as unknown as Future<string>)).toThrow(TypeError);
  });

  it('returns a future as it is with no running loop (CPython test_ensure_future_future)', async () => {
    const loop = new Loop();
    let f!: Future<number>;
    await loop.run(async () => {
      f = loop.createFuture<number>();
    });
    expect(ensureFuture(f)).toBe(f);
    expect(ensureFuture(f, loop)).toBe(f);
  });
});

describe('createTask', () => {
  it('starts the task on a later step, not synchronously (unlike a bare async call)', async () => {
    const log: string[] = [];
    await run(async () => {
      const t = createTask(async () => {
        log.push('task body');
      });
      log.push('after createTask');
      await t;
    });
    expect(log).toEqual(['after createTask', 'task body']);
  });

  it('tasks start in creation order', async () => {
    const log: number[] = [];
    await run(async () => {
      const ts = [0, 1, 2, 3].map((i) => createTask(async () => log.push(i)));
      for (const t of ts) await t;
    });
    expect(log).toEqual([0, 1, 2, 3]);
  });
});
