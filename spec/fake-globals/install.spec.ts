/**
 * Installing and restoring fake globals: what `fakeGlobals` replaces, that every real global comes back
 * after the run however it ends, option validation, and overlapping runs.
 */
import timersPromises from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createTask, DeadlockError, Loop, run, StepLimitError, sleep } from '../../src/index.js';
import { settleRealTimerWatch } from '../../src/real-timer-watch.js';

/** Identity of everything fake globals may replace. */
function snapshot(): Record<string, unknown> {
  return {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
    setImmediate: globalThis.setImmediate,
    clearImmediate: globalThis.clearImmediate,
    Date: globalThis.Date,
    performanceNow: Object.getOwnPropertyDescriptor(performance, 'now'),
    hrtime: process.hrtime,
    abortTimeout: AbortSignal.timeout,
    queueMicrotask: globalThis.queueMicrotask,
    nextTick: process.nextTick,
    tpSetTimeout: timersPromises.setTimeout,
    tpSetInterval: timersPromises.setInterval,
    tpSetImmediate: timersPromises.setImmediate,
    schedulerWait: Object.getOwnPropertyDescriptor(timersPromises.scheduler, 'wait'),
  };
}

describe('install and restore', () => {
  it('replaces the globals during the run and restores the very same objects afterwards', async () => {
    const before = snapshot();
    let during: Record<string, unknown> = {};
    await run(
      async () => {
        during = snapshot();
      },
      { fakeGlobals: true },
    );
    expect(snapshot()).toEqual(before);
    for (const key of ['setTimeout', 'setInterval', 'setImmediate', 'Date', 'hrtime', 'abortTimeout']) {
      expect(during[key], key).not.toBe(before[key]);
    }
    expect(during.performanceNow).not.toEqual(before.performanceNow);
    // The microtask machinery stays real: the loop runs on it.
    expect(during.queueMicrotask).toBe(before.queueMicrotask);
    expect(during.nextTick).toBe(before.nextTick);
  });

  it('restores the globals when the run throws', async () => {
    const before = snapshot();
    const err = await run(
      async () => {
        await sleep(5);
        throw new Error('boom');
      },
      { fakeGlobals: true },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(snapshot()).toEqual(before);
  });

  it('restores the globals after a deadlock', async () => {
    const before = snapshot();
    const loop = new Loop({ fakeGlobals: true });
    const err = await loop
      .run(async () => {
        await loop.createFuture('never');
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect(snapshot()).toEqual(before);
  });

  it('restores the globals when maxSteps is hit', async () => {
    const before = snapshot();
    const err = await run(
      async () => {
        for (;;) await sleep(0);
      },
      { fakeGlobals: true, maxSteps: 50 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepLimitError);
    expect(snapshot()).toEqual(before);
  });

  it('restores the globals when a setInterval runs until maxTime', async () => {
    const before = snapshot();
    const err = await run(
      async () => {
        setInterval(() => {}, 10);
        await new Promise(() => {});
      },
      { fakeGlobals: true, maxTime: 1000 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepLimitError);
    expect((err as StepLimitError).limit).toBe('time');
    expect(snapshot()).toEqual(before);
  });

  it('fakes only what toFake selects; clearX names select their setX', async () => {
    const before = snapshot();
    let during: Record<string, unknown> = {};
    await run(
      async () => {
        during = snapshot();
      },
      { fakeGlobals: { toFake: ['clearTimeout', 'Date'] } },
    );
    expect(during.setTimeout).not.toBe(before.setTimeout);
    expect(during.clearTimeout).not.toBe(before.clearTimeout);
    expect(during.Date).not.toBe(before.Date);
    expect(during.setInterval).toBe(before.setInterval);
    expect(during.setImmediate).toBe(before.setImmediate);
    expect(during.performanceNow).toEqual(before.performanceNow);
    expect(during.abortTimeout).toBe(before.abortTimeout);
    expect(during.tpSetTimeout).toBe(before.tpSetTimeout);
    expect(snapshot()).toEqual(before);
  });

  it('rejects unknown names and the microtask machinery with a clear error, faking nothing', async () => {
    const before = snapshot();
    const bad = await run(async () => 1, {
      fakeGlobals: { toFake: ['setTimeout', 'setTimout' as 'setTimeout'] },
    }).catch((e: unknown) => e);
    expect(String(bad)).toMatch(/unknown name "setTimout"\. Known: setTimeout, setInterval/);
    const micro = await run(async () => 1, {
      fakeGlobals: { toFake: ['queueMicrotask' as 'setTimeout'] },
    }).catch((e: unknown) => e);
    expect(String(micro)).toMatch(
      /cannot fake queueMicrotask: the loop runs tasks on the real microtask queue/,
    );
    expect(snapshot()).toEqual(before);
  });

  it('refuses to overlap two runs that fake globals, and leaves the first one intact', async () => {
    const before = snapshot();
    const first = new Loop({ fakeGlobals: true });
    const running = first.run(async () => {
      await new Promise((res) => setTimeout(res, 10));
      return first.time();
    });
    // Let the first run's first step end (this setImmediate is the first loop's fake: one of its steps).
    await new Promise((res) => setImmediate(res));
    const second = await new Loop({ fakeGlobals: true }).run(async () => 1).catch((e: unknown) => e);
    const r = await running;
    expect(r).toBe(10);
    expect(String(second)).toMatch(/another loop with fake globals is running/);
    expect(snapshot()).toEqual(before);
  });

  it('a loop without fakeGlobals fakes nothing: only watches the three timer starters, and puts them back', async () => {
    settleRealTimerWatch();
    const before = snapshot();
    let during: Record<string, unknown> = {};
    await run(
      async () => {
        during = snapshot();
      },
      { onWarning: () => {} },
    );
    // setTimeout, setInterval and setImmediate are wrapped to warn about real timers (see
    // spec/real-timer-watch.spec.ts); every other global is the very same object.
    const watched = ['setTimeout', 'setInterval', 'setImmediate'];
    for (const k of watched) expect(during[k], k).not.toBe(before[k]);
    const rest = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).filter(([k]) => !watched.includes(k)));
    expect(rest(during)).toEqual(rest(before));
    settleRealTimerWatch(); // otherwise one real macrotask later
    expect(snapshot()).toEqual(before);
  });

  it('a fake captured during the run forwards to the real function after it', async () => {
    let captured!: typeof setTimeout;
    await run(
      async () => {
        captured = setTimeout;
      },
      { fakeGlobals: true },
    );
    expect(captured).not.toBe(setTimeout);
    // After the run it must behave as the real one: returns a real Timeout that the real clearTimeout accepts.
    const t = captured(() => {
      throw new Error('must not fire');
    }, 10_000);
    expect(t.constructor.name).toBe('Timeout');
    clearTimeout(t);
  });

  it('timers still pending when the run ends never fire, and clearing them later is harmless', async () => {
    let fired = false;
    let handle!: ReturnType<typeof setTimeout>;
    const loop = new Loop({ fakeGlobals: true });
    await loop.run(async () => {
      handle = setTimeout(() => {
        fired = true;
      }, 50);
      createTask(async () => {
        await sleep(10);
      });
    });
    expect(fired).toBe(false);
    expect(() => clearTimeout(handle)).not.toThrow();
  });
});
