import { describe, expect, it } from 'vitest';
import { BoundedSemaphore, CancelledError, createTask, gather, Semaphore, sleep } from '../../src/index.js';
import { lines, py, runLogged } from './helpers.js';

// Expected outputs are what CPython 3.11.7 printed for the same programs (spec/sync/cpython/semaphore_cases.py, extra_cases.py).
describe('Semaphore (CPython 3.11.7 interleavings)', () => {
  it('scenario 034: Semaphore(2) admits jobs as units free up; BoundedSemaphore over-release', async () => {
    const out = await runLogged(async (log) => {
      const sem = new Semaphore(2);
      const job = (n: number) =>
        sem.withLock(async () => {
          log(`job ${n} start`);
          await sleep(((n % 3) + 1) * 1000);
          log(`job ${n} end`);
        });
      await gather([0, 1, 2, 3, 4].map((n) => () => job(n)));
      const b = new BoundedSemaphore(1);
      await b.acquire();
      b.release();
      try {
        b.release();
      } catch (e) {
        if (e instanceof RangeError) log('BoundedSemaphore over-release: ValueError');
      }
    });
    expect(out).toEqual(
      lines(`
        t=0 job 0 start
        t=0 job 1 start
        t=1000 job 0 end
        t=1000 job 2 start
        t=2000 job 1 end
        t=2000 job 3 start
        t=3000 job 3 end
        t=3000 job 4 start
        t=4000 job 2 end
        t=5000 job 4 end
        t=5000 BoundedSemaphore over-release: ValueError`),
    );
  });

  it('is fair: a newcomer queues behind waiters even while a woken waiter holds the freed unit', async () => {
    const out = await runLogged(async (log) => {
      const sem = new Semaphore(2);
      const job = async (name: string, hold: number) => {
        log(`${name} wants locked=${py(sem.locked())}`);
        await sem.withLock(async () => {
          log(`${name} in value=${sem.value}`);
          await sleep(hold);
        });
        log(`${name} out`);
      };
      const ts = (
        [
          ['a', 1000],
          ['b', 3000],
          ['c', 1000],
          ['d', 1000],
        ] as const
      ).map(([n, h]) => createTask(() => job(n, h)));
      await sleep(1000);
      const e = createTask(() => job('e', 1000));
      await gather([...ts, e]);
      log(`end value=${sem.value} locked=${py(sem.locked())}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 a wants locked=False
        t=0 a in value=1
        t=0 b wants locked=False
        t=0 b in value=0
        t=0 c wants locked=True
        t=0 d wants locked=True
        t=1000 a out
        t=1000 e wants locked=True
        t=1000 c in value=0
        t=2000 c out
        t=2000 d in value=0
        t=3000 b out
        t=3000 d out
        t=3000 e in value=1
        t=4000 e out
        t=4000 end value=2 locked=False`),
    );
  });

  it('a burst of releases wakes that many waiters, in order, each holding its unit', async () => {
    const out = await runLogged(async (log) => {
      const sem = new Semaphore(0);
      const w = async (name: string) => {
        await sem.acquire();
        log(`${name} acquired value=${sem.value}`);
      };
      const ts = ['a', 'b', 'c', 'd'].map((n) => createTask(() => w(n)));
      await sleep(0);
      sem.release();
      sem.release();
      sem.release();
      log(`released 3 value=${sem.value} locked=${py(sem.locked())}`);
      await sleep(0);
      log(`after one turn value=${sem.value}`);
      sem.release();
      await gather(ts);
      log(`end value=${sem.value}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 released 3 value=0 locked=True
        t=0 a acquired value=0
        t=0 b acquired value=0
        t=0 c acquired value=0
        t=0 after one turn value=0
        t=0 d acquired value=0
        t=0 end value=0`),
    );
  });

  it('a woken waiter that finds units left over wakes the next waiter', async () => {
    const out = await runLogged(async (log) => {
      const sem = new Semaphore(0);
      const w = async (name: string) => {
        await sem.acquire();
        log(`${name} acquired value=${sem.value}`);
      };
      const a = createTask(() => w('a'));
      await sleep(0);
      const b = createTask(() => w('b')); // its first step runs before a's wake-up
      sem.release();
      sem.release();
      log(`two releases value=${sem.value} locked=${py(sem.locked())}`);
      await gather([a, b]);
      log(`end value=${sem.value}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 two releases value=1 locked=True
        t=0 a acquired value=0
        t=0 b acquired value=0
        t=0 end value=0`),
    );
  });

  it('a woken waiter cancelled before it runs gives its unit to the next waiter', async () => {
    const out = await runLogged(async (log) => {
      const sem = new Semaphore(0);
      const w = async (name: string) => {
        try {
          await sem.acquire();
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled value=${sem.value}`);
          throw e;
        }
        log(`${name} acquired value=${sem.value}`);
      };
      const ts = ['a', 'b', 'c'].map((n) => createTask(() => w(n)));
      await sleep(0);
      sem.release();
      ts[0]!.cancel();
      ts[2]!.cancel();
      log(`released, cancelled a and c; value=${sem.value} locked=${py(sem.locked())}`);
      await gather(ts, { returnExceptions: true });
      log(`end value=${sem.value} locked=${py(sem.locked())}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 released, cancelled a and c; value=0 locked=True
        t=0 a cancelled value=0
        t=0 c cancelled value=0
        t=0 b acquired value=0
        t=0 end value=0 locked=True`),
    );
  });

  it('locked() ignores cancelled waiters, so acquire() takes the fast path', async () => {
    const out = await runLogged(async (log) => {
      const sem = new Semaphore(1);
      await sem.acquire();
      const a = createTask(async () => {
        try {
          await sem.acquire();
          log('a acquired');
        } catch (e) {
          if (e instanceof CancelledError) log('a cancelled');
          throw e;
        }
      });
      await sleep(0);
      a.cancel();
      sem.release();
      log(`locked=${py(sem.locked())} value=${sem.value}`);
      await sem.acquire();
      log(`main acquired value=${sem.value}`);
      await gather([a], { returnExceptions: true });
      log(`end value=${sem.value}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 locked=False value=1
        t=0 main acquired value=0
        t=0 a cancelled
        t=0 end value=0`),
    );
  });
});

describe('Semaphore API', () => {
  it('BoundedSemaphore refuses to release above its initial value', () => {
    const b = new BoundedSemaphore(2);
    expect(() => b.release()).toThrow(RangeError);
    expect(() => b.release()).toThrow(/released too many times/);
    expect(b.value).toBe(2);
    expect(String(b)).toBe('<BoundedSemaphore [unlocked, value:2]>');
  });

  it('validates the initial value', () => {
    expect(() => new Semaphore(-1)).toThrow(/new Semaphore\(value\): the initial value must be >= 0, not -1/);
    expect(() => new Semaphore(1.5)).toThrow(/must be an integer/);
    expect(() => new BoundedSemaphore(Number.NaN)).toThrow(TypeError);
    expect(() => new Semaphore('2' as unknown as number)).toThrow(/must be a number/);
    expect(new Semaphore().value).toBe(1);
    expect(new Semaphore(0).locked()).toBe(true);
  });

  it('labels waiting futures Semaphore.acquire() / BoundedSemaphore.acquire()', async () => {
    await runLogged(async () => {
      const s = new Semaphore(0);
      const b = new BoundedSemaphore(0);
      const t1 = createTask(() => s.acquire());
      const t2 = createTask(() => b.acquire());
      await sleep(0);
      expect(t1.waitingOn()?.toString()).toBe('<Semaphore.acquire() pending>');
      expect(t2.waitingOn()?.toString()).toBe('<BoundedSemaphore.acquire() pending>');
      expect(String(s)).toBe('<Semaphore [locked, waiters:1]>');
      t1.cancel();
      t2.cancel();
    });
  });
});
