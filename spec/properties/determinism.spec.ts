/**
 * The same program run twice gives the identical trace, under every policy (seeded ones with the
 * same seed); virtual time never goes back; no timer or sleep fires early or late; gather keeps
 * input order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ProgNode, policyCases, programArb, runProgram } from './program.js';

const NUM_RUNS = 100;

/** A program whose trace once had an event labelled with a step before the previous event's. */
const BACKWARD_LABEL: ProgNode = {
  ops: [
    { k: 'timeout', node: { ops: [{ k: 'spawn', node: { ops: [], fail: true } }], fail: true }, ms: 0 },
    { k: 'timeout', node: { ops: [], fail: true }, ms: 0 },
    { k: 'timer', ms: 0 },
  ],
  fail: true,
};

describe('determinism', () => {
  it('the same program gives the same trace, events, decisions and result twice, under each policy', async () => {
    await fc.assert(
      fc.asyncProperty(programArb(true, 3, true), fc.nat(1_000_000), async (prog, seed) => {
        for (const pc of policyCases(seed)) {
          const a = await runProgram(prog, pc.options);
          const b = await runProgram(prog, pc.options);
          expect(b.trace, pc.label).toBe(a.trace);
          expect(b.events, pc.label).toEqual(a.events);
          expect(b.decisions, pc.label).toBe(a.decisions);
          expect(b.value, pc.label).toBe(a.value);
          // Only main's own error may end the run: never a deadlock or a step limit.
          if (!a.ok) expect(a.value, pc.label).toBe('E:Error:m failed');
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('fifo and asyncio make no decisions; seeded policies record one per choice among several', async () => {
    await fc.assert(
      fc.asyncProperty(programArb(true, 3, true), fc.nat(1_000_000), async (prog, seed) => {
        for (const pc of policyCases(seed)) {
          const r = await runProgram(prog, pc.options);
          const decisions = r.loop.trace.decisions;
          if (pc.label === 'fifo' || pc.label === 'asyncio') expect(decisions).toEqual([]);
          for (const d of decisions) {
            expect(d.count).toBeGreaterThan(1);
            expect(d.chosen).toBeGreaterThanOrEqual(0);
            expect(d.chosen).toBeLessThan(d.count);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('virtual time', () => {
  it('never goes back, and sleeps and timers run exactly at their deadline', async () => {
    await fc.assert(
      fc.asyncProperty(programArb(true, 3, true), fc.nat(1_000_000), async (prog, seed) => {
        for (const pc of policyCases(seed)) {
          const r = await runProgram(prog, pc.options);
          expect(r.violations, pc.label).toEqual([]);
          let last = 0;
          let lastStep = 0;
          for (const [step, time] of r.events) {
            expect(time, pc.label).toBeGreaterThanOrEqual(last);
            expect(step, pc.label).toBeGreaterThanOrEqual(lastStep);
            last = time;
            lastStep = step;
          }
          expect(r.loop.time()).toBe(last);
        }
      }),
      // Found by CI (a random seed): under random/batch the last decision chose a cancelled callback
      // as the run ended, and the unretrieved error recorded after it was labelled with an earlier
      // step. Kept as a fixed example so it runs every time.
      { numRuns: NUM_RUNS, examples: [[BACKWARD_LABEL, 0]] },
    );
  });
});
