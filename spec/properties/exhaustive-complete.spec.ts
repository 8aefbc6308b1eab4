/**
 * What "complete" means: when exhaustive search runs every schedule of a program (nothing cut by a
 * bound or the cap), every schedule the seeded policies draw — random and PCT, over every ready
 * callback — is one of them, event for event; so if none of exhaustive's failed, none of theirs can.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exhaustiveSearch, explore, io, type Loop, runSchedule } from '../../src/index.js';
import { programArb, programMain, runProgram } from './program.js';

/** A run's events without its decisions (the exhaustive runs record their choices differently). */
function eventsOf(loop: Loop): string {
  return loop.trace
    .events()
    .filter((e) => e.kind !== 'decision')
    .map((e) => `${e.step} ${e.time} ${e.task} ${e.detail}`)
    .join('\n');
}

describe('exhaustive search reports complete only when nothing else can happen', () => {
  it('complete → every schedule random and PCT draw is one exhaustive ran (same events, step by step)', async () => {
    let completed = 0;
    await fc.assert(
      fc.asyncProperty(programArb(true, 2), fc.nat(1000), async (prog, seed) => {
        const main = (loop: Loop) => programMain(prog, loop, [])();
        const seen = new Set<string>();
        const options = { failOnUnretrieved: false, maxSteps: 5_000 };
        const cov = await exhaustiveSearch(
          main,
          options,
          { maxDelays: Number.POSITIVE_INFINITY, maxSchedules: 300 },
          (run) => seen.add(eventsOf(run.loop)),
          () => false, // every schedule, failing or not
        );
        fc.pre(cov.complete);
        completed++;
        for (const policy of ['random', 'pct'] as const) {
          for (let i = 0; i < 10; i++) {
            const r = await runProgram(prog, { policy, seed: seed + i });
            expect(seen.has(eventsOf(r.loop)), `${policy} seed ${seed + i}`).toBe(true);
          }
        }
      }),
      { numRuns: 80 },
    );
    expect(completed).toBeGreaterThan(20);
  });

  it('with io() latencies: complete covers every latency of each range', async () => {
    // A reply (latency 0–3 ms) races a 2 ms deadline: only the latency 3 misses it (at 2 the timer set
    // first fires first, and the reply lands in the same instant, before the check runs).
    const main = async (loop: Loop): Promise<string> => {
      const fetch = io(async () => 'reply', { latency: [0, 3] });
      let late = false;
      const deadline = loop.callLater(2.5, () => {
        late = true;
      });
      const v = await fetch();
      deadline.cancel();
      if (late) throw new Error('reply after the deadline');
      return v;
    };
    const ex = await explore(main, {
      strategy: 'exhaustive',
      policyOptions: { maxDelays: Number.POSITIVE_INFINITY },
    });
    expect(ex.ok).toBe(false);
    expect(ex.failure?.decisions).toEqual([3]);
    expect(ex.failure?.delays).toBe(1);
    expect((await runSchedule(main, [2])).ok).toBe(true);
    // Without the failing latency, the same search is complete.
    const fixed = async (loop: Loop): Promise<string> => {
      const fetch = io(async () => 'reply', { latency: [0, 2] });
      const deadline = loop.callLater(2.5, () => {
        throw new Error('late');
      });
      const v = await fetch();
      deadline.cancel();
      return v;
    };
    const ok = await explore(fixed, {
      strategy: 'exhaustive',
      policyOptions: { maxDelays: Number.POSITIVE_INFINITY },
    });
    expect(ok).toMatchObject({ ok: true, complete: true, runs: 3 });
  });
});
