/**
 * asyncio.Task: runs a function as a coroutine on the loop. Unlike a bare JavaScript async call, a
 * task starts lazily, as a step of its own, like an asyncio coroutine wrapped in a task.
 * @module
 */

import type { EventLoop } from './core/event-loop.js';
import { CancelledError } from './errors.js';
import { CANCELLED, CancelInfo, FINISHED, Future, PENDING } from './future.js';
import { K_TASK_START } from './kinds.js';
import { repr } from './repr.js';

/** A task's lifecycle as users see it. */
export type TaskState = 'pending' | 'cancelling' | 'finished' | 'cancelled';

/** What a task runs: a function returning a value or a promise of it. */
export type TaskFn<T> = () => T | PromiseLike<T>;

/** Options of `createTask`. */
export interface TaskOptions {
  /**
   * Task name; defaults to `Task-N`, N counting from 1 per loop the tasks created without a name.
   * As in CPython 3.11, module-level `createTask` and `TaskGroup.createTask` create the task unnamed
   * and then rename it (so they use up a number); `loop.createTask` with a name does not.
   */
  name?: string;
}

/** Prefix of the per-task async frame name that lets the loop find a task from a stack trace. */
export const TASK_FRAME_PREFIX = '__timeweave_task_';

/** Runs a task's body and settles the task (see framedRunner). */
type Runner = (task: Task<unknown>, fn: TaskFn<unknown>) => Promise<void>;

/**
 * Runners by task id, shared by every loop (ids restart at 1 per loop): a fuzzing run creates
 * thousands of loops of a few tasks each. Bounded, so a loop of a million tasks does not pin a
 * million functions.
 */
const runners: (Runner | undefined)[] = [];
const RUNNER_CACHE = 4096;

/**
 * The task body runs inside an async function named after the task, so an async stack trace taken
 * inside the body names the task even when the body resumed from a promise the loop does not own.
 * The runner also settles the task itself, one microtask after the body settles (where a `.then` on
 * its promise would), so nothing else per task stays allocated while it runs.
 */
function framedRunner(id: number): Runner {
  let r = id < RUNNER_CACHE ? runners[id] : undefined;
  if (r !== undefined) return r;
  // Named through a computed key (the name is set as the function is created) rather than by
  // Object.defineProperty afterwards, which gives every runner a map transition and a property
  // array: about 260 bytes more per suspended task, and slower task creation.
  const name = TASK_FRAME_PREFIX + id;
  r = {
    [name]: async (task: Task<unknown>, fn: TaskFn<unknown>): Promise<void> => {
      let v: unknown;
      try {
        v = await fn();
      } catch (e) {
        await null; // the one microtask a `.then` on this function's promise would take
        task._finish(false, e);
        return;
      }
      await null;
      task._finish(true, v);
    },
  }[name]!;
  if (id < RUNNER_CACHE) runners[id] = r;
  return r;
}

/** asyncio.Task. Create it with `createTask(fn)`; await it for its result. */
export class Task<T = unknown> extends Future<T> {
  /** Loop-unique id (1 for the first task of a loop). */
  readonly id: number;
  /** @internal The name, or the number N of a default name `Task-N`. */
  _name: string | number;
  /** @internal */ _fn: TaskFn<T> | null;
  /** @internal */ _mustCancel = false;
  /** @internal */ _numCancelsRequested = 0;
  /** @internal */ _futWaiter: Future<unknown> | null = null;
  /** @internal The task resumed from, or now awaits, something the loop does not own. */
  _foreign = false;
  /** @internal Steps this task has run (for runaway reports). */
  _steps = 0;

  /**
   * @internal Use `createTask`. `nameNo` > 0: the default name `Task-<nameNo>`, kept as the number
   * (the string is made when asked for), so a task costs no name string of its own.
   */
  constructor(loop: EventLoop, fn: TaskFn<T>, id: number, name: string | undefined, nameNo = 0) {
    super(loop, null);
    this.kind = K_TASK_START;
    this.id = id;
    this._fn = fn;
    this._name = nameNo > 0 ? nameNo : name !== undefined && name !== null ? String(name) : `Task-${id}`; // asyncio: str(name)
  }

  /** @internal The AbortController behind `signal`, if anyone asked for it (kept with CancelInfo). */
  get _abortCtl(): AbortController | null {
    const x = this._cx;
    return x === null ? null : x.abort;
  }

  set _abortCtl(c: AbortController | null) {
    if (this._cx === null) {
      if (c === null) return;
      this._cx = new CancelInfo();
    }
    this._cx.abort = c;
  }

  get name(): string {
    const n = this._name;
    return typeof n === 'number' ? `Task-${n}` : n;
  }

  set name(value: string) {
    this._name = String(value);
    this._loop._renamed(this as Task<unknown>);
  }

  /** asyncio's get_name(). */
  getName(): string {
    return this.name;
  }

  /** asyncio's set_name(). */
  setName(value: string): void {
    this.name = value;
  }

