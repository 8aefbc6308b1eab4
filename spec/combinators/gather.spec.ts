/**
 * gather: input order, returnExceptions, the first error, cancellation both ways.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, createTask, gather, Loop, run, sleep } from '../../src/index.js';

describe('gather', () => {
  it('returns results in input order, typed as a tuple', async () => {
    const r = await run(async () => {
      const [a, b, c] = await gather([
        createTask(() => sleep(30, 'a')),
        async () => {
          await sleep(10);
          return 2;
        },
        sleep(20, true),
      ]);
      const typed: [string, number, boolean] = [a, b, c];
      return typed;
    });
    expect(r).toEqual(['a', 2, true]);
  });

  it('gather([]) resolves to []', async () => {
    expect(await run(async () => gather([]))).toEqual([]);
  });

  it('the same awaitable twice yields its result twice and runs once', async () => {
    let runs = 0;
    const r = await run(async () => {
      const t = createTask(async () => {
        runs++;
        await sleep(1);
        return 'once';
      });
      return gather([t, t]);
    });
    expect(r).toEqual(['once', 'once']);
    expect(runs).toBe(1);
  });

  it('returnExceptions collects errors and cancellations in place', async () => {
    const r = await run(async () => {
      const cancelled = createTask(() => sleep(100));
      cancelled.cancel();
      const res = await gather(
        [
          async () => {
            await sleep(2);
            throw new RangeError('bad');
          },
          cancelled,
          sleep(3, 'ok'),
        ],
        { returnExceptions: true },
      );
      return res;
    }).then(
      (x) => x,
      (e: unknown) => e,
    );
    expect(r).toBeInstanceOf(Array);
    const [err, canc, ok] = r as unknown[];
    expect(err).toBeInstanceOf(RangeError);
    // Cancelled before gather's first step could await it: asyncio's gather records a CancelledError.
    expect(canc).toBeInstanceOf(CancelledError);
    expect(ok).toBe('ok');
  });

  it('returnExceptions records a child cancelled mid-way as a CancelledError', async () => {
    const r = await run(async () => {
      const victim = createTask(() => sleep(100, 'never'));
      const g = gather([victim, sleep(5, 'fine')], { returnExceptions: true });
      await sleep(1);
      victim.cancel('dropped');
      return g;
    });
    expect(r[0]).toBeInstanceOf(CancelledError);
    // As in CPython 3.11: gather builds CancelledError from the task's _cancel_message, which a task
    // cancelled through its body raising CancelledError does not keep.
    expect((r[0] as Error).message).toBe('');
    expect(r[1]).toBe('fine');
  });

  it('without returnExceptions the first error propagates at once; the others keep running', async () => {
    const loop = new Loop();
    const log: string[] = [];
    const r = await loop.run(async () => {
      const slow = createTask(async () => {
        await sleep(50);
        log.push(`slow finished at ${loop.time()}`);
        return 'slow';
      });
      try {
        await gather([
          slow,
          async () => {
            await sleep(5);
            throw new Error('early');
          },
        ]);
      } catch (e) {
        log.push(`gather failed at ${loop.time()}: ${(e as Error).message}`);
      }
      return slow;
    });
    expect(r).toBe('slow');
    expect(log).toEqual(['gather failed at 5: early', 'slow finished at 50']);
  });

  it('a cancelled child fails the gather with CancelledError (without returnExceptions)', async () => {
    const r = await run(async () => {
      const victim = createTask(() => sleep(100));
      const other = createTask(() => sleep(10, 'x'));
      const g = gather([victim, other]);
      await sleep(1);
      victim.cancel();
      const err = await g.then(
        () => null,
        (e: unknown) => e,
      );
      await other;
      return err;
    });
    expect(r).toBeInstanceOf(CancelledError);
  });

  it('cancelling the gather cancels every child still running', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const a = createTask(() => sleep(100));
      const b = createTask(() => sleep(100));
      const done = createTask(async () => 'done');
      const g = gather([a, b, done]);
      await sleep(1);
      expect(g.cancel('stop')).toBe(true);
      const err = await g.then(
        () => null,
        (e: unknown) => e,
      );
      expect(g.cancel()).toBe(false);
      return [err instanceof CancelledError, a.cancelled(), b.cancelled(), done.cancelled(), loop.time()];
    });
    expect(r).toEqual([true, true, true, false, 1]);
  });

  it('cancelling the task that awaits a gather cancels the children', async () => {
    await run(async () => {
      const kids = [createTask(() => sleep(100)), createTask(() => sleep(200))];
      const waiter = createTask(() => gather(kids));
      await sleep(1);
      waiter.cancel();
      await waiter.then(
        () => {},
        () => {},
      );
      expect(waiter.cancelled()).toBe(true);
      expect(kids.every((k) => k.cancelled())).toBe(true);
    });
  });

  it('gather(a, b) instead of gather([a, b]) is refused with a hint', async () => {
    await run(async () => {
      const a = createTask(async () => 1);
      expect(() => (gather as unknown as (...x: unknown[]) => unknown)(a, a)).toThrow(
        'gather() takes an array of awaitables: gather([a, b, c]), not gather(a, b, c).',
      );
      await a;
    });
  });
});
