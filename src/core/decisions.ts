/**
 * What the loop asks a decision source, and what a source answers: the interface every scheduling
 * policy (fifo and asyncio take no decisions; random, pct, pos, replay, scripted and custom sources
 * do) implements. The core calls only this; the sources themselves are plug-ins (src/policies/,
 * src/schedule/replay-source.ts), resolved from the `policy` option by the library (src/policy.ts).
 *
 * In the default `scope: 'ready'` every ready callback is a candidate, also those queued during the
 * current `_run_once` batch for the next turn: choosing one of those holds back the older ones (a
 * *delay*), which is how a task whose I/O answered faster runs several steps ahead of another. With
 * `scope: 'batch'` only the callbacks of the current batch are candidates (what asyncio's own loop
 * can produce). Timers due at the same instant are released together, so both scopes permute
 * same-instant timers. Every answer is recorded in `trace.decisions`, which is what replay feeds back.
 * @module
 */
import type { Trace } from '../trace.js';

export type { DecisionScope } from '../trace.js';

/** How a run ended: main's result, or the error `run` rejected with. */
export type RunOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

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

/** How a run was scheduled, as written in a trace file's `meta`. */
export interface PolicyDescription {
  readonly policy: TracePolicyName;
  readonly seed: number | string | null;
  readonly options?: Readonly<Record<string, unknown>>;
}