  /** `pending`, `cancelling` (a cancel was requested and the task has not finished), `finished`, `cancelled`. */
  get state(): TaskState {
    if (this._state === CANCELLED) return 'cancelled';
    if (this._state === FINISHED) return 'finished';
    return this._numCancelsRequested > 0 ? 'cancelling' : 'pending';
  }

  /** An AbortSignal aborted when the task's cancellation is first requested, for APIs that take one. */
  get signal(): AbortSignal {
    if (this._abortCtl === null) {
      this._abortCtl = new AbortController();
      if (this._numCancelsRequested > 0 || this._state === CANCELLED) {
        this._abortCtl.abort(new CancelledError(this._cancelMessage));
      }
    }
    return this._abortCtl.signal;
  }

  /**
   * Requests cancellation: a CancelledError is thrown into the task at the await where it is
   * suspended (or at its next step). Returns false if the task is already done.
   */
  override cancel(msg?: string): boolean {
    this._logTraceback = false;
    if (this._state !== PENDING) return false;
    this._numCancelsRequested++;
    this._loop._noteCancelRequested(this as Task<unknown>);
    if (this._abortCtl !== null && !this._abortCtl.signal.aborted)
      this._abortCtl.abort(new CancelledError(msg));
    const waiter = this._futWaiter;
    if (waiter?.cancel(msg)) return true;
    this._mustCancel = true;
    this._cancelMessage = msg;
    return true;
  }

  /** Number of pending cancellation requests. */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** Decrements the count of cancellation requests; returns the new count. */
  uncancel(): number {
    if (this._numCancelsRequested > 0) this._numCancelsRequested--;
    return this._numCancelsRequested;
  }

  /** The future this task is suspended on, if any. */
  waitingOn(): Future<unknown> | null {
    return this._futWaiter;
  }

  override toString(): string {
    const fnName = this._fn?.name ? ` fn=${this._fn.name}` : '';
    let extra = '';
    if (this._state === FINISHED)
      extra = this._hasError ? ` exception=${repr(this._error)}` : ` result=${repr(this._result)}`;
    // asyncio shows what a pending task is suspended on: `wait_for=<…>`.
    else if (this._state === PENDING && this._futWaiter !== null)
      extra = ` wait_for=${this._futWaiter.toString()}`;
    return `<Task ${this.state} name=${repr(this.name)}${fnName}${extra}>`;
  }

  /** @internal First step: call the function (unless cancelled before it ever ran, like asyncio). */
  _start(framed: boolean): void {
    const fn = this._fn!;
    if (this._mustCancel) {
      this._mustCancel = false;
      this._finish(false, this._makeStartCancelled());
      return;
    }
    if (framed) {
      void framedRunner(this.id)(this as Task<unknown>, fn);
      return;
    }
    let r: T | PromiseLike<T>;
    try {
      r = fn();
    } catch (e) {
      this._finish(false, e);
      return;
    }
    if (
      r !== null &&
      (typeof r === 'object' || typeof r === 'function') &&
      typeof (r as PromiseLike<T>).then === 'function'
    ) {
      Promise.resolve(r).then(
        (v) => this._finish(true, v),
        (e) => this._finish(false, e),
      );
    } else {
      this._finish(true, r);
    }
  }

  private _makeStartCancelled(): CancelledError {
    return new CancelledError(this._cancelMessage);
  }

  /**
   * A task's result is what its function returns: asyncio's Task.set_result raises RuntimeError, and
   * so does this (otherwise the task would report finished while its body runs on, and the body's
   * own result would be dropped).
   */
  override setResult(_value: T): never {
    throw new Error(
      `Task does not support setResult(): ${this.name}'s result is what its function returns. Use a Future (loop.createFuture()) for a result set from outside.`,
    );
  }

  /** Throws, as asyncio's Task.set_exception does: see {@link Task.setResult}. */
  override setException(_error: unknown): never {
    throw new Error(
      `Task does not support setException(): ${this.name} fails when its function throws. Use task.cancel() to stop it, or a Future for an outcome set from outside.`,
    );
  }

  /** @internal The body settled: asyncio's StopIteration / CancelledError / exception branches of __step. */
  _finish(ok: boolean, v: unknown): void {
    if (this._state !== PENDING) return;
    if (ok) {
      if (this._mustCancel) {
        this._mustCancel = false;
        this._futureCancel(this._cancelMessage);
      } else {
        this._setResult(v as T);
      }
    } else if (v instanceof CancelledError) {
      this._cancelledExc = v;
      this._futureCancel();
    } else {
      this._setException(v);
    }
    if (this._abortCtl !== null && this._state === CANCELLED && !this._abortCtl.signal.aborted) {
      this._abortCtl.abort(new CancelledError(this._cancelMessage));
    }
    this._loop._taskDone(this as Task<unknown>);
  }
}

(Task.prototype as Task<unknown>)._label = 'Task';
