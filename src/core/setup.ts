/**
 * What the core loop is given and what it gives back: its options, the {@link LoopSetup} the library
 * resolves from the user's options (decision source, timer order, plug-ins, real-work probe), the
 * plug-in and probe interfaces, and the reports a run makes (warnings, unretrieved errors).
 * @module
 */
import type { Trace } from '../trace.js';
import type { DecisionScope, DecisionSource, PolicyDescription, RunOutcome } from './decisions.js';
import type { EventLoop } from './event-loop.js';

/** The options the core loop reads (the library's `LoopOptions` adds policy, seed and fakes). */
export interface CoreLoopOptions {
  /** Virtual ms; `Date.now()` under fake globals reads `epoch + loop.time()`. Default 2025-01-01T00:00:00Z. */
  epoch?: number;
  /** Fail with StepLimitError after this many steps in all (default: no limit; long simulations run on). */
  maxSteps?: number;
  /**
   * The livelock guard: fail with StepLimitError after this many steps without the clock moving
   * (default 1 000 000) — a task looping on `sleep(0)`, callbacks rescheduling each other — naming the
   * task that ran most of the last steps. Only when one task or callback (or a few spinning on each
   * other) ran at least a quarter of the last 256 steps: a million tasks each taking a step or two at
   * one instant is a simulation, and the count starts again.
   */
  maxStepsPerInstant?: number;
  /** Fail with StepLimitError before the clock passes this virtual time (default: no limit). */
  maxTime?: number;
  /** Record the trace (default true). */
  trace?: boolean;
  /**
   * Real ms to wait, without progress, for work timeweave cannot see: for a task that awaits a promise
   * timeweave does not own when nothing else can happen (then a DeadlockError), and for real I/O in
   * flight while virtual time is held (then a RealIOTimeoutError). Default 5000.
   */
  foreignTimeout?: number;
  /**
   * What the clock does while a task awaits foreign work and real I/O (a file read, a DNS lookup, a
   * connect…) is in flight: `'wait'` (default) holds virtual time and waits for the I/O in real time,
   * bounded by `foreignTimeout`; `'advance'` lets virtual time move on and records a note in the trace
   * each time it does.
   */
  realIO?: 'wait' | 'advance';
  /**
   * What an exception thrown by a timer, interval, immediate or `callSoon` callback does: `'fail'`
   * (default) fails the run with a `CallbackError` naming the callback and the step, as Node ends the
   * process on an uncaught exception (so `explore` reports, shrinks and saves such schedules);
   * `'report'` keeps it in `loop.callbackErrors`, prints it and goes on, as asyncio logs "Exception
   * in callback" — for code that installs its own handlers. Errors of done callbacks and of direct
   * `fut.then(cb)` callbacks are always reported, not fatal.
   */
  onCallbackError?: 'fail' | 'report';
  /** Called for each task error nobody retrieved, at the end of the run; default: console.error. */
  onUnretrieved?: (report: UnretrievedReport) => void;
  /**
   * Called with each warning about the run, e.g. a real `setTimeout` started without fake globals
   * (once per function per run); default: `console.warn` (each distinct message once per process,
   * so a fuzzing campaign does not repeat it for every run).
   */
  onWarning?: (warning: LoopWarning) => void;
  /** Find the awaiting task from an async stack trace when a task resumes from a foreign promise (default true). */
  stackAttribution?: boolean;
}

/** The core options with their defaults applied (see the library's option resolution). */
export type ResolvedCoreOptions = Readonly<
  Required<Pick<CoreLoopOptions, 'maxSteps' | 'maxStepsPerInstant' | 'maxTime' | 'epoch' | 'foreignTimeout'>>
> &
  Readonly<CoreLoopOptions>;

/**
 * Something started when a run starts and undone when it ends: fake globals, a seeded `Math.random`,
 * the real-timer watch. The loop calls `start` for each plug-in of its setup, in order, when `run`
 * begins (before main's task exists), and `stop` for each one started, in reverse order, when the run
 * ends — normally, by an error, or because a later plug-in's `start` threw (the run then fails with
 * that error). A plug-in may read the loop and use its internal hooks (`_onClock`, `_warn`); it must
 * not run steps, and `stop` must not throw.
 */
export interface LoopPlugin {
  start(loop: EventLoop): void;
  stop(loop: EventLoop): void;
}

/**
 * Real work the loop cannot see in its queues (file reads, DNS lookups, connects), asked before the
 * clock moves while a task awaits foreign work and before a deadlock is declared. One probe per run,
 * made when the run starts (it may take a baseline then).
 */
export interface ForeignWorkProbe {
  /** Pending operations now, e.g. `['FSReqPromise']`; empty when none (or unknown). */
  inFlight(): string[];
}

/** Everything the core needs, resolved from the user's options by the library (src/loop.ts). */
export interface LoopSetup {
  readonly options: ResolvedCoreOptions;
  /** Asked when more than one callback is ready; null takes the oldest (fifo, asyncio). */
  readonly source: DecisionSource | null;
  /** CPython's heapq timer order (policy `asyncio`) instead of the order timers were set. */
  readonly heapq: boolean;
  readonly scope: DecisionScope;
  /** The source's end-of-run check (replay); an Error returned replaces the run's outcome. */
  readonly finish: ((trace: Trace, outcome: RunOutcome) => Error | null) | null;
  /** How the run is scheduled, as a trace file's `meta` says it. */
  readonly policy: PolicyDescription & { readonly seedRandom?: number | string };
  readonly plugins: readonly LoopPlugin[];
  /** Makes the run's real-work probe; null: the loop sees no real work. */
  readonly realWork: (() => ForeignWorkProbe) | null;
}

/** Something about a run worth knowing that does not fail it. */
export interface LoopWarning {
  /** `real-timer`: a real `setTimeout`, `setInterval` or `setImmediate` was started during the run. */
  readonly kind: 'real-timer';
  /** The function called, e.g. `setTimeout`. */
  readonly call: string;
  /** What happened and what to do. */
  readonly message: string;
  /** Virtual time, step and task (null in a plain callback) at the call. */
  readonly time: number;
  readonly step: number;
  readonly task: string | null;
}

/** A task (or future) error that nobody retrieved, reported when the run ends. */
export interface UnretrievedReport {
  /** `Task exception was never retrieved`, the task's name, where it failed, and the error. */
  readonly message: string;
  readonly task: string | null;
  readonly error: unknown;
  /** Virtual time and step at which it failed. */
  readonly time: number;
  readonly step: number;
}
