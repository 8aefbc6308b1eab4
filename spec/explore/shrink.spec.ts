import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviations, errorType, explore, type Loop, runSchedule, sleep } from '../../src/index.js';

/**
 * Three tasks × five steps; fails when, in round 2, c runs before a AND, in round 4, b runs before a:
 * two deviations are needed, in two different batches.
 */
async function rounds(loop: Loop): Promise<string[]> {
  const log: string[] = [];
  const ts = ['a', 'b', 'c'].map((name) =>
    loop.createTask(
      async () => {
        for (let step = 1; step <= 5; step++) {
          log.push(`${name}${step}`);
          await sleep(0);
        }
      },
      { name },
    ),
  );
  for (const t of ts) await t;
  const before = (x: string, y: string) => log.indexOf(x) < log.indexOf(y);
  if (before('c2', 'a2') && before('b4', 'a4')) throw new Error(`bad order: ${log.join(' ')}`);
  return log;
}

describe('shrinking', () => {
  it('a shrunk schedule still fails the same way and deviates from fifo no more than the original', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), async (seed) => {
        const r = await explore(rounds, { strategy: 'random', seed, runs: 60 });
        if (r.ok) return; // this seed range found nothing: nothing to shrink
        const f = r.failure!;
        expect(f.deviations).toBeLessThanOrEqual(f.originalDeviations);
        expect(f.deviations).toBeGreaterThanOrEqual(2);
        const again = await runSchedule(rounds, f.decisions);
        expect(again.ok).toBe(false);
        expect(errorType(again.error)).toBe(errorType(f.error));
        expect(deviations(f.decisions)).toBe(f.deviations);
      }),
      { numRuns: 15 },
    );
  });

  it('takes a many-deviation random failure down to the two deviations the bug needs', async () => {
    const r = await explore(rounds, { strategy: 'random', seed: 3, runs: 100 });
    const f = r.failure!;
    expect(f.originalDeviations).toBeGreaterThan(2);
    expect(f.deviations).toBe(2);
    expect(f.decisions.length).toBeLessThanOrEqual(f.originalDecisions.length);
  });

  it('shrink: false keeps the failing schedule as found', async () => {
    const r = await explore(rounds, { strategy: 'random', seed: 3, runs: 100, shrink: false });
    expect(r.failure!.decisions).toEqual(r.failure!.originalDecisions);
    expect(r.failure!.shrinkRuns).toBe(0);
  });
});
