/**
 * asyncio.Future in TypeScript: a thenable whose callbacks are delivered through the loop's ready
 * queue, one step each, exactly where asyncio delivers them.
 *
 * How a task suspends (the step mechanism): `await fut` makes the engine read `fut.then`
 * synchronously, in the awaiting code's own context, and call it one microtask later. The `then`
 * getter records which task is awaiting (attribution happens at the read, so it is exact even when
 * the call comes later); the call registers the continuation on the future and tells the loop that
 * the task is now suspended. That call is the signal that the task's step has ended: the loop then
 * takes the next ready callback at once, with no real macrotask per step.
 * @module
 */

import type { EventLoop } from './core/event-loop.js';
import { CancelledError, InvalidStateError } from './errors.js';
import { K_DONE_CB, K_RESUME } from './kinds.js';
import { getRunningLoop, runningState } from './running.js';
import type { Task } from './task.js';
import { type Fulfilled, type Rejected, Waker } from './waker.js';

/** @internal */ export const PENDING: number = 0;
/** @internal */ export const FINISHED: number = 1;
/** @internal */ export const CANCELLED: number = 2;

/** A future's state, as asyncio names it. */
export type FutureState = 'pending' | 'finished' | 'cancelled';

/** The real microtask queue, captured before any fake timers can replace `queueMicrotask`. */
/** @internal */
export const realQueueMicrotask: (cb: () => void) => void =
  typeof globalThis.queueMicrotask === 'function'
    ? globalThis.queueMicrotask.bind(globalThis)
    : (cb) => {
        void Promise.resolve().then(cb);
      };

/**
 * Whether a `then` call looks like the engine's own (an `await`, `Promise.resolve(fut)`, or a wrapper
 * passing a promise's resolving functions): two anonymous one-argument functions. Anything else is user
 * code calling `fut.then(cb)` directly and carrying on with its step, so it must not end the step.
 * A heuristic (two inline one-parameter arrows look the same) that costs nothing on the hot path.
 */
/** @internal */
export function isResolverPair(onF: Fulfilled, onR: Rejected): boolean {
  return (
    typeof onF === 'function' &&
    typeof onR === 'function' &&
    onF.name === '' &&
    onR.name === '' &&
    onF.length === 1 &&
    onR.length === 1
  );
}

const fnToString = Function.prototype.toString;

/**
 * `fut.then(resolve)` with a promise's own resolving function (`new Promise((r) => fut.then(r))`):
 * the caller is handing its wait over to the future, as an await does. Checked only for a lone
 * anonymous one-argument callback, so the hot path (an await passes two) never pays for toString.
 */
function isLoneResolver(onF: Fulfilled, onR: Rejected): boolean {
  return (
    (onR === undefined || onR === null) &&
    typeof onF === 'function' &&
    onF.name === '' &&
    onF.length === 1 &&
    fnToString.call(onF).endsWith('{ [native code] }')
  );
}

/** @internal `Future.prototype.then` as the getter returns it. */
export function futureThen(this: Future<unknown>, onF: Fulfilled, onR: Rejected): PromiseLike<unknown> {
  const loop = this._loop;
  let task = this._awaiter;
  this._awaiter = undefined;
  const running = runningState.loop;
  if (running !== null && running !== loop && this._state === PENDING) {
    // Awaited while another loop runs: an error only if no task of this future's own loop is the
    // awaiter (two loops may run at once, each awaiting its own futures). A step under way in the
    // running loop and none in this one settles it: this loop's current task is only the one that ran
    // last, not the awaiter, which would otherwise be resumed here by the wrong loop.
    const theirs = running._stepTask();
    if (theirs !== null && loop._stepTask() === null) task = null;
    else if (task === undefined) task = loop._attribute();
    const other = task === null ? (theirs ?? running._attribute()) : null;
    if (other !== null) {
      throw new Error(
        `${other.name} got ${this.toString()} attached to a different loop: futures and tasks can only be ` +
          'awaited by tasks of the loop that created them (each loop.run has its own loop; pass values between loops, not futures).',
      );
    }
  }
  if (this._state !== PENDING) {
    // asyncio: awaiting a future that is already done does not suspend: the continuation runs in this
    // same step, one microtask later, exactly as a settled promise's would (and a `then` chained on
    // the result later still settles).
    const isError = this._state === CANCELLED || this._hasError;
    const v = isError ? this._takeError() : this._result;
    return (isError ? Promise.reject(v) : Promise.resolve(v)).then(onF, onR);
  }
  if (task === undefined) task = loop._attribute();
  if (task !== null && task._state !== PENDING) task = null;
  const engine = task !== null && (isResolverPair(onF, onR) || isLoneResolver(onF, onR));
  if (engine && task === (this as Future<unknown>)) {
    throw new Error(
      `${task!.name} awaits itself, which can never finish (asyncio: "Task cannot await on itself"). Await another task or future.`,
    );
  }
  const w = new Waker(K_RESUME, task, this, onF, onR, null);
  this._addWaker(w);
  if (task === null) return w;
  if (engine) loop._suspend(task, this);
  else {
    // A direct `fut.then(cb)`: the task keeps running. If its step then ends on a foreign promise
    // (`new Promise((r) => fut.then((v) => r(v)))`), this future is what it really waits for.
    w.direct = true;
    task._futWaiter = this;
  }
  return w;
}

