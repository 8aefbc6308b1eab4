/**
 * Scheduling policies: who decides, at each point where asyncio would take the oldest ready callback,
 * which one runs instead.
 *
 * The loop asks a {@link DecisionSource} only when more than one callback of the current `_run_once`
 * batch is ready. Timers due at the same instant are released into the ready queue together, in one
 * batch, so a policy that permutes the batch also permutes same-instant timers. Every answer is
 * recorded in `trace.decisions`, which is what replay feeds back.
 * @module
 */
import seedrandom from 'seedrandom';
import type { RunOutcome } from './loop.js';
import { ReplaySource } from './schedule/replay-source.js';
import { isTraceFileLike, parseTrace, type TraceFile } from './schedule/trace-file.js';
import type { Trace } from './trace.js';

/** A view of the ready callbacks a decision chooses among (the current iteration's batch). */
export interface ReadyCandidates {
  /** How many callbacks are ready in this batch. */
  readonly count: number;
  /** Steps run so far: the 0-based index of the step the chosen callback will run as. */
  readonly step: number;
  /** Virtual now. */
  readonly time: number;
  /** Id of the task candidate `i` resumes or starts, 0 for a plain callback or timer. */
  taskId(i: number): number;
  /** Name of that task, or null. */
  taskName(i: number): string | null;
  /**
   * An opaque object identifying candidate `i`, stable while it stays ready. Lets a source tell apart
   * plain callbacks and timers, which all have task id 0 (e.g. to give each its own priority).
   */
  identity(i: number): object;
}

/**
 * A source of scheduling decisions: implement it to write your own policy and pass it as the
 * `policy` option.
 *
 * `chooseReady(count, candidates)` returns the index (0 = the oldest, asyncio's choice) of the ready
 * callback to run next; the loop asks only when `count > 1`, and fails the run with a RangeError if
 * the answer is not an integer in `[0, count)`. The source must be deterministic (same questions,
 * same answers) for runs to be reproducible; the loop records each answer, so a run can be replayed
 * from its trace without the source.
 *
 * @example
 * ```ts
 * // Always run the newest ready callback (LIFO).
 * const lifo: DecisionSource = { chooseReady: (count) => count - 1 };
 * await new Loop({ policy: lifo }).run(main);
 * ```
 */
export interface DecisionSource {
  chooseReady(count: number, candidates: ReadyCandidates): number;
  /**
   * Optional: how the source appears in a trace file's `meta` (default: policy `custom`, seed null).
   */
  describe?(): PolicyDescription;
  /**
   * Optional: called once after the run has ended (normally or not), with its trace and how it
   * ended. Returning an Error makes the run fail with that error instead of its own outcome. Replay
   * uses this to report a program that stopped before using every recorded decision, or that
   * produced other events.
   */
  finish?(trace: Trace, outcome: RunOutcome): Error | null;
}

/** Built-in policy names. */
export type PolicyName = 'fifo' | 'asyncio' | 'random' | 'pct';

/** Policy names as written in a trace file's `meta.policy`. */
export type TracePolicyName = PolicyName | 'replay' | 'custom';

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
 * A built-in policy with its options, for the `policy` option. `seed`, when given, overrides the
 * loop's `seed` option.
 *
 * @example
 * ```ts
 * new Loop({ policy: { name: 'pct', depth: 2, steps: 500 }, seed: 7 });
 * new Loop({ policy: { name: 'random', seed: 'ci-run-12' } });
 * ```
 */
export type PolicySpec =
  | { readonly name: 'fifo' }
  | { readonly name: 'asyncio' }
  | { readonly name: 'random'; readonly seed?: number | string }
  | ({ readonly name: 'pct'; readonly seed?: number | string } & PctOptions);

/**
 * What the `policy` option accepts: a built-in name (seeded by the loop's `seed` option), a
 * {@link PolicySpec} with options, a parsed trace file to replay (see `parseTrace`/`loadTrace`), or
 * a custom {@link DecisionSource}.
 */
export type PolicyOption = PolicyName | PolicySpec | TraceFile | DecisionSource;

/** How a run was scheduled, as written in a trace file's `meta`. */
export interface PolicyDescription {
  readonly policy: TracePolicyName;
  readonly seed: number | string | null;
  readonly options?: Readonly<Record<string, unknown>>;
}

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
  describe(): PolicyDescription {
    return { policy: 'random', seed: this.seed };
  }
}

