/**
 * waitFor and shield.
 */
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createTask,
  Loop,
  run,
  shield,
  sleep,
  TimeoutError,
  type UnretrievedReport,
  waitFor,
} from '../../src/index.js';

describe('waitFor', () => {
  it('returns the result when the awaitable finishes first', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => [await waitFor(sleep(5, 'v'), 10), loop.time()]);
    expect(r).toEqual(['v', 5]);
  });

  it('on timeout cancels the inner task, waits for it to finish, and throws TimeoutError', async () => {
    const loop = new Loop();
    const log: string[] = [];
    const r = await loop.run(async () => {
      const inner = createTask(async () => {
        try {
          await sleep(100);
        } finally {
          log.push(`inner cancelled at ${loop.time()}`);
          await sleep(3); // cleanup takes time; waitFor waits for it
          log.push(`inner cleanup done at ${loop.time()}`);
        }
      });
      try {
        await waitFor(inner, 10);
        return 'no timeout';
      } catch (e) {
        log.push(`${(e as Error).name} at ${loop.time()}`);
        return [
          e instanceof TimeoutError,
          (e as { cause?: unknown }).cause instanceof CancelledError,
          inner.cancelled(),
        ];
      }
    });
    expect(r).toEqual([true, true, true]);
    expect(log).toEqual(['inner cancelled at 10', 'inner cleanup done at 13', 'TimeoutError at 13']);
    expect(loop.trace.events().some((e) => e.kind === 'timeout')).toBe(true);
  });

  it('waitFor(x, 0) on a pending awaitable times out at once and cancels it', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const t = createTask(() => sleep(5));
      const err = await waitFor(t, 0).then(
        () => null,
        (e: unknown) => e,
      );
      return [err instanceof TimeoutError, t.cancelled(), loop.time()];
    });
    expect(r).toEqual([true, true, 0]);
  });

  it('waitFor(x, 0) on a done awaitable returns its result', async () => {
    const r = await run(async () => {
      const t = createTask(async () => 'done');
      await t;
      return waitFor(t, 0);
    });
    expect(r).toBe('done');
  });

  it('waitFor(x, null) just awaits, with no deadline', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => [
      await waitFor(sleep(1e6, 'late'), null),
      await waitFor(async () => 'fn', null),
      loop.time(),
    ]);
    expect(r).toEqual(['late', 'fn', 1e6]);
  });

  it('an inner error propagates as is', async () => {
    await expect(
      run(async () =>
        waitFor(async () => {
          await sleep(1);
          throw new RangeError('inner');
        }, 10),
      ),
    ).rejects.toThrow(RangeError);
  });

  it('an inner task that swallows the cancellation and returns: its result wins (3.11)', async () => {
    const r = await run(async () =>
      waitFor(async () => {
        try {
          await sleep(100);
          return 'slept';
        } catch {
          return 'swallowed';
        }
      }, 5),
    );
    expect(r).toBe('swallowed');
  });

  it('cancelling the task in waitFor cancels the inner awaitable and propagates CancelledError', async () => {
    await run(async () => {
      const inner = createTask(() => sleep(100));
      const outer = createTask(() => waitFor(inner, 50));
      await sleep(1);
      outer.cancel();
      const err = await outer.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CancelledError);
      expect(inner.cancelled()).toBe(true);
    });
  });
});

describe('shield', () => {
  it('cancelling the awaiter does not cancel the shielded task', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const precious = createTask(() => sleep(20, 'kept'));
      const waiter = createTask(() => shield(precious));
      await sleep(1);
      waiter.cancel();
      const err = await waiter.then(
        () => null,
        (e: unknown) => e,
      );
      return [err instanceof CancelledError, precious.cancelled(), await precious, loop.time()];
    });
    expect(r).toEqual([true, false, 'kept', 20]);
  });

  it('cancelling the inner cancels the outer', async () => {
    await run(async () => {
      const inner = createTask(() => sleep(20));
      const outer = shield(inner);
      await sleep(1);
      inner.cancel();
      await expect(outer).rejects.toBeInstanceOf(CancelledError);
      expect(outer.cancelled()).toBe(true);
    });
  });

  it('passes results and errors through; a done inner is returned as is', async () => {
    await run(async () => {
      expect(await shield(sleep(2, 'r'))).toBe('r');
      await expect(
        shield(async () => {
          await sleep(1);
          throw new Error('e');
        }),
      ).rejects.toThrow('e');
      const done = createTask(async () => 1);
      await done;
      expect(shield(done)).toBe(done);
    });
  });

  it('an inner error after the outer was cancelled is reported as unretrieved, as asyncio does', async () => {
    // CPython's shield drops its inner callback once the outer is done, so nobody retrieves it.
    const reports: UnretrievedReport[] = [];
    await run(
      async () => {
        const inner = createTask(async () => {
          await sleep(5);
          throw new Error('late failure');
        });
        const outer = shield(inner);
        await sleep(1);
        outer.cancel();
        await sleep(10);
      },
      { onUnretrieved: (r) => reports.push(r) },
    );
    expect(reports.map((r) => r.task)).toEqual(['Task-2']);
    expect(reports[0]!.message).toContain('late failure');
  });
});