/** A future's rarely used cancellation details (and a task's AbortController). @internal */
export class CancelInfo {
  msg: string | undefined = undefined;
  exc: CancelledError | undefined = undefined;
  abort: AbortController | null = null;
}

/**
 * asyncio.Future. Await it, or use `setResult`/`setException`/`cancel` and the done-callback API.
 * Callbacks and continuations run as separate loop steps, in registration order.
 */
export class Future<T = unknown> implements PromiseLike<T> {
  /** @internal */ kind = -1;
  /** @internal */ _skip = false;
  /** @internal */ _loop: EventLoop;
  /** @internal */ _state: number = PENDING;
  /** @internal The result, or the error when `_hasError` (one field: a future has one or the other). */
  _result: T | undefined = undefined;
  /** @internal */ _hasError = false;
  /** @internal Cancellation details, rarely needed, so off the hot object (see CancelInfo). */
  _cx: CancelInfo | null = null;
  /** @internal Registrations in order: none, one (the usual case), or several. */
  _w: Waker | Waker[] | null = null;
  /** @internal Attribution recorded by the `then` getter; undefined when none is pending. */
  _awaiter: Task<unknown> | null | undefined = undefined;
  /** @internal An error was set and nobody has retrieved it yet. */
  _logTraceback = false;
  /**
   * @internal What a trace says this future is, e.g. `Event.wait()`. Tasks and sleeps keep theirs on
   * their prototype (one word less per object).
   */
  declare _label: string;

  /**
   * @param loop the loop the future belongs to; defaults to the running loop.
   * @param label how traces and deadlock reports name it (null: a subclass's prototype supplies it).
   */
  constructor(loop?: EventLoop, label: string | null = 'Future') {
    this._loop = loop ?? getRunningLoop('new Future');
    if (label !== null) this._label = label;
  }

  /** @internal The error, when the future finished with one. */
  get _error(): unknown {
    return this._hasError ? this._result : undefined;
  }

  /** @internal The message of a requested or done cancellation. */
  get _cancelMessage(): string | undefined {
    const x = this._cx;
    return x === null ? undefined : x.msg;
  }

  set _cancelMessage(msg: string | undefined) {
    if (this._cx === null) {
      if (msg === undefined) return;
      this._cx = new CancelInfo();
    }
    this._cx.msg = msg;
  }

  /** @internal The CancelledError the task's body raised, handed to the first awaiter as is. */
  get _cancelledExc(): CancelledError | undefined {
    const x = this._cx;
    return x === null ? undefined : x.exc;
  }

  set _cancelledExc(exc: CancelledError | undefined) {
    if (this._cx === null) {
      if (exc === undefined) return;
      this._cx = new CancelInfo();
    }
    this._cx.exc = exc;
  }

  /** Thenable protocol; the getter records which task is awaiting (see the module comment). */
  get then(): PromiseLike<T>['then'] {
    this._awaiter = this._loop._attribute();
    return futureThen as unknown as PromiseLike<T>['then'];
  }

  /** The loop this future belongs to. */
  getLoop(): EventLoop {
    return this._loop;
  }

  /** `pending`, `finished` or `cancelled`. */
  get futureState(): FutureState {
    return this._state === PENDING ? 'pending' : this._state === FINISHED ? 'finished' : 'cancelled';
  }

