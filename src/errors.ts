/**
 * Error classes. Each message says what happened and, where there is one, what to do about it.
 * @module
 */

/** Thrown into a task at its await point when it is cancelled (asyncio.CancelledError). */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message?: string) {
    super(message ?? '');
  }
}

/** A deadline passed: `waitFor`, `timeout`, `asCompleted` (asyncio.TimeoutError). */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(message?: string) {
    super(message ?? '');
  }
}

/** An operation is not allowed in the future's current state (asyncio.InvalidStateError). */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}

/** Description of one task the loop found blocked. */
export interface BlockedTask {
  /** Task name, e.g. `Task-3`. */
  readonly task: string;
  /** What it awaits, e.g. `Event.wait()`, `Task-2`, `a promise timeweave does not own`. */
  readonly awaits: string;
}

/** Nothing is ready, no timer is set and the main task has not finished. */
export class DeadlockError extends Error {
  override name = 'DeadlockError';
  /** Each blocked task and what it awaits. */
  readonly blocked: readonly BlockedTask[];
  /**
   * @param shutdown true when main had already finished and the tasks left over, cancelled by `run`,
   *   could not finish.
   */
  constructor(time: number, blocked: readonly BlockedTask[], extra = '', shutdown = false) {
    const lines = blocked.map((b) => `  ${b.task} awaits ${b.awaits}`).join('\n');
    const head = shutdown
      ? 'main has finished, but the tasks left over, cancelled by run(), cannot finish (nothing is ready to run and no timer is set)'
      : 'nothing is ready to run and no timer is set, but the main task has not finished';
    super(
      `deadlock at t=${time}ms: ${head}.\n` +
        `Blocked tasks:\n${lines || '  (none: the main task awaits something no task will complete)'}\n` +
        `${extra}Make sure every awaited event/future is eventually set, or bound the wait with waitFor()/timeout().`,
    );
    this.blocked = blocked;
  }
}

/** `maxSteps`, `maxStepsPerInstant` or `maxTime` was exceeded: most likely a task loops forever. */
export class StepLimitError extends Error {
  override name = 'StepLimitError';
  /** `'steps'` (maxSteps), `'instant'` (maxStepsPerInstant, the livelock guard) or `'time'` (maxTime). */
  readonly limit: 'steps' | 'instant' | 'time';
  /** The task that ran the most steps in the last stretch before the limit (the likely culprit). */
  readonly task: string | null;
  constructor(limit: 'steps' | 'instant' | 'time', message: string, task: string | null) {
    super(message);
    this.limit = limit;
    this.task = task;
  }
}

/**
 * A timer, interval, immediate or `callSoon` callback threw. Node ends the process on such an
 * uncaught exception, so by default the run fails with this error (the original is its `cause`);
 * the loop option `onCallbackError: 'report'` logs it and goes on instead, as asyncio does.
 */
export class CallbackError extends Error {
  override name = 'CallbackError';
  /** The callback, as the trace names it: `setTimeout(send)`, `callSoon` callback's function name. */
  readonly callback: string;
  /** Virtual time and step at which it threw. */
  readonly time: number;
  readonly step: number;
  constructor(callback: string, time: number, step: number, cause: unknown) {
    super(
      `${callback} threw at t=${time}ms (step ${step}): ${describeThrown(cause)}. Node would end the process here, ` +
        "so the run fails; pass the loop option onCallbackError: 'report' to log it and go on as asyncio does.",
      { cause },
    );
    this.callback = callback;
    this.time = time;
    this.step = step;
  }
}

/**
 * A promise was rejected during a run and nothing handled it by the time the microtasks drained (a
 * detached `Promise.reject(…)`, an async timer callback that throws). Node's default ends the process
 * there, so by default the run fails with this error (the rejection's reason is its `cause`); the loop
 * option `onUnhandledRejection: 'host'` leaves such rejections to the host (Node, vitest) as before.
 */
export class UnhandledRejectionError extends Error {
  override name = 'UnhandledRejectionError';
  /** Virtual time and step at which the loop learnt of it (the rejection happened at or before). */
  readonly time: number;
  readonly step: number;
  /** The task whose code created the reason (from its stack), when that can be told; else null. */
  readonly task: string | null;
  constructor(time: number, step: number, task: string | null, cause: unknown, ended: boolean) {
    super(
      `a promise was rejected and never handled: ${describeThrown(cause)}` +
        `${task !== null ? ` (created in ${task})` : ''}, seen ${ended ? 'as the run ended' : 'during the run'} ` +
        `at t=${time}ms (step ${step}). Node would end the process here, so the run fails; handle the ` +
        "promise (await it, or add .catch), or pass the loop option onUnhandledRejection: 'host' to leave it to Node.",
      { cause },
    );
    this.time = time;
    this.step = step;
    this.task = task;
  }
}

function describeThrown(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : `the value ${String(e)}`;
}

/** A replayed program no longer fits its recorded trace. */
export class ReplayDivergenceError extends Error {
  override name = 'ReplayDivergenceError';
  readonly step: number;
  constructor(step: number, message: string) {
    super(message);
    this.step = step;
  }
}

