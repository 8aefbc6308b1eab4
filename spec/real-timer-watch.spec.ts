/**
 * A real setTimeout / setInterval / setImmediate started during a run without fake globals: one
 * warning per function (through onWarning, console.warn by default) and a note in the trace. Every
 * timer started here is cleared at once, so no test waits in real time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Loop, type LoopWarning, sleep } from '../src/index.js';
import { settleRealTimerWatch } from '../src/real-timer-watch.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('real timers without fake globals', () => {
  it('warns once per function, naming the call and the task, and notes it in the trace', async () => {
    const warnings: LoopWarning[] = [];
    const loop = new Loop({ onWarning: (w) => warnings.push(w) });
    await loop.run(async () => {
      await sleep(5);
      clearTimeout(setTimeout(() => {}, 1000));
      clearTimeout(setTimeout(() => {}, 1000)); // the same function again: no second warning
      clearInterval(setInterval(() => {}, 1000));
    });
    expect(warnings.map((w) => w.call)).toEqual(['setTimeout', 'setInterval']);
    const w = warnings[0]!;
    expect(w.kind).toBe('real-timer');
    expect(w.time).toBe(5);
    expect(w.task).toBe('Task-1');
    expect(w.message).toContain('setTimeout() was called during a run without fake globals (in task Task-1)');
    expect(w.message).toContain('loop: { fakeGlobals: true }');
    const notes = loop.trace
      .events()
      .filter((e) => e.kind === 'note')
      .map((e) => e.detail);
    expect(notes).toEqual([
      'real setTimeout() started without fake globals',
      'real setInterval() started without fake globals',
    ]);
  });

  it.runIf(typeof setImmediate === 'function')('also watches setImmediate', async () => {
    const calls: string[] = [];
    await new Loop({ onWarning: (w) => calls.push(w.call) }).run(async () => {
      clearImmediate(setImmediate(() => {}));
    });
    expect(calls).toEqual(['setImmediate']);
  });

  it('warns on the console by default, each message once per process', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const program = async (): Promise<void> => {
      clearInterval(setInterval(() => {}, 1000));
    };
    await new Loop().run(program);
    await new Loop().run(program);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(
      'setInterval() was called during a run without fake globals',
    );
  });

  it('does not warn with fake globals, and puts the globals back after the run', async () => {
    settleRealTimerWatch();
    const before = globalThis.setTimeout;
    const warnings: LoopWarning[] = [];
    await new Loop({ fakeGlobals: true, onWarning: (w) => warnings.push(w) }).run(async () => {
      await new Promise((r) => setTimeout(r, 10));
    });
    let during: typeof setTimeout | null = null;
    await new Loop({ onWarning: (w) => warnings.push(w) }).run(async () => {
      during = globalThis.setTimeout;
    });
    expect(warnings).toEqual([]);
    expect(during).not.toBe(before); // watched while the run was under way
    settleRealTimerWatch();
    expect(globalThis.setTimeout).toBe(before);
  });

  it('puts the originals back one macrotask after the last run, and keeps them installed across back-to-back runs', async () => {
    settleRealTimerWatch();
    const before = globalThis.setTimeout;
    const seen: (typeof setTimeout)[] = [];
    for (let i = 0; i < 3; i++)
      await new Loop({ onWarning: () => {} }).run(async () => {
        seen.push(globalThis.setTimeout);
      });
    expect(new Set(seen).size).toBe(1); // one wrapper, not re-installed per run
    expect(seen[0]).not.toBe(before);
    expect(globalThis.setTimeout).toBe(seen[0]); // between runs: still the pass-through wrapper
    await new Promise<void>((resolve) => {
      before(resolve, 0);
    });
    expect(globalThis.setTimeout).toBe(before);
  });

  it('fake globals never capture the wrapper as the real function', async () => {
    settleRealTimerWatch();
    const before = globalThis.setTimeout;
    await new Loop({ onWarning: () => {} }).run(async () => {});
    expect(globalThis.setTimeout).not.toBe(before); // uninstall still pending
    await new Loop({ fakeGlobals: true }).run(async () => {});
    expect(globalThis.setTimeout).toBe(before);
  });

  const custom = Symbol.for('nodejs.util.promisify.custom');
  it.runIf(custom in setTimeout)(
    'keeps what hangs off the real functions (util.promisify.custom)',
    async () => {
      const original = (setTimeout as unknown as Record<symbol, unknown>)[custom];
      let seen: unknown;
      await new Loop({ onWarning: () => {} }).run(async () => {
        seen = (globalThis.setTimeout as unknown as Record<symbol, unknown>)[custom];
      });
      expect(seen).toBe(original);
    },
  );
});
