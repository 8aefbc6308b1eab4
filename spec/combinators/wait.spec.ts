/**
 * wait and asCompleted.
 */
import { describe, expect, it } from 'vitest';
import {
  ALL_COMPLETED,
  asCompleted,
  createTask,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Loop,
  run,
  sleep,
  TimeoutError,
  wait,
} from '../../src/index.js';

describe('wait', () => {
  it('ALL_COMPLETED (default) waits for every future and never throws their errors', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const a = createTask(() => sleep(5, 'a'));
      const b = createTask(async () => {
        await sleep(3);
        throw new Error('b failed');
      });
      const { done, pending } = await wait([a, b]);
      expect(b.exception()).toBeInstanceOf(Error);
      return [done.size, pending.size, loop.time()];
    });
    expect(r).toEqual([2, 0, 5]);
  });

  it('FIRST_COMPLETED returns at the first completion; the rest keep running', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const fast = createTask(() => sleep(2, 'fast'));
      const slow = createTask(() => sleep(9, 'slow'));
      const { done, pending } = await wait([fast, slow], { returnWhen: FIRST_COMPLETED });
      expect(loop.time()).toBe(2);
      expect([...done]).toEqual([fast]);
      expect([...pending]).toEqual([slow]);
      expect(await slow).toBe('slow');
    });
  });

  it('FIRST_EXCEPTION returns at the first error', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const ok = createTask(() => sleep(1, 'ok'));
      const bad = createTask(async () => {
        await sleep(4);
        throw new Error('bad');
      });
      const slow = createTask(() => sleep(10, 'slow'));
      const { done, pending } = await wait([ok, bad, slow], { returnWhen: FIRST_EXCEPTION });
      expect(loop.time()).toBe(4);
      expect(done).toEqual(new Set([ok, bad]));
      expect(pending).toEqual(new Set([slow]));
      expect(bad.exception()).toBeInstanceOf(Error);
      await slow;
    });
  });

  it('FIRST_EXCEPTION with no error waits for all; a cancellation is not an error', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const a = createTask(() => sleep(3));
      const b = createTask(() => sleep(6));
      const c = createTask(() => sleep(100));
      loop.callLater(1, () => c.cancel());
      const { done, pending } = await wait([a, b, c], { returnWhen: FIRST_EXCEPTION });
      expect(loop.time()).toBe(6);
      expect(done.size).toBe(3);
      expect(pending.size).toBe(0);
    });
  });

  it('timeout returns what is done, leaves the rest pending and running', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const a = createTask(() => sleep(2));
      const b = createTask(() => sleep(20, 'b'));
      const { done, pending } = await wait([a, b], { timeout: 10, returnWhen: ALL_COMPLETED });
      expect(loop.time()).toBe(10);
      expect([...done]).toEqual([a]);
      expect([...pending]).toEqual([b]);
      expect(b.cancelled()).toBe(false);
      expect(await b).toBe('b');
      expect(loop.time()).toBe(20);
    });
  });

  it('a timeout that never fires does not move the clock afterwards', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const a = createTask(() => sleep(2));
      await wait([a], { timeout: 1000 });
      expect(loop.time()).toBe(2);
    });
    expect(loop.time()).toBe(2);
  });
});

describe('asCompleted', () => {
  it('yields awaitables in completion order (sync iteration)', async () => {
    const r = await run(async () => {
      const out: string[] = [];
      for (const next of asCompleted([sleep(30, 'c'), sleep(10, 'a'), sleep(20, 'b')])) out.push(await next);
      return out;
    });
    expect(r).toEqual(['a', 'b', 'c']);
  });

  it('is async-iterable over the values', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const out: [string, number][] = [];
      const tasks = [3, 1, 2].map((d) => createTask(() => sleep(d, `t${d}`)));
      for await (const v of asCompleted(tasks)) out.push([v, loop.time()]);
      return out;
    });
    expect(r).toEqual([
      ['t1', 1],
      ['t2', 2],
      ['t3', 3],
    ]);
  });

  it('timeout: the remaining items throw TimeoutError; the tasks keep running', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const slow = createTask(() => sleep(50, 'slow'));
      const out: string[] = [];
      for (const next of asCompleted([sleep(5, 'fast'), slow], { timeout: 10 })) {
        try {
          out.push(await next);
        } catch (e) {
          out.push(`${(e as Error).name} at ${loop.time()}`);
        }
      }
      out.push(`slow is ${slow.done() ? 'done' : 'still running'}`);
      out.push(await slow);
      return out;
    });
    expect(r).toEqual(['fast', 'TimeoutError at 10', 'slow is still running', 'slow']);
  });

  it('timeout with async iteration throws out of the for-await', async () => {
    const loop = new Loop();
    const seen: string[] = [];
    const err = await loop.run(async () => {
      const slow = createTask(() => sleep(50, 'slow'));
      try {
        for await (const v of asCompleted([sleep(1, 'one'), slow], { timeout: 10 })) seen.push(v);
      } catch (e) {
        slow.cancel();
        return e;
      }
      return null;
    });
    expect(seen).toEqual(['one']);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toContain('timed out after 10ms');
  });

  it('an error comes out of the item that failed, in completion order', async () => {
    const r = await run(async () => {
      const out: string[] = [];
      const bad = async () => {
        await sleep(2);
        throw new Error('bad');
      };
      for (const next of asCompleted([sleep(4, 'late'), bad])) {
        try {
          out.push(await next);
        } catch (e) {
          out.push((e as Error).message);
        }
      }
      return out;
    });
    expect(r).toEqual(['bad', 'late']);
  });

  it('an empty input yields nothing', async () => {
    const r = await run(async () => {
      const out: unknown[] = [];
      for await (const v of asCompleted([])) out.push(v);
      return [...asCompleted([])].length + out.length;
    });
    expect(r).toBe(0);
  });
});

describe('asCompleted looks up the running loop when first iterated (CPython: as_completed is a generator)', () => {
  it('can be called outside a loop and iterated inside one; outside, iterating names the function', async () => {
    const loop = new Loop();
    let made!: ReturnType<typeof asCompleted<number>>;
    const fns = [async () => 1, async () => 2];
    made = asCompleted(fns); // no running loop yet: nothing happens until iterated
    const out: number[] = [];
    await loop.run(async () => {
      for await (const v of made) out.push(v);
    });
    expect(out.sort()).toEqual([1, 2]);
    expect(() => [...asCompleted(fns)]).toThrow('asCompleted() was called with no running timeweave loop');
  });
});
