/**
 * Awaiting things the loop does not own: native promises, Promise.all/race over loop awaitables,
 * nested async helpers, hand-written thenables, explicit `fut.then(cb)` calls, queueMicrotask chains,
 * promises settled by real macrotasks, and promises that never settle.
 */
import { describe, expect, it } from 'vitest';
import {
  createTask,
  DeadlockError,
  ensureFuture,
  gather,
  Loop,
  run,
  sleep,
  type Task,
} from '../src/index.js';

/** A promise settled by a real macrotask (foreign work that settles later, in real time). */
function realImmediate<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

describe('native promises', () => {
  it('a task awaiting promises resolved in microtasks finishes within its step', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const a = createTask(async () => {
        const v = await Promise.resolve(1);
        const w = await new Promise<number>((r) => queueMicrotask(() => r(v + 1)));
        log.push(`A ${w}`);
        return w;
      });
      const b = createTask(async () => {
        log.push('B');
      });
      await a;
      await b;
    });
    expect(log).toEqual(['A 2', 'B']);
    // Nothing was foreign: the microtasks settled inside A's step.
    expect(loop.trace.events().some((e) => e.kind === 'foreign')).toBe(false);
  });

  it('never takes the next step while the current step still has microtasks pending', async () => {
    const log: string[] = [];
    await run(async () => {
      const a = createTask(async () => {
        for (let i = 0; i < 50; i++) await Promise.resolve();
        log.push('A after 50 microtask turns');
      });
      const b = createTask(async () => {
        log.push('B');
      });
      await gather([a, b]);
    });
    expect(log).toEqual(['A after 50 microtask turns', 'B']);
  });

  it('queueMicrotask chains run to completion inside the step', async () => {
    const log: string[] = [];
    await run(async () => {
      const a = createTask(async () => {
        await new Promise<void>((resolve) => {
          let n = 0;
          const hop = (): void => {
            n++;
            if (n === 20) resolve();
            else queueMicrotask(hop);
          };
          queueMicrotask(hop);
        });
        log.push('A chain done');
        await sleep(0);
        log.push('A again');
      });
      const b = createTask(async () => {
        log.push('B');
      });
      await a;
      await b;
    });
    expect(log).toEqual(['A chain done', 'B', 'A again']);
  });

  it('nested async helpers several levels deep behave like one task', async () => {
    const log: string[] = [];
    const leaf = async (x: number): Promise<number> => {
      await Promise.resolve();
      await sleep(10);
      return x * 2;
    };
    const mid = async (x: number): Promise<number> => (await leaf(x)) + (await leaf(x + 1));
    const top = async (x: number): Promise<number> => {
      const r = await mid(x);
      await Promise.resolve();
      return r + 1;
    };
    const loop = new Loop();
    const r = await loop.run(async () => {
      const t = createTask(async () => top(1));
      const u = createTask(async () => {
        await sleep(15);
        log.push(`u at ${loop.time()}`);
      });
      const res = await t;
      log.push(`t at ${loop.time()}`);
      await u;
      return res;
    });
    expect(r).toBe(1 * 2 + 2 * 2 + 1);
    expect(log).toEqual(['u at 15', 't at 20']);
  });

  it('Promise.all over timeweave tasks and futures resolves with their values in order', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const f = loop.createFuture<string>();
      const a = createTask(async () => {
        await sleep(30);
        return 'a';
      });
      const b = createTask(async () => {
        await sleep(10);
        f.setResult('f');
        return 'b';
      });
      const all = await Promise.all([a, f, b, sleep(20, 's')]);
      return { all, t: loop.time() };
    });
    expect(r).toEqual({ all: ['a', 'f', 'b', 's'], t: 30 });
  });

  it('Promise.race over tasks settles with the first and leaves the others running', async () => {
    const loop = new Loop();
    const log: string[] = [];
    const r = await loop.run(async () => {
      const slow = createTask(async () => {
        await sleep(50);
        log.push(`slow done at ${loop.time()}`);
        return 'slow';
      });
      const fast = createTask(async () => {
        await sleep(5);
        return 'fast';
      });
      const winner = await Promise.race([slow, fast]);
      log.push(`race won by ${winner} at ${loop.time()}`);
      await slow;
      return winner;
    });
    expect(r).toBe('fast');
    expect(log).toEqual(['race won by fast at 5', 'slow done at 50']);
  });

  it('the loser of a Promise.race does not disturb the task later (regression: it delayed a cancellation)', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const other = createTask(() => sleep(10, 'other'));
      const t = createTask(
        async () => {
          log.push(`race won by ${await Promise.race([other, sleep(5, 'timer')])} at ${loop.time()}`);
          try {
            await sleep(1000);
          } catch {
            log.push(`cancelled at ${loop.time()}`);
          }
        },
        { name: 't' },
      );
      await sleep(20); // `other` finishes at 10, while t sleeps
      t.cancel();
      await t;
      await other;
    });
    expect(log).toEqual(['race won by timer at 5', 'cancelled at 20']);
    // t never looked like it was waiting on foreign work.
    expect(loop.trace.events().filter((e) => e.kind === 'foreign')).toEqual([]);
    expect(loop.trace.events().filter((e) => e.task === 't' && e.kind === 'resume')).toHaveLength(2);
  });

  it('Promise.all over futures completing in reverse order resumes the task once all are done', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const a = loop.createFuture<string>();
      const b = loop.createFuture<string>();
      loop.callLater(9, () => a.setResult('a'));
      loop.callLater(3, () => b.setResult('b'));
      const all = await Promise.all([a, b]);
      await sleep(1);
      return [...all, loop.time()];
    });
    expect(r).toEqual(['a', 'b', 10]);
  });

  it('Promise.all rejects with a task error', async () => {
    await expect(
      run(async () => {
        const a = createTask(async () => {
          await sleep(1);
          throw new Error('boom');
        });
        const b = createTask(async () => sleep(5, 'b'));
        try {
          await Promise.all([a, b]);
        } finally {
          await b;
        }
      }),
    ).rejects.toThrow('boom');
  });
});

