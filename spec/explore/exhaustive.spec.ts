import { describe, expect, it } from 'vitest';
import { cacheInit, lostUpdate, type RaceExample, replyTimeout } from '../../examples/races/index.js';
import { exhaustiveSearch, explore, type Loop } from '../../src/index.js';

/** n tasks started in one batch; the order they run in is the schedule's. */
function nWay(n: number) {
  return async (loop: Loop): Promise<string> => {
    const out: number[] = [];
    const ts = Array.from({ length: n }, (_, i) => loop.createTask(async () => void out.push(i)));
    for (const t of ts) await t;
    return out.join('');
  };
}

describe('exhaustive search', () => {
  it('runs every schedule of a 3-task batch exactly once: 3! = 6, complete', async () => {
    const seen: string[] = [];
    const cov = await exhaustiveSearch(nWay(3), {}, { maxDeviations: Number.POSITIVE_INFINITY }, (run) =>
      seen.push(String(run.result)),
    );
    expect(cov).toMatchObject({ schedules: 6, exhausted: true, complete: true });
    expect(new Set(seen)).toEqual(new Set(['012', '021', '102', '120', '201', '210']));
  });

  it('with a deviation bound covers exactly the schedules within it', async () => {
    // choices (c0 ∈ 0..2, c1 ∈ 0..1): at most one non-zero → 00, 10, 20, 01.
    const one = await exhaustiveSearch(nWay(3), {}, { maxDeviations: 1 });
    expect(one).toMatchObject({ schedules: 4, exhausted: true, complete: false });
    const none = await exhaustiveSearch(nWay(3), {}, { maxDeviations: 0 });
    expect(none).toMatchObject({ schedules: 1, exhausted: true, complete: false });
    // 4 tasks, bound 1: fifo + (3 + 2 + 1) single deviations.
    expect((await exhaustiveSearch(nWay(4), {}, { maxDeviations: 1 })).schedules).toBe(7);
    // 4 tasks, unbounded: 4! schedules.
    expect((await exhaustiveSearch(nWay(4), {}, { maxDeviations: Number.POSITIVE_INFINITY })).schedules).toBe(
      24,
    );
  });

  it('stops at the schedule cap and says it did not exhaust the space', async () => {
    const r = await explore(nWay(4), {
      strategy: 'exhaustive',
      policyOptions: { maxDeviations: Number.POSITIVE_INFINITY, maxSchedules: 10 },
    });
    expect(r).toMatchObject({ ok: true, runs: 10, exhausted: false, complete: false });
    expect(r.message).toContain('stopped at the schedule cap');
  });

  for (const ex of [lostUpdate, cacheInit, replyTimeout] as RaceExample<unknown>[]) {
    it(`proves the fixed '${ex.title}' race-free within 2 deviations, and finds the buggy one`, async () => {
      const fixed = await explore(ex.fixed, { strategy: 'exhaustive', invariant: ex.invariant });
      expect(fixed).toMatchObject({ ok: true, exhausted: true, maxDeviations: 2 });
      expect(fixed.runs).toBeGreaterThan(1);
      expect(fixed.message).toMatch(/every schedule/);
      const buggy = await explore(ex.buggy, { strategy: 'exhaustive', invariant: ex.invariant });
      expect(buggy.ok).toBe(false);
      expect(buggy.failure!.deviations).toBe(1);
    });
  }
});
