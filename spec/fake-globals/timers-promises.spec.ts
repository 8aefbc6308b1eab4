/**
 * `node:timers/promises`, `node:timers` and `util.promisify(setTimeout)` on the virtual clock, with
 * Node's options (signal, ref) and errors.
 */
import * as timersNs from 'node:timers';
import {
  setImmediate as immediateP,
  setInterval as intervalP,
  scheduler,
  setTimeout as sleepP,
} from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTask, Loop, run } from '../../src/index.js';

describe('node:timers/promises (ES module named imports)', () => {
  it('setTimeout resolves with its value after virtual ms', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      const v = await sleepP(1234, 'value');
      return { v, t: loop.time() };
    });
    expect(r).toEqual({ v: 'value', t: 1234 });
    const labels = loop.trace.events().filter((e) => e.kind === 'timer');
    expect(labels.map((e) => e.detail)).toEqual(['timer setTimeout(timers/promises)']);
  });

  it('setTimeout rejects with an AbortError when its signal aborts, at that instant', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      const ac = new AbortController();
      setTimeout(() => ac.abort('enough'), 70);
      const err = await sleepP(10_000, 'never', { signal: ac.signal }).catch((e: unknown) => e);
      const pre = await sleepP(5, 'x', { signal: ac.signal }).catch((e: unknown) => e);
      return { err, pre, t: loop.time() };
    });
    expect(r.t).toBe(70);
    for (const e of [r.err, r.pre] as (Error & { code: string; cause: unknown })[]) {
      expect(e.name).toBe('AbortError');
      expect(e.code).toBe('ABORT_ERR');
      expect(e.cause).toBe('enough');
    }
  });

  it('setImmediate resolves at the same instant; setInterval yields every delay until the loop breaks', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      const imm = await immediateP('now');
      const ticks: number[] = [];
      for await (const v of intervalP(100, 'tick')) {
        expect(v).toBe('tick');
        ticks.push(loop.time());
        if (ticks.length === 3) break;
      }
      return { imm, immAt: 0, ticks };
    });
    expect(r).toEqual({ imm: 'now', immAt: 0, ticks: [100, 200, 300] });
  });

  it('setInterval counts ticks nobody awaited and yields them later (Node’s behaviour), and stops on abort', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      const ac = new AbortController();
      const seen: number[] = [];
      const it = intervalP(10, 0, { signal: ac.signal });
      await it.next(); // t=10
      seen.push(loop.time());
      await sleepP(35); // ticks at 20, 30, 40 arrive while nobody awaits
      for (let i = 0; i < 3; i++) {
        await it.next();
        seen.push(loop.time());
      }
      setTimeout(() => ac.abort(), 3); // before the tick due at 50
      const err = await it.next().catch((e: unknown) => e);
      return { seen, err, t: loop.time() };
    });
    expect(r.seen).toEqual([10, 45, 45, 45]);
    expect((r.err as Error).name).toBe('AbortError');
    expect(r.t).toBe(48);
  });

  it('scheduler.wait and scheduler.yield run on the loop', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const t = await loop.run(async () => {
      await scheduler.wait(500);
      await scheduler.yield();
      return loop.time();
    });
    expect(t).toBe(500);
  });

  it('rejects bad options like Node', async () => {
    const err = await run(async () => sleepP(5, 1, { signal: 'no' as unknown as AbortSignal }), {
      fakeGlobals: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/options.signal must be an AbortSignal/);
  });

  it('timers/promises sleeps are decision points like any timer', async () => {
    const order = async (seed: number): Promise<string> => {
      const log: string[] = [];
      await run(
        async () => {
          const a = createTask(async () => {
            await sleepP(10);
            log.push('a');
          });
          const b = createTask(async () => {
            await sleepP(10);
            log.push('b');
          });
          await a;
          await b;
        },
        { fakeGlobals: true, policy: 'random', seed },
      );
      return log.join('');
    };
    const seen = new Set<string>();
    for (let seed = 0; seed < 30 && seen.size < 2; seed++) seen.add(await order(seed));
    expect(seen).toEqual(new Set(['ab', 'ba']));
  });

  it('is left alone when not selected, and the module comes back after the run', async () => {
    const real = sleepP;
    const seen = await run(async () => sleepP, { fakeGlobals: { toFake: ['setTimeout'] } });
    expect(seen).toBe(real);
    await run(async () => sleepP(1), { fakeGlobals: true });
    expect(sleepP).toBe(real);
  });
});

describe('node:timers and util.promisify', () => {
  it('node:timers exports the fakes during the run, and the real functions after it', async () => {
    const real = timersNs.setTimeout;
    const loop = new Loop({ fakeGlobals: true });
    const t = await loop.run(
      () =>
        new Promise<number>((resolve) => {
          timersNs.setTimeout(() => resolve(loop.time()), 42);
        }),
    );
    expect(t).toBe(42);
    expect(timersNs.setTimeout).toBe(real);
    expect(timersNs.setTimeout).toBe(globalThis.setTimeout);
  });

  it('util.promisify(setTimeout) is the virtual timers/promises setTimeout', async () => {
    const loop = new Loop({ fakeGlobals: true });
    const r = await loop.run(async () => {
      const wait = promisify(setTimeout);
      const v = await wait(77, 'ok');
      return { v, t: loop.time() };
    });
    expect(r).toEqual({ v: 'ok', t: 77 });
  });
});
