/**
 * Future: results, errors, cancellation, callbacks delivered as loop steps, repr.
 */
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createTask,
  Future,
  InvalidStateError,
  Loop,
  run,
  sleep,
  type UnretrievedReport,
} from '../src/index.js';

describe('Future', () => {
  it('setResult wakes its awaiters, each in its own step, in the order they awaited', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const f = loop.createFuture<number>();
      const waiters = ['a', 'b', 'c'].map((n) =>
        createTask(
          async () => {
            const v = await f;
            log.push(`${n} ${v}`);
          },
          { name: n },
        ),
      );
      await sleep(1);
      expect(f.done()).toBe(false);
      expect(f.futureState).toBe('pending');
      f.setResult(9);
      expect(f.done()).toBe(true);
      expect(f.futureState).toBe('finished');
      expect(f.result()).toBe(9);
      log.push('setter continues');
      for (const w of waiters) await w;
    });
    expect(log).toEqual(['setter continues', 'a 9', 'b 9', 'c 9']);
  });

  it('setException rejects awaiters; result() rethrows and exception() returns it', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = loop.createFuture<number>();
      const err = new Error('bad');
      loop.callLater(3, () => f.setException(err));
      await expect(f).rejects.toBe(err);
      expect(() => f.result()).toThrow(err);
      expect(f.exception()).toBe(err);
    });
  });

  it('setting a done future throws InvalidStateError naming its state', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = loop.createFuture<number>('answer');
      f.setResult(1);
      expect(() => f.setResult(2)).toThrow(InvalidStateError);
      expect(() => f.setResult(2)).toThrow('finished: <answer finished result=1>');
      expect(() => f.setException(new Error('x'))).toThrow(InvalidStateError);
      const g = loop.createFuture('g');
      g.cancel();
      expect(() => g.setResult(1)).toThrow('cancelled: <g cancelled>');
    });
  });

  it('result()/exception() on a pending future throw InvalidStateError', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = loop.createFuture();
      expect(() => f.result()).toThrow('Result is not ready.');
      expect(() => f.exception()).toThrow('Exception is not set.');
    });
  });

  it('cancel(msg) delivers CancelledError with the message; cancel of a done future is false', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = loop.createFuture();
      const t = createTask(async () => {
        try {
          await f;
        } catch (e) {
          return [e instanceof CancelledError, (e as Error).message];
        }
        return null;
      });
      await sleep(1);
      expect(f.cancel('called off')).toBe(true);
      expect(f.cancelled()).toBe(true);
      expect(f.cancel()).toBe(false);
      expect(await t).toEqual([true, 'called off']);
      expect(() => f.result()).toThrow(CancelledError);
      expect(() => f.exception()).toThrow(CancelledError);
      const done = loop.createFuture();
      done.setResult(1);
      expect(done.cancel()).toBe(false);
    });
  });

  it('awaiting a future that is already done does not end the step', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const f = loop.createFuture<string>();
      f.setResult('ready');
      const other = createTask(async () => {
        log.push('other');
      });
      log.push(`got ${await f}`);
      log.push(`got ${await f} again`);
      await other;
    });
    expect(log).toEqual(['got ready', 'got ready again', 'other']);
  });

  it('done callbacks get the future, run as separate steps, and can be removed', async () => {
    const loop = new Loop();
    const log: string[] = [];
    await loop.run(async () => {
      const f = loop.createFuture<number>();
      const first = (x: Future<number>): void => {
        log.push(`first ${x.result()}`);
      };
      const removed = (): void => {
        log.push('removed');
      };
      f.addDoneCallback(first);
      f.addDoneCallback(removed);
      f.addDoneCallback((x) => log.push(`third ${x === f}`));
      expect(f.removeDoneCallback(removed)).toBe(1);
      f.setResult(4);
      await sleep(0);
    });
    expect(log).toEqual(['first 4', 'third true']);
    const callbacks = loop.trace.events().filter((e) => e.kind === 'done-callback');
    expect(callbacks.slice(0, 2).map((e) => e.detail)).toEqual([
      'done callback first',
      'done callback anonymous',
    ]);
    expect(callbacks[0]!.step).toBeLessThan(callbacks[1]!.step);
  });

  it('toString shows label, state and outcome', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = loop.createFuture<number>();
      expect(f.toString()).toBe('<Future pending>');
      f.setResult(3);
      expect(f.toString()).toBe('<Future finished result=3>');
      const e = loop.createFuture('Event.wait()');
      e.setException(new Error('nope'));
      expect(e.toString()).toBe('<Event.wait() finished exception=Error: nope>');
      e.exception();
      expect(f.getLoop()).toBe(loop);
    });
  });

  it('new Future() inside a task belongs to the running loop', async () => {
    const loop = new Loop();
    await loop.run(async () => {
      const f = new Future<number>();
      expect(f.getLoop()).toBe(loop);
      loop.callLater(1, () => f.setResult(1));
      expect(await f).toBe(1);
    });
  });

  it('an error set on a future and awaited is retrieved (not reported)', async () => {
    const reports: UnretrievedReport[] = [];
    await run(
      async () => {
        const f = new Future<number>();
        f.setException(new Error('handled'));
        await f.then(
          () => {},
          () => {},
        );
      },
      { onUnretrieved: (r) => reports.push(r) },
    );
    expect(reports).toEqual([]);
  });

  it('then() on a done future: the chained promise settles (regression: it never did)', async () => {
    const loop = new Loop({ foreignTimeout: 100 });
    const r = await loop.run(async () => {
      const ok = loop.createFuture<number>();
      ok.setResult(2);
      const bad = loop.createFuture<number>();
      bad.setException(new Error('x'));
      const a = await ok.then((v) => v * 10);
      const b = await bad.then(
        () => 'no',
        (e: unknown) => `handled ${(e as Error).message}`,
      );
      const c = await ok
        .then(() => {
          throw new Error('thrown in then');
        })
        .then(null, (e: unknown) => (e as Error).message);
      return [a, b, c];
    });
    expect(r).toEqual([20, 'handled x', 'thrown in then']);
  });

  it('then() chained after the future completed and its callback ran still settles', async () => {
    const loop = new Loop({ foreignTimeout: 100 });
    const r = await loop.run(async () => {
      const f = loop.createFuture<number>();
      const g = loop.createFuture<number>();
      const doubled = f.then((v) => v * 2);
      const passed = g.then(null, null);
      loop.callLater(5, () => f.setResult(21));
      loop.callLater(6, () => g.setException(new Error('late')));
      await sleep(10);
      return [await doubled, await passed.then(null, (e: unknown) => (e as Error).message)];
    });
    expect(r).toEqual([42, 'late']);
  });

  it('is a thenable usable with Promise.resolve and async functions', async () => {
    const loop = new Loop();
    const r = await loop.run(async () => {
      const f = loop.createFuture<number>();
      loop.callLater(5, () => f.setResult(5));
      const viaPromise = await Promise.resolve(f);
      const viaAsync = await (async () => f)();
      return [viaPromise, viaAsync, loop.time()];
    });
    expect(r).toEqual([5, 5, 5]);
  });
});
