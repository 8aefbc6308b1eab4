/**
 * The `pos` policy: partial order sampling.
 * @module
 */
import seedrandom from 'seedrandom';
import type { DecisionSource, PolicyDescription, ReadyCandidates } from '../core/decisions.js';
import { checkSeed, drawLatency, PCT_SPIN_LIMIT } from './common.js';

/**
 * Partial order sampling (POS; Yuan, Yang, Gu, CAV 2018), in its basic form: every ready callback
 * gets a random priority the first time it is a candidate, and the one with the highest priority
 * runs. A callback keeps its priority while it waits, so one that drew low is held back while the
 * others' fresh callbacks keep overtaking it: a task that runs `k` steps ahead of another happens
 * with probability about 1/(k+1), where a uniform random walk gives 2^−k. That is the shape of the
 * bugs the exploration corpus holds (a check, an await, an act, while another handler gets several
 * I/O round trips ahead), and why the portfolio pairs it with uniform random, which is better at
 * shallow races among many tasks. (The published POS also re-draws the priorities of the events that
 * race with the one just run; a loop that cannot see memory accesses does not know which those are.)
 *
 * Fairness, as for PCT: a task resuming from `sleep(0)` {@link PCT_SPIN_LIMIT} times in a row while
 * other callbacks are ready is taken to spin, and its callback drops below every priority, so the
 * task it waits for runs (a livelock the real loop never produces is not reported as a bug).
 */
export class PosSource implements DecisionSource {
  private readonly rng: seedrandom.PRNG;
  private readonly seed: number | string;
  private readonly priority = new WeakMap<object, number>();
  /** Priorities given to demoted spinning callbacks: below 0, each lower than the last. */
  private floor = 0;
  private spinTask = 0;
  private spinRun = 0;

  constructor(seed: number | string) {
    checkSeed(seed);
    this.seed = seed;
    this.rng = seedrandom.tychei(`pos:${String(seed)}`);
  }

  private best(count: number, c: ReadyCandidates): number {
    let best = 0;
    let bestP = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const key = c.identity(i);
      let p = this.priority.get(key);
      if (p === undefined) {
        p = this.rng();
        this.priority.set(key, p);
      }
      if (p > bestP) {
        bestP = p;
        best = i;
      }
    }
    return best;
  }

  chooseReady(count: number, c: ReadyCandidates): number {
    const best = this.best(count, c);
    if (!c.yielding(best)) {
      this.spinTask = 0;
      return best;
    }
    const id = c.taskId(best);
    this.spinRun = id === this.spinTask ? this.spinRun + 1 : 1;
    this.spinTask = id;
    if (this.spinRun <= PCT_SPIN_LIMIT) return best;
    this.spinRun = 0;
    this.priority.set(c.identity(best), --this.floor);
    return this.best(count, c);
  }

  chooseLatency(count: number): number {
    return drawLatency(this.rng, count);
  }

  describe(): PolicyDescription {
    return { policy: 'pos', seed: this.seed };
  }
}