  done(): boolean {
    return this._state !== PENDING;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result; throws the future's error, a CancelledError if it was cancelled, or
   * InvalidStateError if it is not done yet.
   */
  result(): T {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Result is not ready.');
    this._logTraceback = false;
    if (this._hasError) throw this._error;
    return this._result as T;
  }

  /** The error the future finished with, or null; throws if cancelled or not done. */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Exception is not set.');
    this._logTraceback = false;
    return this._hasError ? this._error : null;
  }

  setResult(value: T): void {
    this._setResult(value);
  }

  setException(error: unknown): void {
    this._setException(error);
  }

  /** @internal Future.set_result, which a Task reaches only from its own body's outcome. */
  _setResult(value: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this.futureState}: ${this.toString()}`);
    this._result = value;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /** @internal Future.set_exception (see `_setResult`). */
  _setException(error: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this.futureState}: ${this.toString()}`);
    this._result = error as T;
    this._hasError = true;
    this._state = FINISHED;
    this._logTraceback = true;
    this._loop._noteFailed(this as Future<unknown>);
    this._scheduleCallbacks();
  }

  /** Cancels the future and schedules its callbacks; false if it was already done. */
  cancel(msg?: string): boolean {
    return this._futureCancel(msg);
  }

  /** @internal Future.cancel, which Task.cancel does not override. */
  _futureCancel(msg?: string): boolean {
    this._logTraceback = false;
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._scheduleCallbacks();
    return true;
  }

  /** Calls `fn(this)` as a loop step once the future is done (at once, as a step, if it is done). */
  addDoneCallback(fn: (f: this) => void): void {
    const w = new Waker(
      K_DONE_CB,
      null,
      this as Future<unknown>,
      null,
      null,
      fn as (f: Future<unknown>) => void,
    );
    if (this._state !== PENDING) this._loop._schedule(w);
    else this._addWaker(w);
  }

  /** Removes every registration of `fn`; returns how many were removed. */
  removeDoneCallback(fn: (f: this) => void): number {
    const w = this._w;
    if (w === null) return 0;
    if (w instanceof Waker) {
      if (w.fn !== (fn as unknown)) return 0;
      this._w = null;
      return 1;
    }
    const kept = w.filter((x) => x.fn !== (fn as unknown));
    this._w = kept;
    return w.length - kept.length;
  }

  toString(): string {
    const state = this.futureState;
    let extra = '';
    if (this._state === FINISHED)
      extra = this._hasError ? ` exception=${String(this._error)}` : ` result=${String(this._result)}`;
    return `<${this._label} ${state}${extra}>`;
  }

  /** @internal */
  _makeCancelledError(): CancelledError {
    const saved = this._cancelledExc;
    if (saved !== undefined) {
      this._cancelledExc = undefined;
      return saved;
    }
    return new CancelledError(this._cancelMessage);
  }

  /** @internal The error an awaiter receives (marks it retrieved). */
  _takeError(): unknown {
    if (this._state === CANCELLED) return this._makeCancelledError();
    this._logTraceback = false;
    return this._error;
  }

  /** @internal */
  _addWaker(w: Waker): void {
    const cur = this._w;
    if (cur === null) this._w = w;
    else if (cur instanceof Waker) this._w = [cur, w];
    else cur.push(w);
  }

  /** @internal asyncio's __schedule_callbacks: each registration becomes one ready entry, in order. */
  _scheduleCallbacks(): void {
    const loop = this._loop;
    const w = this._w;
    if (w === null) return;
    this._w = null;
    // A plain future (an Event's, a Queue's, a Lock's, one set by hand) woke tasks: the trace notes
    // by whom. Tasks and sleeps (other kinds) are not noted: their own events already say it.
    if (this.kind === -1 && loop._trace.enabled) noteCompletion(loop, w);
    if (w instanceof Waker) loop._schedule(w);
    else for (const x of w) loop._schedule(x);
  }
}

/** Records who woke each task still waiting on one of `w` (the current task, or the loop). */
function noteCompletion(loop: EventLoop, w: Waker | Waker[]): void {
  const by = loop._current !== null ? loop._current.id : 0;
  for (const x of w instanceof Waker ? [w] : w) {
    const task = x.task;
    // A registration from an earlier step of its task (a lost race) will not resume it.
    if (x.kind === K_RESUME && task !== null && x.epoch === task._steps)
      loop._trace.recCompletion(by, task.id);
  }
}