/** A trace file is malformed or has a version this timeweave cannot read. */
export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
  /** JSON path of the offending field, e.g. `decisions[3].chosen`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`invalid trace at ${field}: ${message}`);
    this.field = field;
  }
}

/** `Queue.getNowait()` on an empty queue. */
export class QueueEmpty extends Error {
  override name = 'QueueEmpty';
}

/** `Queue.putNowait()` on a full queue. */
export class QueueFull extends Error {
  override name = 'QueueFull';
}

/** A `Barrier` was aborted or reset while tasks waited on it. */
export class BrokenBarrierError extends Error {
  override name = 'BrokenBarrierError';
}

/**
 * The errors of a task group's children (asyncio's ExceptionGroup). `errors` holds them in the order
 * the children failed.
 */
export class TaskGroupError extends AggregateError {
  override name = 'TaskGroupError';
  /** The message without the sub-exception count (what `split` and `subgroup` copy). */
  readonly baseMessage: string;
  constructor(errors: readonly unknown[], message = 'unhandled errors in a TaskGroup') {
    super(errors, `${message} (${errors.length} sub-exception${errors.length === 1 ? '' : 's'})`);
    this.baseMessage = message;
  }

  /**
   * Python's `ExceptionGroup.split`, standing in for `except*`: `[match, rest]`, each a TaskGroupError
   * with the same message and nesting (nested groups split too, empty ones dropped) or null when
   * nothing is left. `condition` is an error class, a list of classes, or a predicate.
   *
   * @example
   * ```ts
   * try {
   *   await taskGroup(async (tg) => { … });
   * } catch (e) {
   *   if (!(e instanceof TaskGroupError)) throw e;
   *   const [timeouts, rest] = e.split(TimeoutError); // except* TimeoutError
   *   if (timeouts) log(`${timeouts.errors.length} timed out`);
   *   if (rest) throw rest;
   * }
   * ```
   */
  split(condition: ErrorCondition): [TaskGroupError | null, TaskGroupError | null] {
    const test = toPredicate(condition);
    if (test(this)) return [this, null];
    const match: unknown[] = [];
    const rest: unknown[] = [];
    for (const e of this.errors as unknown[]) {
      if (e instanceof TaskGroupError) {
        const [m, r] = e.split(condition);
        if (m !== null) match.push(m);
        if (r !== null) rest.push(r);
      } else if (test(e)) match.push(e);
      else rest.push(e);
    }
    const derive = (errors: unknown[]): TaskGroupError | null =>
      errors.length === 0 ? null : new TaskGroupError(errors, this.baseMessage);
    return [derive(match), derive(rest)];
  }

  /** Python's `ExceptionGroup.subgroup`: the matching part of `split`, or null. */
  subgroup(condition: ErrorCondition): TaskGroupError | null {
    return this.split(condition)[0];
  }
}

/** What `TaskGroupError.split` matches: an error class, several, or a predicate. */
export type ErrorCondition =
  | (abstract new (
      ...args: never[]
    ) => unknown)
  | readonly (abstract new (
      ...args: never[]
    ) => unknown)[]
  | ((error: unknown) => boolean);

function toPredicate(c: ErrorCondition): (e: unknown) => boolean {
  if (Array.isArray(c)) return (e) => c.some((k) => e instanceof k);
  const f = c as (abstract new (...args: never[]) => unknown) | ((error: unknown) => boolean);
  // A class (Error or a subclass, or any constructor with a prototype) is matched with instanceof.
  if (typeof f === 'function' && f.prototype !== undefined && (f === Error || f.prototype instanceof Error))
    return (e) => e instanceof (f as abstract new (...args: never[]) => unknown);
  if (typeof f === 'function') return f as (error: unknown) => boolean;
  throw new TypeError('split()/subgroup() take an error class, a list of classes, or a predicate.');
}

/** Thrown when a task waited on real work longer than `foreignTimeout` while virtual time was held. */
export class RealIOTimeoutError extends Error {
  override name = 'RealIOTimeoutError';
  /** Tasks that were waiting on promises timeweave does not own. */
  readonly tasks: readonly string[];
  /** Pending real operations seen last, e.g. `['FSReqPromise']`. */
  readonly operations: readonly string[];
  /** Virtual time at which the loop held the clock. */
  readonly time: number;

  constructor(time: number, tasks: readonly string[], operations: readonly string[], waitedMs: number) {
    const who = tasks.length > 0 ? tasks.join(', ') : '(no task: a callback started it)';
    super(
      `real I/O did not finish: virtual time is held at t=${time}ms while ${who} awaits work timeweave cannot see ` +
        `(${operations.join(', ') || 'pending operations'}), and none of it finished within foreignTimeout=${waitedMs}ms of real time. ` +
        "Raise foreignTimeout if the I/O is legitimately slow, replace the I/O with a fake in the test, or pass realIO: 'advance' to let virtual time run on while real work is in flight.",
    );
    this.tasks = tasks;
    this.operations = operations;
    this.time = time;
  }
}
