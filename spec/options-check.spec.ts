/**
 * Misplaced or mistyped options throw, naming the key and where it belongs, instead of being
 * silently ignored (explore(main, { fakeGlobals: true }) used to run on real timers and pass).
 */
import { describe, expect, it } from 'vitest';
import { scheduleProperty } from '../src/fast-check.js';
import { explore, Loop, type LoopOptions, replay, run, serializeTrace } from '../src/index.js';
import { LOOP_OPTION_KEYS } from '../src/options-check.js';

const main = async (): Promise<number> => 1;

describe('option objects are checked for unknown keys', () => {
  it('explore: a Loop option at the top level belongs under loop', async () => {
    await expect(explore(main, { fakeGlobals: true } as never)).rejects.toThrow(
      "explore(): unknown option 'fakeGlobals'. It belongs under loop: { fakeGlobals: … }.",
    );
    await expect(explore(main, { scope: 'batch' } as never)).rejects.toThrow(/under loop: \{ scope: … \}/);
    await expect(explore(main, { policy: 'random' } as never)).rejects.toThrow(
      /belongs under the strategy option/,
    );
    await expect(explore(main, { invariant: () => true, runz: 5 } as never)).rejects.toThrow(
      "explore(): unknown option 'runz'. Did you mean 'runs'?",
    );
    await expect(explore(main, { policyOptions: { maxDelay: 1 } } as never)).rejects.toThrow(
      "explore() policyOptions: unknown option 'maxDelay'. Did you mean 'maxDelays'?",
    );
    await expect(explore(main, { loop: { seed: 3 } as never })).rejects.toThrow(
      /belongs under the seed option of explore/,
    );
    // Every option it does know still passes.
    expect((await explore(main, { runs: 1, loop: { scope: 'batch', fakeGlobals: false } })).ok).toBe(true);
  });

  it('Loop, run and replay name the key and, where one exists, the right place', async () => {
    expect(() => new Loop({ invariant: () => true } as LoopOptions)).toThrow(
      "new Loop(): unknown option 'invariant'. It belongs under explore(main, { invariant }), not a Loop option.",
    );
    expect(() => new Loop({ jitter: [0, 5] } as LoopOptions)).toThrow(/under fakeGlobals: \{ jitter: … \}/);
    expect(() => run(main, { maxstep: 5 } as LoopOptions)).toThrow(
      "run(): unknown option 'maxstep'. Did you mean 'maxSteps'?",
    );
    expect(() => new Loop({ xyzzy: 1 } as LoopOptions)).toThrow(/Known options: fakeGlobals, seed, policy/);
    const loop = new Loop({ policy: 'random', seed: 1 });
    await loop.run(main);
    const file = serializeTrace(loop);
    expect(() => replay(file, main, { seed: 2 } as never)).toThrow(
      /replay\(\): unknown option 'seed'\. It belongs under nothing/,
    );
    expect(await replay(file, main, { trace: true })).toBe(1);
  });

  it('scheduleProperty names a Loop option that belongs under loop', () => {
    expect(() => scheduleProperty(main, { fakeGlobals: true } as never)).toThrow(
      "scheduleProperty(): unknown option 'fakeGlobals'. It belongs under loop: { fakeGlobals: … }.",
    );
  });

  it('the Loop key list is the LoopOptions type (compile-time check) and what the Loop copies', () => {
    expect(Object.keys(new Loop().options).sort()).toEqual([...LOOP_OPTION_KEYS].sort());
  });
});
