/**
 * Seeded search strategies: which decision source drives run number i of a campaign.
 * @module
 */
import { type DecisionSource, PctSource, RandomSource } from '../policy.js';
import { RecordingSource } from './scripted.js';

/** How explore picks schedules. */
export type Strategy = 'random' | 'pct' | 'portfolio' | 'exhaustive';

/** Options of the seeded policies explore drives. */
export interface StrategyPolicyOptions {
  /** PCT bug depth d (strategy `pct`), default 2. The portfolio cycles d = 1, 2, 3. */
  depth?: number;
  /**
   * PCT's estimate k of the program's length in steps. Default: the step count of the fifo run
   * explore makes first, which spreads the change points over the program actually run.
   */
  steps?: number;
}

/** The policy of one run of a seeded campaign. */
export interface RunPolicy {
  readonly policy: 'random' | 'pct';
  readonly seed: number;
  readonly depth?: number;
}

/**
 * Run `runIndex` (0-based) of a seeded campaign. `random` and `pct` use one policy for every run;
 * `portfolio` cycles random, PCT d=2, PCT d=3, because uniform random and PCT find different bugs
 * (random is good at shallow races among many tasks; PCT at ordering bugs needing a few specific
 * preemptions). PCT d=1 is left out: over every ready callback it runs the tasks one after another
 * in a random priority order, which shows only what random also shows (on the race corpus of
 * bench/races/ it missed 6 of 15 bugs in 5 000 runs, and the portfolio with it needed 1.8× the runs).
 * Run i uses seed `seed + i`, so disjoint seed ranges never repeat a run.
 */
export function runPolicy(
  strategy: Exclude<Strategy, 'exhaustive'>,
  seed: number,
  runIndex: number,
  options: StrategyPolicyOptions,
): RunPolicy {
  const s = seed + runIndex;
  if (strategy === 'random') return { policy: 'random', seed: s };
  if (strategy === 'pct') return { policy: 'pct', seed: s, depth: options.depth ?? 2 };
  const slot = runIndex % 3;
  return slot === 0 ? { policy: 'random', seed: s } : { policy: 'pct', seed: s, depth: slot + 1 };
}

/** A recording source for a run policy; `steps` is PCT's estimate of the program length. */
export function sourceFor(p: RunPolicy, steps: number): RecordingSource {
  const inner: DecisionSource =
    p.policy === 'random'
      ? new RandomSource(p.seed)
      : new PctSource(p.seed, { depth: p.depth ?? 2, steps: Math.max(1, Math.round(steps)) });
  return new RecordingSource(inner);
}

/** How a run policy reads in a report: `pct d=2 seed 17`. */
export function describeRunPolicy(p: RunPolicy): string {
  return p.policy === 'pct' ? `pct d=${p.depth} seed ${p.seed}` : `random seed ${p.seed}`;
}
