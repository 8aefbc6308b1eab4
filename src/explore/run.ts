/**
 * Running a program once under a given decision source, and judging the run (main's error, the
 * invariant, task errors nobody retrieved).
 * @module
 */
import { CallbackError } from '../errors.js';
import { Loop, type LoopOptions, type UnretrievedReport } from '../loop.js';
import type { DecisionSource } from '../policy.js';
import { repr } from '../repr.js';
import type { RejectionBatch } from '../unhandled-rejections.js';
import { type DecisionKind, normaliseSchedule, type Schedule, ScriptedSource } from './scripted.js';

/** The program under test: run as the main task of a fresh loop, which it receives. */
export type ExploreMain<T = unknown> = (loop: Loop) => T | PromiseLike<T>;

/**
 * A check run after main returns: throw, or return `false` or a string (the complaint), to fail the
 * run. Returning nothing, `true` or any other value passes.
 */
export type Invariant<T = unknown> = (result: T, loop: Loop) => unknown;

/** Loop options explore passes to every run (the policy is explore's to set). */
export type RunLoopOptions = Omit<LoopOptions, 'policy' | 'seed' | 'onUnretrieved'>;

/** How each run is set up and judged. */
export interface RunOptions<T = unknown> {
  /** Checked after main returns; see {@link Invariant}. */
  invariant?: Invariant<T>;
  /** Fail the run when a task's error was never retrieved (default true: a background task crashed). */
  failOnUnretrieved?: boolean;
  /** Per-run step limit (Loop's `maxSteps`); default 100 000 — a schedule that loops forever fails. */
  maxSteps?: number;
  /** Per-run virtual time limit (Loop's `maxTime`), default none. */
  maxTime?: number;
  /** Other loop options for every run (`fakeGlobals`, `epoch`, `foreignTimeout`, …). */
  loop?: RunLoopOptions;
}

/** Thrown (as the run's error) when the invariant fails. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** Thrown (as the run's error) when a task failed and nobody retrieved its error. */
export class UnretrievedTaskError extends Error {
  override name = 'UnretrievedTaskError';
  constructor(
    readonly report: UnretrievedReport,
    readonly original: unknown,
  ) {
    super(report.message);
  }
}

/** One run of a program under one schedule. */
export interface ScheduleRun<T = unknown> {
  readonly ok: boolean;
  /** main's result when it returned. */
  readonly result?: T;
  /** Why the run failed: main's error, an InvariantError, an UnretrievedTaskError, a limit. */
  readonly error?: unknown;
  /** The loop that ran it (its `trace` is the run's timeline). */
  readonly loop: Loop;
  /** The choice made at each decision point. */
  readonly chosen: readonly number[];
  /** The number of candidates at each decision point. */
  readonly counts: readonly number[];
  /** What each decision point asked (a ready choice or an I/O latency). */
  readonly kinds: readonly DecisionKind[];
}

/**
 * @internal Runs `main` once on a fresh loop driven by `source`, which must record into chosen/counts;
 * with `batch`, its unhandled rejections are left to the campaign's checks (see RejectionBatch).
 */
export async function runWith<T>(
  main: ExploreMain<T>,
  source: DecisionSource & { chosen: number[]; counts: number[]; kinds: DecisionKind[] },
  options: RunOptions<T>,
  batch?: RejectionBatch,
): Promise<ScheduleRun<T>> {
  const unretrieved: UnretrievedReport[] = [];
  // Object.assign, not `{ ...options.loop, maxSteps, … }`: a spread followed by more properties takes
  // V8's slow path (microseconds per object), once per run of a campaign.
  const loop = new Loop(
    Object.assign({}, options.loop, {
      maxSteps: options.maxSteps ?? options.loop?.maxSteps ?? 100_000,
      maxTime: options.maxTime ?? options.loop?.maxTime,
      trace: true,
      policy: source,
      onUnretrieved: (r: UnretrievedReport) => unretrieved.push(r),
    }),
  );
  if (batch !== undefined) batch.enlist(loop);
  let result: T | undefined;
  let error: unknown;
  let ok = true;
  try {
    result = await loop.run(() => main(loop));
    if (options.invariant !== undefined) {
      const verdict = options.invariant(result, loop);
      if (verdict === false) throw new InvariantError('The invariant returned false.');
      if (typeof verdict === 'string') throw new InvariantError(verdict);
    }
    if (options.failOnUnretrieved !== false && unretrieved.length > 0) {
      const first = unretrieved[0]!;
      throw new UnretrievedTaskError(first, first.error);
    }
  } catch (e) {
    ok = false;
    error = e;
  }
  return { ok, result, error, loop, chosen: source.chosen, counts: source.counts, kinds: source.kinds };
}

/**
 * Runs `main` once under a schedule (a list of choices, see {@link Schedule}): the way to replay
 * what explore found, e.g. `await runSchedule(main, [0, 1])`.
 */
export function runSchedule<T>(
  main: ExploreMain<T>,
  schedule: Schedule,
  options: RunOptions<T> = {},
): Promise<ScheduleRun<T>> {
  return runWith(main, new ScriptedSource(schedule), options);
}

/** A name for an error's type, used to decide whether a shrunk schedule fails "the same way". */
export function errorType(e: unknown): string {
  if (e instanceof UnretrievedTaskError) return `unretrieved ${errorType(e.original)}`;
  if (e instanceof CallbackError) return `callback ${errorType(e.cause)}`;
  if (e instanceof Error) return e.name || e.constructor.name;
  return typeof e;
}

/** A one-line description of an error for reports. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `thrown value ${repr(e)}`;
}

/** The run's schedule in canonical form. */
export function scheduleOf(run: ScheduleRun): number[] {
  return normaliseSchedule(run.chosen);
}
