import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createTask,
  gather,
  Lock,
  Queue,
  run,
  sleep,
  type Task,
  TimeoutError,
  waitFor,
} from '../../src/index.js';
import { lines, py, runLogged } from './helpers.js';

// Expected outputs are what CPython 3.11.7 printed for the same programs (spec/sync/cpython/lock_cases.py, extra_cases.py).
describe('Lock (CPython 3.11 interleavings)', () => {
  it('a cancelled waiter leaves the queue; the others keep FIFO order', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const w = async (name: string) => {
        log(`${name} wants`);
        try {
          await lock.withLock(async () => {
            log(`${name} has`);
            await sleep(1000);
          });
          log(`${name} released`);
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled locked=${py(lock.locked())}`);
          throw e;
        }
      };
      await lock.acquire();
      const ts = new Map(['a', 'b', 'c'].map((n) => [n, createTask(() => w(n))]));
      await sleep(0);
      ts.get('b')!.cancel();
      await sleep(0);
      log('main releases');
      lock.release();
      await gather([...ts.values()], { returnExceptions: true });
      log(`end locked=${py(lock.locked())}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 a wants
        t=0 b wants
        t=0 c wants
        t=0 b cancelled locked=True
        t=0 main releases
        t=0 a has
        t=1000 a released
        t=1000 c has
        t=2000 c released
        t=2000 end locked=False`),
    );
  });

  it('a waiter cancelled after release woke it passes the wake-up to the next waiter', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const w = async (name: string) => {
        log(`${name} wants`);
        try {
          await lock.acquire();
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled locked=${py(lock.locked())}`);
          throw e;
        }
        log(`${name} has`);
        await sleep(1000);
        lock.release();
        log(`${name} released`);
      };
      await lock.acquire();
      const ts = new Map(['a', 'b', 'c'].map((n) => [n, createTask(() => w(n))]));
      await sleep(0);
      lock.release();
      ts.get('a')!.cancel();
      log(`main released and cancelled a; locked=${py(lock.locked())}`);
      const d = createTask(() => w('d'));
      await gather([...ts.values(), d], { returnExceptions: true });
      log(`end locked=${py(lock.locked())}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 a wants
        t=0 b wants
        t=0 c wants
        t=0 main released and cancelled a; locked=False
        t=0 a cancelled locked=False
        t=0 d wants
        t=0 b has
        t=1000 b released
        t=1000 c has
        t=2000 c released
        t=2000 d has
        t=3000 d released
        t=3000 end locked=False`),
    );
  });

  it('no barging: acquire() after release() queues behind the woken waiter', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const w = async (name: string) => {
        await lock.withLock(async () => {
          log(`${name} has`);
          await sleep(0);
        });
        log(`${name} released`);
      };
      await lock.acquire();
      const a = createTask(() => w('a'));
      await sleep(0);
      lock.release();
      log(`main released; locked=${py(lock.locked())}`);
      await lock.acquire();
      log('main has again');
      lock.release();
      await a;
      log('end');
    });
    expect(out).toEqual(
      lines(`
        t=0 main released; locked=False
        t=0 a has
        t=0 a released
        t=0 main has again
        t=0 end`),
    );
  });

  it('a woken-then-cancelled waiter still blocks the fast path until it has run', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const w = async (name: string) => {
        try {
          await lock.acquire();
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled`);
          throw e;
        }
        log(`${name} has`);
        lock.release();
      };
      await lock.acquire();
      const a = createTask(() => w('a'));
      await sleep(0);
      lock.release();
      a.cancel();
      log(`main acquiring; locked=${py(lock.locked())}`);
      await lock.acquire();
      log('main has');
      lock.release();
      await gather([a], { returnExceptions: true });
      log('end');
    });
    expect(out).toEqual(
      lines(`
        t=0 main acquiring; locked=False
        t=0 a cancelled
        t=0 main has
        t=0 end`),
    );
  });

  it('cancelled waiters hand the lock on in turn', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const w = async (name: string) => {
        try {
          await lock.acquire();
          log(`${name} has`);
          lock.release();
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled locked=${py(lock.locked())}`);
          throw e;
        }
      };
      await lock.acquire();
      const ts = ['a', 'b'].map((n) => createTask(() => w(n)));
      await sleep(0);
      lock.release();
      for (const t of ts) t.cancel();
      await lock.acquire();
      log(`main has at once; locked=${py(lock.locked())}`);
      lock.release();
      await gather(ts, { returnExceptions: true });
      log('end');
    });
    expect(out).toEqual(
      lines(`
        t=0 a cancelled locked=False
        t=0 b cancelled locked=False
        t=0 main has at once; locked=True
        t=0 end`),
    );
  });

  it('when every queued waiter is cancelled, a newcomer takes the lock at once', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      await lock.acquire();
      const w = async (name: string) => {
        try {
          await lock.acquire();
          log(`${name} acquired`);
          lock.release();
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled locked=${py(lock.locked())}`);
          throw e;
        }
      };
      const ts = ['a', 'b'].map((n) => createTask(() => w(n)));
      await sleep(0);
      for (const t of ts) t.cancel();
      lock.release();
      await lock.acquire();
      log(`main acquired at once; locked=${py(lock.locked())}`);
      lock.release();
      await gather(ts, { returnExceptions: true });
      log('end');
    });
    expect(out).toEqual(
      lines(`
        t=0 main acquired at once; locked=True
        t=0 a cancelled locked=False
        t=0 b cancelled locked=False
        t=0 end`),
    );
  });

  it('the fast path does not yield: an uncontended acquire runs in the same step', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const other = createTask(async () => log('other ran'));
      await lock.acquire();
      log(`acquired locked=${py(lock.locked())}`);
      await other;
    });
    expect(out).toEqual(['t=0 acquired locked=True', 't=0 other ran']);
  });
});

describe('Lock API', () => {
  it('waitFor(() => lock.acquire(), ms) cancels the acquire on timeout (asyncio wait_for)', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const q = new Queue<number>();
      await lock.acquire();
      const h = createTask(async () => {
        await sleep(2000);
        log('holder releases');
        lock.release();
      });
      try {
        await waitFor(() => lock.acquire(), 1000);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        log(`acquire timed out locked=${py(lock.locked())}`);
      }
      await h;
      log(`after release locked=${py(lock.locked())}`);
      try {
        await waitFor(() => q.get(), 1000);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        log(`get timed out ${q}`);
      }
      q.putNowait(1);
      await sleep(0);
      log(`item still there: qsize=${q.qsize()}`);
    });
    // CPython, spec/sync/cpython/extra_cases.py wait_for_acquire_and_get
    expect(out).toEqual(
      lines(`
        t=1000 acquire timed out locked=True
        t=2000 holder releases
        t=2000 after release locked=False
        t=3000 get timed out <Queue maxsize=0>
        t=3000 item still there: qsize=1`),
    );
  });

  it('a lock used by a second loop after waiting in a first one throws a clear error', async () => {
    const lock = new Lock();
    await run(async () => {
      await lock.acquire();
      const t = createTask(() => lock.acquire());
      await sleep(0);
      t.cancel();
      lock.release();
    });
    await expect(
      run(async () => {
        await lock.acquire(); // free: the fast path needs no loop, as in asyncio
        await Promise.all([lock.acquire(), (async () => lock.release())()]);
      }),
    ).rejects.toThrow(/Lock\.acquire\(\): <Lock \[locked\]> is bound to a different loop/);
  });

  it('release() of an unlocked lock throws a clear error', () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(/not acquired/);
  });

  it('withLock releases when the body throws, and returns the body result', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      await expect(
        lock.withLock(() => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      log(`after throw locked=${py(lock.locked())}`);
      const v = await lock.withLock(async () => {
        log(`inside locked=${py(lock.locked())}`);
        return 42;
      });
      log(`result ${v} locked=${py(lock.locked())}`);
    });
    expect(out).toEqual([
      't=0 after throw locked=False',
      't=0 inside locked=True',
      't=0 result 42 locked=False',
    ]);
  });

  it('toString shows state and waiters like asyncio repr', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      log(String(lock));
      await lock.acquire();
      const t: Task<true> = createTask(() => lock.acquire());
      await sleep(0);
      log(String(lock));
      lock.release();
      await t;
      log(String(lock));
    });
    expect(out).toEqual(['t=0 <Lock [unlocked]>', 't=0 <Lock [locked, waiters:1]>', 't=0 <Lock [locked]>']);
  });

  it('labels waiting futures Lock.acquire() in traces', async () => {
    const out = await runLogged(async (_log, loop) => {
      const lock = new Lock();
      await lock.acquire();
      const t = createTask(() => lock.acquire(), { name: 'waiter' });
      await sleep(0);
      expect(t.waitingOn()?.toString()).toBe('<Lock.acquire() pending>');
      lock.release();
      await t;
      expect(loop.trace.toString()).toContain('Lock.acquire()');
    });
    expect(out).toEqual([]);
  });
});
