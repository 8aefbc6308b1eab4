/**
 * The `pct` policy.
 * @module
 */
import seedrandom from 'seedrandom';
import type { DecisionSource, PolicyDescription, ReadyCandidates } from '../core/decisions.js';
import { checkSeed, drawLatency, PCT_SPIN_LIMIT } from './common.js';

/** Options of the PCT policy. */
export interface PctOptions {
  /**
   * The bug depth d to target: PCT inserts d−1 priority change points, which finds any bug needing
   * d ordering constraints with probability at least 1/(n·k^(d−1)). Integer ≥ 1, default 3.
   */
  readonly depth?: number;
  /**
   * Estimated number of steps k the program runs (change points are drawn uniformly from 1..k).
   * Default 200. Pass the step count of a fifo run (`loop.steps`) for the best spread.
   */
  readonly steps?: number;
}

/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
 *
 * Each task gets a random initial priority (above `depth`) the first time it is a candidate; the
 * ready callback of the highest-priority task runs — among every ready callback under the default
 * `scope: 'ready'`, so a high-priority task runs ahead until it blocks, as published. d−1 change
 * points are drawn from 1..k (`steps`); at the first decision at or after a change point's step, the
 * task that would run next drops to a priority below every initial one (the i-th change point to
 * `d−i`), and the choice is made again — a preemption. At most one change point is spent per
 * decision, so a run sees at most d−1 changes of relative order. Plain callbacks and timers (task id
 * 0) each get a random priority of their own, so same-instant timers are permuted too.
 *
 * Fairness: a task that keeps resuming from `sleep(0)` while others are ready — {@link PCT_SPIN_LIMIT}
 * times in a row — is taken to spin until another task acts, and drops below every priority so far
 * (shuttle's PCT demotes a yielding task; here a few yields in a row stay allowed, because `sleep(0)`
 * also stands for a short I/O round trip, and running ahead through those is what finds bugs).
 * Otherwise a spinning high-priority task would starve the task it waits for: a livelock the real
 * loop, which runs every ready callback each turn, never produces.
 */
export class PctSource implements DecisionSource {
  private readonly rng: seedrandom.PRNG;
  private readonly seed: number | string;
  private readonly depth: number;
  private readonly steps: number;
  private readonly taskPriority = new Map<number, number>();
  private readonly entryPriority = new WeakMap<object, number>();
  /** Change point steps, ascending. */
  private readonly changePoints: number[];
  private nextChange = 0;
  /** The lowest priority given so far (spinning tasks go below it). */
  private floor = 0;
  /** The task chosen last while yielding, and how many times in a row. */
  private spinTask = 0;
  private spinRun = 0;

  constructor(seed: number | string, options: PctOptions = {}) {
    checkSeed(seed);
    const depth = options.depth ?? 3;
    const steps = options.steps ?? 200;
    if (!Number.isInteger(depth) || depth < 1)
      throw new RangeError(`PCT depth must be an integer >= 1 (d−1 change points), not ${String(depth)}.`);
    if (!Number.isInteger(steps) || steps < 1)
      throw new RangeError(
        `PCT steps must be an integer >= 1 (the estimated step count of the program), not ${String(steps)}.`,
      );
    this.seed = seed;
    this.depth = depth;
    this.steps = steps;
    this.rng = seedrandom.tychei(`pct:${String(seed)}`);
    const points = new Set<number>();
    const want = Math.min(depth - 1, steps);
    while (points.size < want) points.add(1 + Math.floor(this.rng() * steps));
    this.changePoints = [...points].sort((a, b) => a - b);
  }

  private priority(c: ReadyCandidates, i: number): number {
    const id = c.taskId(i);
    if (id > 0) {
      let p = this.taskPriority.get(id);
      if (p === undefined) {
        p = this.depth + this.rng();
        this.taskPriority.set(id, p);
      }
      // Several ready callbacks of one task (async functions under one `Promise.all`) tie on the
      // task's priority: a random order among them, not always the oldest.
      let tie = this.entryPriority.get(c.identity(i));
      if (tie === undefined) {
        tie = this.rng() * 1e-6;
        this.entryPriority.set(c.identity(i), tie);
      }
      return p + tie;
    }
    const key = c.identity(i);
    let p = this.entryPriority.get(key);
    if (p === undefined) {
      p = this.depth + this.rng();
      this.entryPriority.set(key, p);
    }
    return p;
  }

  private best(count: number, c: ReadyCandidates): number {
    let best = 0;
    let bestP = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const p = this.priority(c, i);
      if (p > bestP) {
        bestP = p;
        best = i;
      }
    }
    return best;
  }

  private setPriority(c: ReadyCandidates, i: number, p: number): void {
    const id = c.taskId(i);
    if (id > 0) this.taskPriority.set(id, p);
    else this.entryPriority.set(c.identity(i), p);
  }

  chooseReady(count: number, c: ReadyCandidates): number {
    let best = this.best(count, c);
    if (c.yielding(best)) {
      const id = c.taskId(best);
      this.spinRun = id === this.spinTask ? this.spinRun + 1 : 1;
      this.spinTask = id;
      // At most one demotion per decision: two tasks spinning on each other then alternate.
      if (this.spinRun > PCT_SPIN_LIMIT) {
        this.floor = Math.min(this.floor, this.depth - this.changePoints.length) - 1;
        this.setPriority(c, best, this.floor);
        this.spinRun = 0;
        best = this.best(count, c);
      }
    } else this.spinTask = 0;
    const point = this.changePoints[this.nextChange];
    if (point === undefined || c.step < point) return best;
    this.nextChange++;
    // Change point i (1-based) sets priority d−i: below every initial priority and every earlier change.
    this.setPriority(c, best, this.depth - this.nextChange);
    return this.best(count, c);
  }

  chooseLatency(count: number): number {
    return drawLatency(this.rng, count);
  }

  describe(): PolicyDescription {
    return { policy: 'pct', seed: this.seed, options: { depth: this.depth, steps: this.steps } };
  }
}
