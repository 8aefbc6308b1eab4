/**
 * Scheduling policies: who decides, at each point where asyncio would take the oldest ready callback,
 * which one runs instead.
 * @module
 */
import seedrandom from 'seedrandom';

/** A view of the ready callbacks a decision chooses among (the current iteration's batch). */
export interface ReadyCandidates {
  /** How many callbacks are ready in this batch. */
  readonly count: number;
  /** Steps run so far. */
  readonly step: number;
  /** Virtual now. */
  readonly time: number;
  /** Id of the task candidate `i` resumes or starts, 0 for a plain callback or timer. */
  taskId(i: number): number;
  /** Name of that task, or null. */
  taskName(i: number): string | null;
}

/**
 * A source of scheduling decisions. `chooseReady` returns the index (0 = oldest, asyncio's choice)
 * of the ready callback to run next; it is asked only when more than one is ready.
 */
export interface DecisionSource {
  chooseReady(count: number, candidates: ReadyCandidates): number;
}

/** Built-in policy names. */
export type PolicyName = 'fifo' | 'asyncio' | 'random' | 'pct';

/** What the `policy` option accepts. */
export type PolicyOption = PolicyName | DecisionSource;

/** Uniformly random choice among the ready callbacks, from a seeded PRNG (seedrandom's ARC4). */
export class RandomSource implements DecisionSource {
  private readonly rng: seedrandom.PRNG;
  constructor(seed: number | string) {
    this.rng = seedrandom(String(seed));
  }
  chooseReady(count: number): number {
    return Math.floor(this.rng() * count);
  }
}

/**
 * PCT (Burckhardt et al., ASPLOS 2010): each task gets a random priority; the ready callback of the
 * highest-priority task runs; at d−1 random steps the running task's priority drops below all
 * others. Plain callbacks and timers share one priority slot of their own.
 */
export class PctSource implements DecisionSource {
  private readonly rng: seedrandom.PRNG;
  private readonly priorities = new Map<number, number>();
  private readonly changePoints: Set<number>;
  private low = 0;

  /**
   * @param depth the bug depth d to target (d−1 priority change points). Default 3.
   * @param steps the estimated number of steps k over which change points are spread. Default 1000.
   */
  constructor(seed: number | string, depth = 3, steps = 1000) {
    this.rng = seedrandom(`pct:${String(seed)}`);
    this.changePoints = new Set();
    for (let i = 0; i < Math.max(0, depth - 1); i++)
      this.changePoints.add(1 + Math.floor(this.rng() * steps));
  }

  private priority(id: number): number {
    let p = this.priorities.get(id);
    if (p === undefined) {
      p = 1 + this.rng();
      this.priorities.set(id, p);
    }
    return p;
  }

  chooseReady(count: number, c: ReadyCandidates): number {
    let best = 0;
    let bestP = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      const p = this.priority(c.taskId(i));
      if (p > bestP) {
        bestP = p;
        best = i;
      }
    }
    if (this.changePoints.has(c.step)) {
      this.low -= 1;
      this.priorities.set(c.taskId(best), this.low);
    }
    return best;
  }
}

/** @internal The decision source for a `policy` option, or null when the loop takes the oldest. */
export function makeDecisionSource(policy: PolicyOption, seed: number | string): DecisionSource | null {
  if (policy === 'fifo' || policy === 'asyncio') return null;
  if (policy === 'random') return new RandomSource(seed);
  if (policy === 'pct') return new PctSource(seed);
  if (policy !== null && typeof policy === 'object' && typeof policy.chooseReady === 'function')
    return policy;
  throw new TypeError(
    `Unknown policy ${JSON.stringify(policy)}: use 'fifo', 'asyncio', 'random', 'pct', or an object with chooseReady(count, candidates).`,
  );
}