describe('the clock moves only once the microtasks of the instant have drained', () => {
  // Before moving the clock the loop lets one real macrotask pass. Issue 14 asks whether that wait
  // could be cheaper; a tick (process.nextTick) was tried and dropped: a microtask queued by a tick
  // then saw the next instant (the third case). These fail if the clock moves while work started at
  // the earlier instant is still pending in the microtask or tick queue.
  it('a detached chain of 500 microtask hops, started before a sleep, still sees the earlier time', async () => {
    const loop = new Loop();
    const seen = await loop.run(async () => {
      let at = -1;
      void (async () => {
        for (let i = 0; i < 500; i++) await Promise.resolve();
        at = loop.time();
      })();
      await sleep(10);
      return at;
    });
    expect(seen).toBe(0);
  });

  it('a process.nextTick callback queued at an instant runs before the clock moves', async () => {
    const loop = new Loop();
    const seen = await loop.run(async () => {
      let at = -1;
      process.nextTick(() => {
        at = loop.time();
      });
      await sleep(10);
      return at;
    });
    expect(seen).toBe(0);
  });

  it('a microtask a nextTick callback queues, and a nextTick a microtask queues, also run first', async () => {
    const loop = new Loop();
    const seen = await loop.run(async () => {
      const at: number[] = [];
      process.nextTick(() => queueMicrotask(() => at.push(loop.time())));
      void Promise.resolve().then(() => process.nextTick(() => at.push(loop.time())));
      await sleep(10);
      return at;
    });
    expect(seen).toEqual([0, 0]);
  });
});

describe('known limitation', () => {
  // A fire-and-forget async helper started by a task keeps hopping through microtasks after the task
  // itself suspends. The loop learns that a step ended from the suspension signal (the awaited
  // future's then-call) and takes the next step one microtask later, so a detached chain longer than
  // a couple of hops interleaves with the next task's step. Catching it would take a real macrotask
  // per step (what the design avoids); a task that awaits its microtasks (`await helper()`) is exact.
  it.fails('a detached microtask chain of a task finishes before the next task’s step', async () => {
    const log: string[] = [];
    await run(async () => {
      const a = createTask(async () => {
        void (async () => {
          for (let i = 0; i < 5; i++) await Promise.resolve();
          log.push('A helper');
        })();
        await sleep(0);
      });
      const b = createTask(async () => {
        log.push('B');
      });
      await a;
      await b;
    });
    expect(log).toEqual(['A helper', 'B']);
  });
});