/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
 *
 * Each task gets a random initial priority (above `depth`) the first time it is a candidate; the
 * ready callback of the highest-priority task runs. d−1 change points are drawn from 1..k (`steps`);
 * at the first decision at or after a change point's step, the task that would run next drops to a
 * priority below every initial one (the i-th change point to `d−i`), and the choice is made again —
 * a preemption. At most one change point is spent per decision, so a run sees at most d−1 changes of
 * relative order. Plain callbacks and timers (task id 0) each get a random priority of their own,
 * so same-instant timers are permuted too.
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
      return p;
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

  chooseReady(count: number, c: ReadyCandidates): number {
    const best = this.best(count, c);
    const point = this.changePoints[this.nextChange];
    if (point === undefined || c.step < point) return best;
    this.nextChange++;
    // Change point i (1-based) sets priority d−i: below every initial priority and every earlier change.
    const lowered = this.depth - this.nextChange;
    const id = c.taskId(best);
    if (id > 0) this.taskPriority.set(id, lowered);
    else this.entryPriority.set(c.identity(best), lowered);
    return this.best(count, c);
  }

  describe(): PolicyDescription {
    return { policy: 'pct', seed: this.seed, options: { depth: this.depth, steps: this.steps } };
  }
}

/** @internal A `policy` option resolved: the source to ask, the timer structure, the description. */
export interface ResolvedPolicy {
  /** Asked when more than one callback is ready; null takes the oldest (fifo, asyncio). */
  readonly source: DecisionSource | null;
  /** Use CPython's heapq timer queue (policy `asyncio`, or a replayed asyncio trace). */
  readonly heapq: boolean;
  readonly description: PolicyDescription;
  /** Called once when the run ends; an Error returned replaces the run's outcome. */
  readonly finish: ((trace: Trace, outcome: RunOutcome) => Error | null) | null;
  /** Seed for `Math.random` the policy asks for (a replayed trace recorded with `seedRandom`). */
  readonly seedRandom?: number | string;
}

/** @internal Resolves the `policy` and `seed` options. */
export function resolvePolicy(policy: PolicyOption, seed: number | string): ResolvedPolicy {
  if (policy === 'fifo' || policy === 'asyncio') return builtinOrder(policy);
  if (policy === 'random') return fromSource(new RandomSource(seed));
  if (policy === 'pct') return fromSource(new PctSource(seed));
  if (policy !== null && typeof policy === 'object') {
    if (isTraceFileLike(policy)) {
      const source = new ReplaySource(parseTrace(policy));
      const heapq = source.basePolicy === 'asyncio';
      // A fifo or asyncio trace has no decisions: the loop takes the oldest, replay only verifies.
      const decides = source.basePolicy !== 'fifo' && source.basePolicy !== 'asyncio';
      return {
        source: decides ? source : null,
        heapq,
        description: source.describe(),
        finish: (trace, outcome) => source.finish(trace, outcome),
        ...(source.file.meta.seedRandom !== undefined ? { seedRandom: source.file.meta.seedRandom } : {}),
      };
    }
    if (typeof (policy as DecisionSource).chooseReady === 'function') {
      return fromSource(policy as DecisionSource);
    }
    if ('name' in policy) return fromSpec(policy, seed);
  }
  throw new TypeError(
    `Unknown policy ${describePolicyArg(policy)}: use 'fifo', 'asyncio', 'random', 'pct', ` +
      `{ name: 'pct', depth, steps }, a parsed trace file (loadTrace/parseTrace), or an object with chooseReady(count, candidates).`,
  );
}

function fromSpec(spec: PolicySpec, seed: number | string): ResolvedPolicy {
  const s = 'seed' in spec && spec.seed !== undefined ? spec.seed : seed;
  switch (spec.name) {
    case 'fifo':
    case 'asyncio':
      return builtinOrder(spec.name);
    case 'random':
      return fromSource(new RandomSource(s));
    case 'pct':
      return fromSource(new PctSource(s, { depth: spec.depth, steps: spec.steps }));
    default:
      throw new TypeError(
        `Unknown policy name ${JSON.stringify((spec as { name: unknown }).name)}: use 'fifo', 'asyncio', 'random' or 'pct'.`,
      );
  }
}

function builtinOrder(name: 'fifo' | 'asyncio'): ResolvedPolicy {
  return { source: null, heapq: name === 'asyncio', description: { policy: name, seed: null }, finish: null };
}

function fromSource(source: DecisionSource): ResolvedPolicy {
  const description = source.describe?.() ?? { policy: 'custom', seed: null };
  const finish =
    source.finish !== undefined
      ? (trace: Trace, outcome: RunOutcome) => source.finish!(trace, outcome)
      : null;
  return { source, heapq: false, description, finish };
}

function checkSeed(seed: unknown): void {
  if (typeof seed === 'string') return;
  if (typeof seed === 'number' && Number.isFinite(seed)) return;
  throw new TypeError(`A seed must be a finite number or a string, not ${describePolicyArg(seed)}.`);
}

function describePolicyArg(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v).slice(0, 80);
    } catch {
      return 'an object';
    }
  }
  return `${typeof v} ${String(v)}`;
}
