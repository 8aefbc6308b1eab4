/**
 * Seeded search strategies: which decision source drives run number i of a campaign.
 * @module
 */
import { type DecisionSource, PctSource, PosSource, RandomSource } from '../policy.js';
import { RecordingSource } from './scripted.js';

/** How explore picks schedules. */
export type Strategy = 'random' | 'pct' | 'pos' | 'portfolio' | 'exhaustive';

/** Options of the seeded policies explore drives. */
export interface StrategyPolicyOptions {
  /** PCT bug depth d (strategy `pct`), default 2. */
  depth?: number;
  /**
   * PCT's estimate k of the program's length in steps. Default: the step count of the fifo run
   * explore makes first, which spreads the change points over the program actually run.
   */
  steps?: number;
}

/** The policy of one run of a seeded campaign. */
export interface RunPolicy {
  readonly policy: 'random' | 'pct' | 'pos';
  readonly seed: number;
  readonly depth?: number;
}

/**
 * Run `runIndex` (0-based) of a seeded campaign. `random`, `pct` and `pos` use one policy for every
 * run; `portfolio` alternates uniform random and POS, because they find different bugs: random is
 * good at shallow races among many tasks, POS at one handler running several steps ahead of another
 * (a callback that drew a low priority waits while the others overtake it). On the race corpus of
 * bench/races/ (80 seed ranges) the pair needed 0.57–0.63× the runs of the former portfolio (random,
 * PCT d=2, PCT d=3); against random alone it wins on every bug but the concurrency limit, whose noisy
 * counts decide the totals (docs/fuzzing.md gives both measurements). Since every other run is
 * uniform random, no program needs much more than twice random's runs. PCT stays available as a strategy of its own (`strategy: 'pct'`,
 * with its depth guarantee); over every ready callback it needed 1.5–3× the runs of random on the
 * corpus, mostly on the bug needing three handlers in flight at once.
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
  if (strategy === 'pos') return { policy: 'pos', seed: s };
  return runIndex % 2 === 0 ? { policy: 'random', seed: s } : { policy: 'pos', seed: s };
}

/** A recording source for a run policy; `steps` is PCT's estimate of the program length. */
export function sourceFor(p: RunPolicy, steps: number): RecordingSource {
  const inner: DecisionSource =
    p.policy === 'random'
      ? new RandomSource(p.seed)
      : p.policy === 'pos'
        ? new PosSource(p.seed)
        : new PctSource(p.seed, { depth: p.depth ?? 2, steps: Math.max(1, Math.round(steps)) });
  return new RecordingSource(inner);
}

/** How a run policy reads in a report: `pct d=2 seed 17`. */
export function describeRunPolicy(p: RunPolicy): string {
  return p.policy === 'pct' ? `pct d=${p.depth} seed ${p.seed}` : `${p.policy} seed ${p.seed}`;
}
