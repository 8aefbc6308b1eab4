import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createTask,
  DeadlockError,
  Event,
  gather,
  Loop,
  run,
  sleep,
  TimeoutError,
  waitFor,
} from '../../src/index.js';
import { lines, py, runLogged } from './helpers.js';

// Expected outputs are what CPython 3.11.7 printed for the same programs (spec/sync/cpython/event_cases.py).
describe('Event (CPython 3.11 interleavings)', () => {
  it('set() then clear() before the waiters run still releases them', async () => {
    const out = await runLogged(async (log) => {
      const ev = new Event();
      const w = async (name: string) => {
        log(`${name} waits`);
        const r = await ev.wait();
        log(`${name} got ${r ? 'True' : 'False'} is_set=${py(ev.isSet())}`);
      };
      const ts = ['a', 'b'].map((n) => createTask(() => w(n)));
      await sleep(0);
      ev.set();
      ev.clear();
      log('set+clear');
      await gather(ts);
      const c = createTask(() => w('c'));
      await sleep(0);
      log(`c done=${py(c.done())}`);
      c.cancel();
      await gather([c], { returnExceptions: true });
      log(`c cancelled=${py(c.cancelled())}`);
      ev.set();
      await ev.wait();
      log('wait on set returns at once');
    });
    expect(out).toEqual(
      lines(`
        t=0 a waits
        t=0 b waits
        t=0 set+clear
        t=0 a got True is_set=False
        t=0 b got True is_set=False
        t=0 c waits
        t=0 c done=False
        t=0 c cancelled=True
        t=0 wait on set returns at once`),
    );
  });

  it('a waiter cancelled before set() wakes first, then the others in order', async () => {
    const out = await runLogged(async (log) => {
      const ev = new Event();
      const w = async (name: string) => {
        try {
          await ev.wait();
          log(`${name} released`);
        } catch (e) {
          if (e instanceof CancelledError) log(`${name} cancelled`);
          throw e;
        }
      };
      const ts = ['a', 'b', 'c'].map((n) => createTask(() => w(n)));
      await sleep(0);
      ts[1]!.cancel();
      ev.set();
      await gather(ts, { returnExceptions: true });
      log('end');
    });
    expect(out).toEqual(lines('t=0 b cancelled\nt=0 a released\nt=0 c released\nt=0 end'));
  });

  it('wait() on a set event does not yield to other tasks', async () => {
    const out = await runLogged(async (log) => {
      const ev = new Event();
      const t = createTask(async () => log('other ran'));
      ev.set();
      await ev.wait();
      log('main after wait');
      await t;
    });
    expect(out).toEqual(['t=0 main after wait', 't=0 other ran']);
  });

  it('scenario 040: mutual waits are ended by waitFor, which cancels both sides', async () => {
    const out = await runLogged(async (log) => {
      const e1 = new Event();
      const e2 = new Event();
      const side = async (mine: Event, other: Event) => {
        await other.wait();
        mine.set();
      };
      const a = createTask(() => side(e1, e2));
      const b = createTask(() => side(e2, e1));
      try {
        await waitFor(gather([a, b]), 30_000);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        log(`deadlock broken by timeout; a cancelled=${py(a.cancelled())} b cancelled=${py(b.cancelled())}`);
      }
    });
    expect(out).toEqual(['t=30000 deadlock broken by timeout; a cancelled=True b cancelled=True']);
  });
});

describe('Event API', () => {
  it('starts unset; set/clear/isSet', () => {
    const ev = new Event();
    expect(ev.isSet()).toBe(false);
    ev.set();
    expect(ev.isSet()).toBe(true);
    expect(String(ev)).toBe('<Event [set]>');
    ev.clear();
    expect(ev.isSet()).toBe(false);
    expect(String(ev)).toBe('<Event [unset]>');
  });

  it('a deadlock on events is reported with each blocked task and Event.wait()', async () => {
    const loop = new Loop({ policy: 'asyncio' });
    const err = await loop
      .run(async () => {
        const e1 = new Event();
        const e2 = new Event();
        const a = createTask(
          async () => {
            await e2.wait();
            e1.set();
          },
          { name: 'a' },
        );
        const b = createTask(
          async () => {
            await e1.wait();
            e2.set();
          },
          { name: 'b' },
        );
        await gather([a, b]);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    const d = err as DeadlockError;
    expect(d.blocked).toEqual([
      { task: 'Task-1', awaits: 'gather()' },
      { task: 'a', awaits: 'Event.wait()' },
      { task: 'b', awaits: 'Event.wait()' },
    ]);
    expect(d.message).toContain('a awaits Event.wait()');
  });

  it('using an event from a second loop throws a clear error', async () => {
    const ev = new Event();
    await expect(
      run(async () => {
        await waitFor(ev.wait(), 10).catch(() => undefined);
      }),
    ).resolves.toBeUndefined();
    await expect(run(() => ev.wait())).rejects.toThrow(/Event\.wait\(\).*bound to a different loop/);
  });

  it('wait() outside a running loop names the function', async () => {
    await expect(new Event().wait()).rejects.toThrow(
      /Event\.wait\(\) was called with no running timeweave loop/,
    );
  });
});
