/**
 * Scheduling policies: who decides, at each point where asyncio would take the oldest ready callback,
 * which one runs instead, and how long a mocked I/O call takes.
 *
 * The loop asks a {@link DecisionSource} whenever more than one callback is ready. In the default
 * `scope: 'ready'` every ready callback is a candidate, also those queued during the current
 * `_run_once` batch for the next turn: choosing one of those holds back the older ones (a *delay*),
 * which is how a task whose I/O answered faster runs several steps ahead of another. With
 * `scope: 'batch'` only the callbacks of the current batch are candidates (what asyncio's own loop
 * can produce). Timers due at the same instant are released together, so both scopes permute
 * same-instant timers. Every answer is recorded in `trace.decisions`, which is what replay feeds back.
 * @module
 */
import type { RunOutcome } from './loop.js';
import { describeArg } from './policies/common.js';
import { PctSource } from './policies/pct.js';
import { PosSource } from './policies/pos.js';
import { RandomSource } from './policies/random.js';
import { ReplaySource } from './schedule/replay-source.js';
import { isTraceFileLike, parseTrace, type TraceFile } from './schedule/trace-file.js';
import type { Trace } from './trace.js';

export { PCT_SPIN_LIMIT } from './policies/common.js';
export { PctSource } from './policies/pct.js';
export { PosSource } from './policies/pos.js';
export { RandomSource } from './policies/random.js';

export type { DecisionScope } from './trace.js';

import type { DecisionScope } from './trace.js';

/**
 * A view of the ready callbacks a decision chooses among, oldest first (index 0 is what fifo runs).
 * Valid only during the `chooseReady` call it is passed to.
 */
export interface ReadyCandidates {
  /** How many callbacks are candidates. */
  readonly count: number;
  /**
   * How many of the candidates (the first ones) belong to the current `_run_once` batch; the rest
   * were queued during it, for the next turn. Equal to `count` under `scope: 'batch'`.
   */
  readonly batch: number;
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
  /**
   * True when candidate `i` resumes a task that yielded on purpose (`sleep(0)`), not one woken by
   * something it waited for. A source that favours some tasks (PCT) must not let a task spinning on
   * `sleep(0)` starve the task it waits for: the real loop runs every ready callback each turn, so
   * such a livelock would be a bug of the search, not of the program (shuttle's `is_yielding`).
   */
  yielding(i: number): boolean;
}

/** A mocked I/O call asking how long it takes (see `io()`); valid only during the call. */
export interface LatencyRequest {
  /** Step running when the call was made. */
  readonly step: number;
  /** Virtual now. */
  readonly time: number;
  /** The latency range in virtual ms: the answer `i` means `min + i`. */
  readonly min: number;
  readonly max: number;
  /** The calling task's id, or 0. */
  readonly taskId: number;
  /** The I/O function's name, for traces and reports. */
  readonly label: string;
}

/**
 * A source of scheduling decisions: implement it to write your own policy and pass it as the
 * `policy` option.
 *
 * `chooseReady(count, candidates)` returns the index (0 = the oldest, asyncio's choice) of the ready
 * callback to run next. The loop asks before every step at which `count > 1` callbacks are
 * candidates (see {@link DecisionScope}), never while a step is running, and fails the run with a
 * RangeError if the answer is not an integer in `[0, count)`. Under `scope: 'ready'`, choosing index
 * `i` costs `i` delays: the `i` older candidates go, in order, behind every callback scheduled so far
 * (so the turn can end and timers due now can fire while they wait), as in delay-bounded scheduling.
 * Under `scope: 'batch'` the others keep their places. The source must be deterministic
 * (same questions, same answers) for runs to be reproducible; the loop records each answer, so a run
 * can be replayed from its trace without the source.
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
   * Optional: how long a mocked I/O call takes (see `io()`), as an index in `[0, count)`, `count =
   * max − min + 1`: the call completes `min + index` virtual ms after its function settled. Asked
   * during the calling task's step, once per call whose latency is a range. Without this method
   * every latency is its minimum, as under fifo. Recorded like `chooseReady`'s answers.
   */
  chooseLatency?(count: number, request: LatencyRequest): number;
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
export type PolicyName = 'fifo' | 'asyncio' | 'random' | 'pct' | 'pos';

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
  | { readonly name: 'pos'; readonly seed?: number | string }
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

/** @internal A `policy` option resolved: the source to ask, the timer structure, the description. */
export interface ResolvedPolicy {
  /** Asked when more than one callback is ready; null takes the oldest (fifo, asyncio). */
  readonly source: DecisionSource | null;
  /** Use CPython's heapq timer queue (policy `asyncio`, or a replayed asyncio trace). */
  readonly heapq: boolean;
  readonly description: PolicyDescription;
  /** The scope a replayed trace was recorded in (it overrides the loop's `scope` option). */
  readonly scope?: DecisionScope;
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
  if (policy === 'pos') return fromSource(new PosSource(seed));
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
        scope: source.file.meta.scope ?? 'batch',
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
    `Unknown policy ${describeArg(policy)}: use 'fifo', 'asyncio', 'random', 'pct', 'pos', ` +
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
    case 'pos':
      return fromSource(new PosSource(s));
    default:
      throw new TypeError(
        `Unknown policy name ${JSON.stringify((spec as { name: unknown }).name)}: use 'fifo', 'asyncio', 'random', 'pct' or 'pos'.`,
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
