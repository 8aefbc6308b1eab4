/**
 * Schedules per second on the 3 tasks × 5 steps program (small-programs.ts), one measurement:
 * - timeweave: `explore(twThreeByFive, { strategy: 'random', runs: n − 1, seed, shrink: false })` — the
 *   fifo run plus n − 1 random ones, n runs in all, each on a fresh loop with its trace recorded, as a
 *   user's explore campaign runs them;
 * - fast-check: `fc.assert(fc.asyncProperty(fc.scheduler(), (s) => s.waitFor(main(s))), { numRuns: n,
 *   seed })`, the idiomatic way to drive a program under the scheduler;
 * - for reference, timeweave's engine without explore: a fresh `new Loop({ policy: 'random', seed,
 *   trace: false })` per run (no fifo baseline run, no recording source, no trace, no verdict), to
 *   tell explore's per-run cost from the loop's.
 * Timed from just before the call to just after it returns (no warm-up: a fresh process measures
 * JIT warm-up too, the same for both tools).
 * @module
 */
import fc from 'fast-check';
import { explore, Loop } from '../../src/index.js';
import { fcThreeByFive, twThreeByFive, twThreeByFiveJoined } from './small-programs.js';

export const THROUGHPUT_TOOLS = [
  'timeweave random',
  'fast-check scheduler',
  'timeweave Loop only (random policy, trace off)',
  'timeweave random, joined by gather',
  'timeweave random, joined by Promise.all',
  'timeweave random, joined by gather, 5 awaits after',
  'timeweave random, joined by Promise.all, 5 awaits after',
] as const;

/** The join variants of the 3 × 5 program (see `twThreeByFiveJoined`), by tool. */
const JOINED: Partial<Record<ThroughputTool, (loop: Loop) => Promise<void>>> = {
  'timeweave random, joined by gather': twThreeByFiveJoined('gather', 0),
  'timeweave random, joined by Promise.all': twThreeByFiveJoined('Promise.all', 0),
  'timeweave random, joined by gather, 5 awaits after': twThreeByFiveJoined('gather', 5),
  'timeweave random, joined by Promise.all, 5 awaits after': twThreeByFiveJoined('Promise.all', 5),
};
export type ThroughputTool = (typeof THROUGHPUT_TOOLS)[number];

/** One measurement: runs made, real ms and CPU ms of the measured call. */
export interface Rate {
  readonly runs: number;
  readonly ms: number;
  readonly cpuMs: number;
}

export async function measureThroughput(tool: ThroughputTool, n: number, seed: number): Promise<Rate> {
  let runs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const joined = JOINED[tool];
  if (tool === 'timeweave random' || joined !== undefined) {
    const r = await explore(joined ?? twThreeByFive, {
      strategy: 'random',
      runs: n - 1,
      seed,
      shrink: false,
    });
    if (!r.ok) throw new Error(`timeweave: the 3 × 5 program failed: ${r.message}`);
    runs = r.runs;
  } else if (tool === 'timeweave Loop only (random policy, trace off)') {
    for (let i = 0; i < n; i++) {
      const loop = new Loop({ policy: 'random', seed: seed * n + i, trace: false });
      await loop.run(() => twThreeByFive(loop));
      runs++;
    }
  } else {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        runs++;
        await s.waitFor(fcThreeByFive(s));
      }),
      { numRuns: n, seed },
    );
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (runs !== n) throw new Error(`${tool}: made ${runs} runs, expected ${n}.`);
  return { runs, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}
