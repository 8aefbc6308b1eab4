/**
 * The `random` policy.
 * @module
 */
import seedrandom from 'seedrandom';
import type { DecisionSource, PolicyDescription } from '../core/decisions.js';
import { checkSeed, drawLatency } from './common.js';

/**
 * Uniformly random choice among the ready callbacks, from a seeded PRNG: seedrandom's Tyche-i, whose
 * seeding costs a tenth of its default ARC4's (256-byte key schedule and 256 discarded bytes), which
 * weighed on fuzzing campaigns of thousands of short runs.
 */
export class RandomSource implements DecisionSource {
  private readonly rng: seedrandom.PRNG;
  private readonly seed: number | string;
  constructor(seed: number | string) {
    checkSeed(seed);
    this.seed = seed;
    this.rng = seedrandom.tychei(`random:${String(seed)}`);
  }
  chooseReady(count: number): number {
    return Math.floor(this.rng() * count);
  }
  chooseLatency(count: number): number {
    return drawLatency(this.rng, count);
  }
  describe(): PolicyDescription {
    return { policy: 'random', seed: this.seed };
  }
}
