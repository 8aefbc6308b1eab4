/**
 * The paths a task's steps take through the loop: a task suspending on an awaitable or yielding, its
 * resumption (from a future, a sleep, a plain continuation), the start of each step, the end of its
 * body, foreign work that ends, and finding the task on the stack. The loop's driver runs entries;
 * what happens to a task lives here, beside task.ts.
 * @module
 */

import { frameNumber } from './async-frames.js';
import { callbackFailed } from './core/diagnostics.js';
import type { EventLoop } from './core/event-loop.js';
import { CancelledError } from './errors.js';
import { CANCELLED, type Future, PENDING } from './future.js';
import { K_SLEEP } from './kinds.js';
import type { SleepFuture } from './sleep-future.js';
import { TASK_FRAME_PREFIX, Task } from './task.js';
import { EV } from './trace.js';
import { Waker } from './waker.js';

/** A continuation became ready: resume its task, or deliver it as a plain callback. */
export function resumeEntry(loop: EventLoop, w: Waker): void {
  const task = w.task;
  const fut = w.fut;
  let isError = false;
  let v: unknown;
  if (fut === null) v = w.value;
  else if (fut._state === CANCELLED || fut._hasError) {
    isError = true;
    v = fut._takeError();
  } else v = fut._result;
  if (fut !== null && fut.kind === K_SLEEP && task !== null) (fut as SleepFuture<unknown>)._cancelTimer();
  // A continuation registered in an earlier step of its task (the loser of a `Promise.race`) is a
  // plain callback now: the task waits elsewhere, and resuming it would clobber what it waits on.
  // A direct `fut.then(cb)` resumes its task only when the task really waits for it (through a
  // foreign promise); otherwise cb is a plain callback and the task stays suspended where it is.
  if (
    task === null ||
    task._state !== PENDING ||
    w.epoch !== task._steps ||
    (w.direct && !(task._foreign && task._futWaiter === fut))
  ) {
    if (loop._tr) loop._trace.rec(EV.PLAIN, 0, 0);
    guard(loop, () => w.deliver(isError, v));
    awaitPlain(loop);
    return;
  }
  resumeTask(loop, task, isError, v, w, w.direct);
}

/**
 * A continuation delivered as a plain callback may run user code in microtasks — a sibling of the
 * task's current await, e.g. one of several async functions under one `Promise.all`: under a
 * decision source those microtasks must finish before the next step, or they would run interleaved
 * with it, outside the schedule (one real macrotask per such step, paid only when a source decides).
 */
export function awaitPlain(loop: EventLoop): void {
  if (loop._chooser !== null) loop._awaitMicrotasks();
}

/** A sleep's folded continuation (see SleepFuture._cTask): `resumeEntry` for its one awaiting task. */
export function resumeSleep(loop: EventLoop, sf: SleepFuture<unknown>): void {
  const task = sf._cTask!;
  let isError = false;
  let v: unknown;
  if (sf._state === CANCELLED || sf._hasError) {
    isError = true;
    v = sf._takeError();
  } else v = sf._result;
  sf._cancelTimer();
  if (task._state !== PENDING || sf._cEpoch !== task._steps) {
    if (loop._tr) loop._trace.rec(EV.PLAIN, 0, 0);
    guard(loop, () => sf.deliver(isError, v));
    awaitPlain(loop);
    return;
  }
  resumeTask(loop, task, isError, v, sf, false);
}

/** Resumes `task` with the outcome it waited for (a pending cancellation turns it into CancelledError). */
export function resumeTask(
  loop: EventLoop,
  task: Task<unknown>,
  isError: boolean,
  v: unknown,
  target: Waker | SleepFuture<unknown>,
  direct: boolean,
): void {
  task._futWaiter = null;
  if (task._mustCancel) {
    if (!(isError && v instanceof CancelledError)) {
      v = new CancelledError(task._cancelMessage);
      isError = true;
    }
    task._mustCancel = false;
  }
  if (task._foreign) unforeign(loop, task);
  beginTaskStep(loop, task);
  if (loop._tr) loop._trace.rec(EV.RESUME, task.id, isError ? (v instanceof CancelledError ? 2 : 1) : 0);
  // A direct `fut.then(cb)` resuming its task runs the user's callback: an error there is a
  // callback error, not a reason to abort the whole run.
  if (direct) guard(loop, () => target.deliver(isError, v));
  else if (loop._foreignCount > 0 && loop._framed) deliverBracketed(loop, task, target, isError, v);
  else target.deliver(isError, v);
}