describe('third-party thenables and explicit then calls', () => {
  it('awaits a hand-written thenable that settles in a microtask', async () => {
    const thenable = {
      then(onF: (v: number) => void): void {
        queueMicrotask(() => onF(42));
      },
    };
    const r = await run(async () => {
      const v = await (thenable as unknown as PromiseLike<number>);
      await sleep(1);
      return v;
    });
    expect(r).toBe(42);
  });

  it('awaits a thenable that wraps a timeweave future', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const fut = loop.createFuture<number>();
      const wrapper = {
        then<A>(onF: (v: number) => A, onR: (e: unknown) => A) {
          return fut.then(onF, onR);
        },
      };
      createTask(async () => {
        await sleep(7);
        fut.setResult(7);
      });
      const v = await wrapper;
      return [v, loop.time()];
    });
    expect(r).toEqual([7, 7]);
  });

  it('a promise wrapping fut.then with a named callback resumes its task when the future completes', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const fut = loop.createFuture<number>();
      createTask(async () => {
        await sleep(3);
        fut.setResult(3);
      });
      const v = await new Promise<number>((resolve) => {
        fut.then(function onValue(x) {
          resolve(x);
        });
      });
      await sleep(1);
      return [v, loop.time()];
    });
    expect(r).toEqual([3, 4]);
  });

  it('new Promise((resolve) => fut.then(resolve)) counts as awaiting the future', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const fut = loop.createFuture<number>('handed over');
      createTask(async () => {
        await sleep(3);
        fut.setResult(3);
      });
      const v = await new Promise<number>((resolve) => {
        fut.then(resolve);
      });
      return [v, loop.time()];
    });
    expect(r).toEqual([3, 3]);
    const main = loop.trace.events().filter((e) => e.task === 'Task-1');
    expect(main.map((e) => e.detail)).toContain('await handed over');
    expect(main.some((e) => e.kind === 'foreign')).toBe(false);
  });

  it('an explicit fut.then(cb) inside a task does not let other tasks run in the middle of its step', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const fut = loop.createFuture<number>();
      const a = createTask(async () => {
        fut.then((v) => log.push(`cb ${v}`));
        for (let i = 0; i < 5; i++) await Promise.resolve();
        log.push('A still in its first step');
        await sleep(0);
        log.push('A second step');
      });
      const b = createTask(async () => {
        log.push('B');
        fut.setResult(1);
      });
      await a;
      await b;
    });
    expect(log).toEqual(['A still in its first step', 'B', 'A second step', 'cb 1']);
  });

  it('an error thrown by a then callback that resumes its task is a callback error, not a failed run', async () => {
    const loop = new Loop();
    const orig = console.error;
    console.error = () => {};
    try {
      const r = await loop.run(async () => {
        const fut = loop.createFuture<number>();
        loop.callLater(3, () => fut.setResult(3));
        return new Promise<number>((resolve) => {
          fut.then(function deliver(x) {
            resolve(x);
            throw new Error('callback broke');
          });
        });
      });
      expect(r).toBe(3);
    } finally {
      console.error = orig;
    }
    expect(loop.callbackErrors.map((e) => (e as Error).message)).toEqual(['callback broke']);
  });

  it('fut.then(cb) returns a chainable thenable', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const fut = loop.createFuture<number>();
      loop.callLater(2, () => fut.setResult(20));
      return await fut.then((v) => v + 1).then((v) => v * 2);
    });
    expect(r).toBe(42);
  });
});

describe('native promises settled by loop callbacks', () => {
  it('a task resumed by a timer callback runs its microtasks before the next step', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const a = createTask(
        async () => {
          await new Promise<void>((resolve) => loop.callLater(10, () => resolve()));
          log.push(`A resumed at ${loop.time()}`);
          await Promise.resolve();
          log.push('A after a microtask');
          await sleep(0);
          log.push('A next step');
        },
        { name: 'A' },
      );
      const b = createTask(
        async () => {
          await sleep(10);
          log.push(`B at ${loop.time()}`);
        },
        { name: 'B' },
      );
      await a;
      await b;
    });
    expect(log).toEqual(['A resumed at 10', 'A after a microtask', 'A next step', 'B at 10']);
    const yieldEvent = loop.trace.events().find((e) => e.task === 'A' && e.kind === 'yield');
    const timerEvent = loop.trace.events().find((e) => e.kind === 'timer');
    expect(yieldEvent?.step).toBe(timerEvent?.step);
  });

  it('a callSoon callback resolving a native promise hands over to the awaiting task first', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const a = createTask(async () => {
        const v = await new Promise<string>((resolve) => loop.callSoon(resolve, 'soon'));
        for (let i = 0; i < 10; i++) await Promise.resolve();
        log.push(`A got ${v}`);
      });
      const b = createTask(async () => {
        await sleep(0);
        log.push('B');
      });
      await a;
      await b;
    });
    expect(log).toEqual(['A got soon', 'B']);
  });
});

