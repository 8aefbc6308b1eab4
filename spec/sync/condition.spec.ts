import { describe, expect, it } from 'vitest';
import { CancelledError, Condition, createTask, gather, Lock, sleep } from '../../src/index.js';
import { lines, py, runLogged } from './helpers.js';

// Expected outputs are what CPython 3.11.7 printed for the same programs (spec/sync/cpython/condition_cases.py).
describe('Condition (CPython 3.11 interleavings)', () => {
  it('notify(n) wakes the oldest n waiters, which return once they re-acquire the lock', async () => {
    const out = await runLogged(async (log) => {
      const cond = new Condition();
      const w = (name: string) =>
        cond.withLock(async () => {
          log(`${name} waits`);
          const r = await cond.wait();
          log(`${name} woke ${r ? 'True' : 'False'} locked=${py(cond.locked())}`);
        });
      const ts = ['a', 'b', 'c', 'd'].map((n) => createTask(() => w(n)));
      await sleep(0);
      await cond.withLock(async () => {
        cond.notify(2);
        log('notified 2');
        await sleep(1000);
        log('main releases');
      });
      await sleep(1000);
      await cond.withLock(() => {
        cond.notifyAll();
        log('notified all');
      });
      await gather(ts);
      log(`end locked=${py(cond.locked())}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 a waits
        t=0 b waits
        t=0 c waits
        t=0 d waits
        t=0 notified 2
        t=1000 main releases
        t=1000 a woke True locked=True
        t=1000 b woke True locked=True
        t=2000 notified all
        t=2000 c woke True locked=True
        t=2000 d woke True locked=True
        t=2000 end locked=False`),
    );
  });

  it('waitFor re-checks the predicate after each wake-up and returns its value', async () => {
    const out = await runLogged(async (log) => {
      const cond = new Condition();
      const items: number[] = [];
      const consumer = (name: string) =>
        cond.withLock(async () => {
          const r = await cond.waitFor(() => items.length > 0 && [...items]);
          log(`${name} sees [${(r as number[]).join(', ')}]`);
          items.shift();
        });
      const ts = ['a', 'b'].map((n) => createTask(() => consumer(n)));
      await sleep(0);
      for (let i = 0; i < 2; i++) {
        await sleep(1000);
        await cond.withLock(() => {
          items.push(i);
          cond.notifyAll();
          log(`produced ${i}`);
        });
      }
      await gather(ts);
    });
    expect(out).toEqual(lines('t=1000 produced 0\nt=1000 a sees [0]\nt=2000 produced 1\nt=2000 b sees [1]'));
  });

  it('a cancelled waiter is skipped by notify(); it re-acquires the lock before raising', async () => {
    const out = await runLogged(async (log) => {
      const cond = new Condition();
      const w = async (name: string) => {
        try {
          await cond.withLock(async () => {
            await cond.wait();
            log(`${name} woke`);
          });
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled locked=${py(cond.locked())}`);
          throw e;
        }
      };
      const ts = ['a', 'b', 'c'].map((n) => createTask(() => w(n)));
      await sleep(0);
      ts[0]!.cancel();
      await cond.withLock(() => {
        cond.notify(1);
        log('notified 1');
      });
      await sleep(0);
      log(`after turn locked=${py(cond.locked())}`);
      await cond.withLock(() => cond.notify(1));
      await gather(ts, { returnExceptions: true });
      log('end');
    });
    expect(out).toEqual(
      lines(`
        t=0 notified 1
        t=0 a cancelled locked=False
        t=0 b woke
        t=0 after turn locked=False
        t=0 c woke
        t=0 end`),
    );
  });

  it('cancelled while re-acquiring: waits for the lock anyway, then raises CancelledError', async () => {
    const out = await runLogged(async (log) => {
      const cond = new Condition();
      const t = createTask(async () => {
        try {
          await cond.withLock(async () => {
            await cond.wait();
            log('w woke');
          });
        } catch (e) {
          if (e instanceof CancelledError) log(`w cancelled; locked=${py(cond.locked())}`);
          throw e;
        }
      });
      await sleep(0);
      await cond.acquire();
      cond.notify();
      await sleep(0);
      log('w is re-acquiring; cancel it');
      t.cancel();
      await sleep(0);
      log(`main still holds locked=${py(cond.locked())}`);
      cond.release();
      await gather([t], { returnExceptions: true });
      log(`end cancelled=${py(t.cancelled())} locked=${py(cond.locked())}`);
    });
    expect(out).toEqual(
      lines(`
        t=0 w is re-acquiring; cancel it
        t=0 main still holds locked=True
        t=0 w cancelled; locked=False
        t=0 end cancelled=True locked=False`),
    );
  });

  it('conditions sharing a lock are notified independently', async () => {
    const out = await runLogged(async (log) => {
      const lock = new Lock();
      const c1 = new Condition(lock);
      const c2 = new Condition(lock);
      const w = (c: Condition, name: string) =>
        c.withLock(async () => {
          await c.wait();
          log(`${name} woke`);
        });
      const a = createTask(() => w(c1, 'a'));
      const b = createTask(() => w(c2, 'b'));
      await sleep(0);
      await lock.withLock(() => {
        c2.notify();
        c1.notify();
      });
      await gather([a, b]);
    });
    expect(out).toEqual(['t=0 b woke', 't=0 a woke']);
  });
});

describe('Condition API', () => {
  it('wait/notify/notifyAll without holding the lock throw clear errors', async () => {
    await runLogged(async () => {
      const cond = new Condition();
      await expect(cond.wait()).rejects.toThrow(/Condition\.wait\(\): cannot wait on an un-acquired lock/);
      expect(() => cond.notify()).toThrow(/Condition\.notify\(\): cannot notify on an un-acquired lock/);
      expect(() => cond.notifyAll()).toThrow(/Condition\.notifyAll\(\): cannot notify/);
      await cond.withLock(() => {
        expect(() => cond.notify(-1)).toThrow(RangeError);
        expect(() => cond.notify(0)).not.toThrow();
      });
    });
  });

  it('rejects a lock that is not a Lock, and labels its waits', async () => {
    expect(() => new Condition({} as Lock)).toThrow(/lock must be a Lock/);
    await runLogged(async () => {
      const cond = new Condition();
      const t = createTask(() => cond.withLock(() => cond.wait()));
      await sleep(0);
      expect(t.waitingOn()?.toString()).toBe('<Condition.wait() pending>');
      expect(String(cond)).toBe('<Condition [unlocked, waiters:1]>');
      await cond.acquire();
      const u = createTask(() => cond.acquire());
      await sleep(0);
      expect(u.waitingOn()?.toString()).toBe('<Condition.acquire() pending>');
      cond.notify();
      cond.release();
      await t;
      await u;
      cond.release();
    });
  });
});
