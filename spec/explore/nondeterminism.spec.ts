import { afterEach, describe, expect, it, vi } from 'vitest';
import { explore, sleep } from '../../src/index.js';

describe('the nondeterminism guard', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reports a program using Math.random as nondeterministic, with the first step where runs part', async () => {
    // A Math.random that never repeats a value, so the replay is sure to sleep for another time.
    let n = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => (++n * 0.137) % 1);
    const r = await explore(
      async () => {
        await sleep(0);
        await sleep(1 + Math.floor(Math.random() * 1000));
        throw new Error('boom');
      },
      { title: 'random sleeper' },
    );
    const f = r.failure!;
    expect(f.nondeterminism).toBeDefined();
    expect(f.nondeterminism!.step).toBe(1);
    expect(f.nondeterminism!.first).toMatch(/sleep until t=138/);
    expect(f.nondeterminism!.second).toMatch(/sleep until t=275/);
    expect(f.shrinkRuns).toBe(0);
    expect(r.message).toContain('not deterministic');
    expect(r.message).toContain('The two runs part at step 1');
    expect(r.message).toContain('Math.random');
  });

  it('reports state shared between runs (the failure does not come back on replay)', async () => {
    let calls = 0;
    const r = await explore(async () => {
      calls++;
      await sleep(1);
      if (calls === 1) throw new Error('first time only');
    });
    const f = r.failure!;
    expect(f.nondeterminism).toBeDefined();
    expect(f.nondeterminism!.replayFailed).toBe(false);
    expect(f.nondeterminism!.first).toContain("raise Error('first time only')");
  });

  it('stays quiet for a deterministic failure', async () => {
    const r = await explore(async () => {
      await sleep(5);
      throw new Error('always');
    });
    expect(r.failure!.nondeterminism).toBeUndefined();
  });
});