/**
 * While some task waits on foreign work, which task calls the loop is read off the async stack
 * (about a microsecond an await), since that task may resume in any microtask. The resumed task's
 * first segment needs no stack: when its continuation is the engine's own resolving function (an
 * `await`), calling it queues exactly one job, the task's resumption. A microtask queued just before
 * the call and one just after bracket that job, so only the task's own code runs between them
 * (anything it wakes runs after the second); `_attribute` answers with the task meanwhile.
 */
function deliverBracketed(
  loop: EventLoop,
  task: Task<unknown>,
  target: Waker | SleepFuture<unknown>,
  isError: boolean,
  v: unknown,
): void {
  const cb =
    target instanceof Waker ? (isError ? target.onR : target.onF) : isError ? target._cR : target._cF;
  if (typeof cb !== 'function' || !isNativeFunction(cb)) {
    target.deliver(isError, v);
    return;
  }
  loop._segmentNext = task;
  void RESOLVED.then(loop._segmentBegin);
  target.deliver(isError, v);
  void RESOLVED.then(loop._segmentEnd);
}

const RESOLVED: Promise<void> = Promise.resolve();
const fnToString = Function.prototype.toString;

/** An engine builtin (a promise's resolving function), not user code that would run synchronously. */
function isNativeFunction(f: (...args: never[]) => unknown): boolean {
  return fnToString.call(f).endsWith('{ [native code] }');
}

/** A step of `t` starts: it is current and in flight, and a macrotask will tell if it ends unsignalled. */
export function beginTaskStep(loop: EventLoop, t: Task<unknown>): void {
  loop._current = t;
  loop._inFlight = t;
  t._steps++;
  loop._recent[loop._steps & 255] = t.id;
  loop._armMacrotask();
}

/** Runs user callback code, reporting (not rethrowing) what it throws. */
export function guard(loop: EventLoop, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    callbackFailed(loop, err);
  }
}

/** `task` suspended on a loop awaitable: its step is over, drive the next one. */
export function suspended(loop: EventLoop, task: Task<unknown>): void {
  if (task === loop._inFlight) {
    loop._inFlight = null;
    loop._requestDrive();
  } else if (task._foreign) {
    unforeign(loop, task);
    loop._requestDrive();
  }
}

/** `task` is back from foreign work. */
export function unforeign(loop: EventLoop, task: Task<unknown>): void {
  task._foreign = false;
  loop._foreignCount--;
  // It ran outside any step (in microtasks of foreign work), which may have queued more.
  loop._settled = false;
  loop._waitStart = -1;
}

/** @internal The task whose frame is on the current (async) stack, or null. */
export function taskFromStack(loop: EventLoop): Task<unknown> | null {
  const id = frameNumber(TASK_FRAME_PREFIX);
  return id < 0 ? null : (loop._live.get(id) ?? null);
}

/**
 * @internal Whether the caller runs inside one of this loop's tasks. `run(a); run(b)` from plain
 * code while a's first step is still settling is not nested; only the stack can tell the two apart.
 */
export function calledFromTask(loop: EventLoop): boolean {
  return !loop._framed || taskFromStack(loop) !== null;
}

/** @internal `task` now awaits `fut` (it called `fut.then`). */
export function suspendTask(loop: EventLoop, task: Task<unknown>, fut: Future<unknown>): void {
  task._futWaiter = fut;
  if (task._mustCancel && fut.cancel(task._cancelMessage)) task._mustCancel = false;
  if (fut.kind === K_SLEEP) (fut as SleepFuture<unknown>)._sleeper = task;
  if (loop._tr) {
    if (fut.kind === K_SLEEP) loop._trace.recSleep(task.id, (fut as SleepFuture<unknown>)._when);
    else if (fut instanceof Task) loop._trace.rec(EV.AWAIT_TASK, task.id, fut.id);
    else loop._trace.rec(EV.AWAIT, task.id, loop._trace.intern(fut._label));
  }
  suspended(loop, task);
}

/** @internal `sleep(0)`: resume the task (or plain callback) on the next turn. */
export function yieldTask(loop: EventLoop, task: Task<unknown> | null, w: Waker): void {
  loop._ready.push(w);
  if (task === null) return;
  task._futWaiter = null;
  if (loop._tr) loop._trace.rec(EV.YIELD, task.id, 0);
  suspended(loop, task);
}

/** @internal The task's body settled. */
export function taskDone(loop: EventLoop, task: Task<unknown>): void {
  loop._live.delete(task.id);
  if (loop._tr) {
    if (task._state === CANCELLED) loop._trace.rec(EV.CANCELLED, task.id, 0);
    else if (task._hasError) loop._trace.recValue(EV.RAISE, task.id, task._error);
    else loop._trace.recValue(EV.RETURN, task.id, task._result);
  }
  if (task._foreign) unforeign(loop, task);
  if (task === loop._inFlight) {
    loop._inFlight = null;
    loop._current = null;
  }
  loop._drive();
}
