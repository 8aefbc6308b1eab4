/**
 * Timers: the two timer queues (fifo buckets, CPython heapq), callLater/callAt handles, sleep.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CallbackError,
  createTask,
  DeadlockError,
  type Future,
  Loop,
  run,
  sleep,
  waitFor,
} from '../src/index.js';
import { RingQueue } from '../src/ready-queue.js';
import { BucketTimers, HeapqTimers, type TimerEntry, type TimerQueue } from '../src/timers.js';

interface T extends TimerEntry {
  id: number;
}

function entry(id: number, when: number): T {
  return { id, _when: when, _skip: false, _scheduled: false };
}

function drain(q: TimerQueue<T>, end = Number.POSITIVE_INFINITY): number[] {
  const ready = new RingQueue<T>();
  q.beginIteration();
  q.popDue(end, ready);
  const out: number[] = [];
  for (let e = ready.shift(); e !== undefined; e = ready.shift()) out.push(e.id);
  return out;
}

describe('BucketTimers (fifo)', () => {
  it('releases by deadline, then in the order set', () => {
    const q = new BucketTimers<T>();
    const whens = [5, 1, 5, 3, 1, 5, 0.5];
    for (const [i, w] of whens.entries()) q.push(entry(i, w));
    expect(q.size).toBe(7);
    expect(drain(q)).toEqual([6, 1, 4, 3, 0, 2, 5]);
    expect(q.size).toBe(0);
  });

  it('releases only what is due before `end` and skips cancelled entries', () => {
    const q = new BucketTimers<T>();
    const es = [entry(0, 1), entry(1, 2), entry(2, 2), entry(3, 4)];
    for (const e of es) q.push(e);
    es[1]!._skip = true;
    expect(drain(q, 2.5)).toEqual([0, 2]);
    q.beginIteration();
    expect(q.nextWhen()).toBe(4);
    expect(drain(q)).toEqual([3]);
    expect(q.nextWhen()).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with a stable sort by deadline (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(6), fc.boolean()), { maxLength: 60 }), (items) => {
        const q = new BucketTimers<T>();
        const es = items.map(([w], i) => entry(i, w));
        for (const e of es) q.push(e);
        items.forEach(([, cancel], i) => {
          if (cancel) es[i]!._skip = true;
        });
        const expected = es
          .filter((e) => !e._skip)
          .sort((a, b) => a._when - b._when || a.id - b.id)
          .map((e) => e.id);
        expect(drain(q)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('HeapqTimers (asyncio)', () => {
  it('releases same-deadline timers in CPython heapq order, not insertion order', () => {
    // heapq with deadline-only comparison: five equal deadlines pop as 0, 2, 4, 1, 3 (see loop.spec).
    const q = new HeapqTimers<T>();
    for (let i = 0; i < 5; i++) q.push(entry(i, 1000));
    const out: number[] = [];
    const ready = new RingQueue<T>();
    q.beginIteration();
    q.popDue(1001, ready);
    for (let e = ready.shift(); e !== undefined; e = ready.shift()) out.push(e.id);
    expect(out).toEqual([0, 2, 4, 1, 3]);
  });

  it('always releases in non-decreasing deadline order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 80 }), (whens) => {
        const q = new HeapqTimers<T>();
        for (const [i, w] of whens.entries()) q.push(entry(i, w));
        const ready = new RingQueue<T>();
        q.beginIteration();
        q.popDue(Number.POSITIVE_INFINITY, ready);
        const got: number[] = [];
        for (let e = ready.shift(); e !== undefined; e = ready.shift()) got.push(e._when);
        expect(got).toEqual([...whens].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });

  it('drops cancelled heads at the start of an iteration and re-heapifies when they pile up', () => {
    const q = new HeapqTimers<T>();
    const es = Array.from({ length: 150 }, (_, i) => entry(i, i));
    for (const e of es) q.push(e);
    // Cancel 100 of 150 (> half, > 100 scheduled): the next iteration rebuilds the heap without them.
    for (let i = 0; i < 100; i++) {
      es[i]!._skip = true;
      q.noteCancelled();
    }
    q.beginIteration();
    expect(q.size).toBe(50);
    expect(q.nextWhen()).toBe(100);
  });
});

describe('callLater / callAt handles', () => {
  it('run at their deadline; cancel() stops them; when() tells the deadline', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const h1 = loop.callLater(10, (x: string) => log.push(`${x}@${loop.time()}`), 'a');
      const h2 = loop.callLater(5, () => log.push('cancelled one'));
      loop.callAt(7.5, () => log.push(`c@${loop.time()}`));
      expect(h1.when()).toBe(10);
      h2.cancel();
      h2.cancel();
      expect(h2.cancelled()).toBe(true);
      expect(h1.cancelled()).toBe(false);
      await sleep(20);
    });
    expect(log).toEqual(['c@7.5', 'a@10']);
  });

  it('callAt in the past runs at once, as a timer, without moving the clock back', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      await sleep(10);
      loop.callAt(3, () => log.push(`late@${loop.time()}`));
      await sleep(0);
      await sleep(0);
    });
    expect(log).toEqual(['late@10']);
    expect(loop.trace.events().find((e) => e.kind === 'timer')?.time).toBe(10);
  });

  it('callSoon runs callbacks after the ones already ready, with their arguments', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      loop.callSoon((a: number, b: number) => log.push(`sum ${a + b}`), 2, 3);
      loop.callSoon(() => log.push('second'));
      log.push('main continues');
      await sleep(0);
      log.push('main after yield');
    });
    expect(log).toEqual(['main continues', 'sum 5', 'second', 'main after yield']);
  });

  it('an exception in a callback fails the run with a CallbackError naming it (Node would exit)', async () => {
    const loop = new Loop();
    const err = await loop
      .run(async () => {
        loop.callLater(5, function flush() {
          throw new TypeError('conn is null');
        });
        await sleep(10);
        return 'survived';
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallbackError);
    const ce = err as CallbackError;
    expect(ce.cause).toBeInstanceOf(TypeError);
    expect(ce).toMatchObject({ callback: 'timer callback flush', time: 5, step: 1 });
    expect(ce.message).toMatch(
      /^timer callback flush threw at t=5ms \(step 1\): TypeError: conn is null\. Node would end the process here/,
    );
    expect(ce.message).toMatch(/onCallbackError: 'report'/);
    expect(loop.time()).toBe(5);
    expect(() => new Loop({ onCallbackError: 'loud' as never })).toThrow(
      /onCallbackError must be 'fail' or 'report'/,
    );
  });

  it("with onCallbackError: 'report' an exception in a callback is recorded, not fatal", async () => {
    const loop = new Loop({ onCallbackError: 'report' });
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const r = await loop.run(async () => {
        loop.callSoon(() => {
          throw new Error('callback broke');
        });
        await sleep(1);
        return 'survived';
      });
      expect(r).toBe('survived');
    } finally {
      console.error = orig;
    }
    expect(loop.callbackErrors).toHaveLength(1);
    expect((loop.callbackErrors[0] as Error).message).toBe('callback broke');
    expect(errors).toHaveLength(1);
  });
});

describe('sleep', () => {
  it('resolves with its value at the deadline; sleep(0) yields one turn and moves no time', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const other = createTask(async () => {
        log.push(`other@${loop.time()}`);
      });
      expect(await sleep(0, 'zero')).toBe('zero');
      log.push(`main after sleep(0)@${loop.time()}`);
      expect(await sleep(2.5, { v: 1 })).toEqual({ v: 1 });
      log.push(`main@${loop.time()}`);
      await other;
    });
    expect(log).toEqual(['other@0', 'main after sleep(0)@0', 'main@2.5']);
  });

  it('ten years of daily sleeps land exactly (past 2^34 ms, where now + 1e-6 === now)', async () => {
    // Regression: the release window now + 1e-6 stopped growing past ~199 days and the loop spun forever.
    const loop = new Loop();
    const day = 24 * 3600 * 1000;
    const r = await loop.run(async () => {
      for (let i = 0; i < 3650; i++) await sleep(day);
      const at: number[] = [];
      loop.callAt(2 ** 45, () => at.push(loop.time()));
      await sleep(2 ** 45 - loop.time() + 1);
      return [at, loop.time() - 2 ** 45];
    });
    expect(r).toEqual([[2 ** 45], 1]);
  });

  it('a cancelled sleep that no task awaits drops its timer: the clock does not jump to it', async () => {
    const loop = new Loop();
    const err = await loop
      .run(async () => {
        await waitFor(sleep(50), 20).catch(() => {});
        await loop.createFuture('never');
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect(loop.time()).toBe(20);
    expect(loop.trace.events().filter((e) => e.kind === 'wake')).toEqual([]);
  });

  it('cancelling a bare sleep future rejects its awaiters with CancelledError', async () => {
    await run(async () => {
      const s = sleep(100) as unknown as Future<void>;
      const t = createTask(async () => s);
      await sleep(1);
      expect(s.cancel()).toBe(true);
      await expect(t).rejects.toThrow();
      expect(t.cancelled()).toBe(true);
    });
  });
});