describe('foreign work that settles in real time', () => {
  it('a promise resolved by a real setImmediate resumes its task', async () => {
    const loop = new Loop();
    const log: string[] = [];
    const r = await loop.run(async () => {
      const a = createTask(async () => {
        const v = await realImmediate('io');
        log.push(`A got ${v} at ${loop.time()}`);
        await sleep(10);
        return v;
      });
      const b = createTask(async () => {
        await sleep(5);
        log.push(`B at ${loop.time()}`);
        return 'b';
      });
      return gather([a, b]);
    });
    expect(r).toEqual(['io', 'b']);
    expect(log).toContain('B at 5');
    // When the real macrotask lands relative to the loop's own is up to Node: only the outcome is fixed.
    expect(log.some((l) => l.startsWith('A got io'))).toBe(true);
  });

  it('a future adopted from a promise settled by real work is waited for, not reported as a deadlock', async () => {
    const loop = new Loop({ foreignTimeout: 2000 });
    const r = await loop.run(async () => {
      const adopted = ensureFuture(realImmediate('io result'));
      const [a, b] = await gather([realImmediate(1), realImmediate(2)]);
      return [await adopted, a, b, loop.time()];
    });
    expect(r).toEqual(['io result', 1, 2, 0]);
  });

  it('a task awaiting a promise that never settles: the others proceed, then a DeadlockError names the foreign work', async () => {
    const loop = new Loop({ foreignTimeout: 20 });
    const log: string[] = [];
    let stuck!: Task<void>;
    const err = await loop
      .run(async () => {
        stuck = createTask(
          async () => {
            await new Promise<void>(() => {});
          },
          { name: 'stuck' },
        );
        const worker = createTask(async () => {
          for (let i = 0; i < 3; i++) {
            await sleep(100);
            log.push(`tick ${loop.time()}`);
          }
        });
        await worker;
        await stuck;
      })
      .catch((e: unknown) => e);
    expect(log).toEqual(['tick 100', 'tick 200', 'tick 300']);
    expect(err).toBeInstanceOf(DeadlockError);
    const d = err as DeadlockError;
    expect(d.message).toMatch(/promises timeweave does not own/);
    expect(d.blocked).toContainEqual({ task: 'stuck', awaits: 'a promise timeweave does not own' });
    expect(d.blocked).toContainEqual({ task: 'Task-1', awaits: 'stuck' });
    expect(stuck.done()).toBe(false);
  });

  it('a background task stuck on foreign work when main returns: DeadlockError, not a hang (regression)', async () => {
    const loop = new Loop({ foreignTimeout: 20 });
    const err = await loop
      .run(async () => {
        createTask(() => new Promise<void>(() => {}), { name: 'bg' });
        await sleep(5);
        return 'main done';
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).blocked).toEqual([
      { task: 'bg', awaits: 'a promise timeweave does not own' },
    ]);
    expect((err as Error).message).toContain('main has finished');
  });
});

describe('a deadlock behind Promise.all over tasks', () => {
  it('is reported at once, naming the tasks the promise is over, not after foreignTimeout', async () => {
    // foreignTimeout is a minute: were the loop to wait for it, vitest's own timeout would fail this test.
    const loop = new Loop({ foreignTimeout: 60_000 });
    const err = await loop
      .run(async () => {
        const never = loop.createFuture<number>('never');
        const a = createTask(async () => await never, { name: 'a' });
        const b = createTask(async () => 2, { name: 'b' });
        return Promise.all([a, b]);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as Error).message).toMatch(/Task-1 awaits a promise over a \(e\.g\. Promise\.all\)/);
    expect((err as Error).message).toMatch(/a awaits never/);
    expect((err as Error).message).not.toMatch(/Waited/);
  });
});
