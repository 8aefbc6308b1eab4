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
import { fcThreeByFive, twThreeByFive } from './small-programs.js';

export const THROUGHPUT_TOOLS = [
  'timeweave random',
  'fast-check scheduler',
  'timeweave Loop only (random policy, trace off)',
] as const;
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
  if (tool === 'timeweave random') {
    const r = await explore(twThreeByFive, { strategy: 'random', runs: n - 1, seed, shrink: false });
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
