import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheInit, lostUpdate } from '../examples/races/index.js';
import { deviations } from '../src/explore/index.js';
import { runSchedule, scheduleArb, scheduleProperty } from '../src/fast-check.js';

describe('scheduleArb', () => {
  it('generates valid schedules within its bounds', () => {
    fc.assert(
      fc.property(scheduleArb({ maxDecisions: 10, maxDeviations: 3, maxChoice: 2 }), (s) => {
        expect(s.length).toBeLessThanOrEqual(10);
        expect(deviations(s)).toBeLessThanOrEqual(3);
        for (const c of s) expect(c === 0 || c === 1 || c === 2).toBe(true);
        if (s.length > 0) expect(s[s.length - 1]).not.toBe(0); // normalised: no trailing zeros
      }),
    );
  });

  it('shrinks towards the all-zeros schedule (fifo)', () => {
    // Any schedule "fails": the minimal counterexample is the empty one.
    const out = fc.check(
      fc.property(scheduleArb(), () => false),
      { seed: 1 },
    );
    expect(out.failed).toBe(true);
    expect(out.counterexample![0]).toEqual([]);
  });

  it('rejects bad bounds', () => {
    expect(() => scheduleArb({ maxDecisions: 0 })).toThrow(/maxDecisions must be an integer >= 1/);
  });
});

describe('scheduleProperty', () => {
  it('fast-check finds the lost update and shrinks it to a one-deviation schedule', async () => {
    const out = await fc.check(scheduleProperty(lostUpdate.buggy, { invariant: lostUpdate.invariant }), {
      seed: 42,
      numRuns: 200,
    });
    expect(out.failed).toBe(true);
    const schedule = out.counterexample![0];
    expect(deviations(schedule)).toBe(1);
    expect(out.numShrinks).toBeGreaterThanOrEqual(0);
    // The counterexample replays the failure.
    const run = await runSchedule(lostUpdate.buggy, schedule, { invariant: lostUpdate.invariant });
    expect(run.ok).toBe(false);
    expect(String(run.error)).toContain('an update was lost');
  });

  it('shrinks the deviation to the earliest decision point and the smallest choice', async () => {
    const out = await fc.check(scheduleProperty(cacheInit.buggy, { invariant: cacheInit.invariant }), {
      seed: 7,
      numRuns: 200,
    });
    expect(out.failed).toBe(true);
    expect(out.counterexample![0]).toEqual([1]);
  });

  it('the fixed version passes every generated schedule', async () => {
    await fc.assert(scheduleProperty(lostUpdate.fixed, { invariant: lostUpdate.invariant }), {
      numRuns: 100,
    });
  });
});
