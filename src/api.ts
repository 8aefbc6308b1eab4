/**
 * Module-level functions acting on the running loop, as asyncio's do.
 * @module
 */
import { Future } from './future.js';
import { Loop, type LoopOptions } from './loop.js';
import { checkOptionKeys, LOOP_MISPLACED, LOOP_OPTION_KEYS } from './options-check.js';
import { repr } from './repr.js';
import { getRunningLoop } from './running.js';
import type { Task, TaskFn, TaskOptions } from './task.js';

/** asyncio.sleep: resolves with `value` after `ms` virtual milliseconds; `sleep(0)` yields one turn. */
export function sleep(ms: number): PromiseLike<void>;
export function sleep<T>(ms: number, value: T): PromiseLike<T>;
export function sleep<T>(ms: number, value?: T): PromiseLike<T | undefined> {
  return getRunningLoop('sleep')._sleep(ms, value);
}

/** asyncio.create_task: runs `fn` as a new task, starting on a later step. */
export function createTask<T>(fn: TaskFn<T>, options?: TaskOptions): Task<T> {
  // CPython 3.11 creates the task unnamed and then sets the name, so the default-name counter advances.
  const task = getRunningLoop('createTask').createTask(fn);
  if (options?.name !== undefined) task.name = options.name;
  return task;
}

/** asyncio.current_task: the task whose code is running, or null in a plain callback. */
export function currentTask(): Task<unknown> | null {
  return getRunningLoop('currentTask').currentTask();
}

/** asyncio.all_tasks: tasks of the running loop that are not done. */
export function allTasks(): Task<unknown>[] {
  return getRunningLoop('allTasks').allTasks();
}

/** Anything `ensureFuture` and the combinators accept. */
export type AwaitableLike<T> = Future<T> | TaskFn<T> | PromiseLike<T>;

/**
 * asyncio.ensure_future: tasks and futures pass through; a function becomes a task; a promise (or other
 * thenable) is adopted into a future of the running loop.
 */
export function ensureFuture<T>(x: AwaitableLike<T>, loop?: Loop): Future<T> {
  if (x instanceof Future) {
    // asyncio returns a future as it is, running loop or not, unless a different loop is named
    // (ValueError there; RangeError here, as elsewhere in timeweave).
    if (loop !== undefined && x.getLoop() !== loop) {
      throw new RangeError(
        `${x.toString()} belongs to another loop than the one given; await futures and tasks only on the loop that created them.`,
      );
    }
    return x;
  }
  if (
    typeof x !== 'function' &&
    !(x !== null && typeof x === 'object' && typeof (x as PromiseLike<T>).then === 'function')
  )
    throw new TypeError(
      `ensureFuture() takes a Future, a Task, a function or a promise (asyncio: "An asyncio.Future, a coroutine or an awaitable is required"), not ${repr(x)}.`,
    );
  const l = loop ?? getRunningLoop('ensureFuture');
  if (typeof x === 'function') return l.createTask(x as TaskFn<T>);
  if (x !== null && typeof x === 'object' && typeof (x as PromiseLike<T>).then === 'function') {
    const f = l.createFuture<T>('promise');
    // Until it settles, the promise is foreign work the loop must wait for (in real time, bounded by
    // foreignTimeout) rather than a deadlock.
    l._adopted++;
    (x as PromiseLike<T>).then(
      (v) => {
        l._adopted--;
        if (!f.done()) f.setResult(v);
      },
      (e) => {
        l._adopted--;
        if (!f.done()) f.setException(e);
      },
    );
    return f;
  }
  throw new TypeError(`ensureFuture() takes a Future, a Task, a function or a promise, not ${repr(x)}.`);
}

/** A `run()` result: the main function's result, with the loop that ran it (for trace assertions). */
export type RunPromise<T> = Promise<T> & { readonly loop: Loop };

/** Shorthand for `new Loop(options).run(main)`; the promise carries `.loop` for trace assertions. */
export function run<T>(main: TaskFn<T>, options?: LoopOptions): RunPromise<T> {
  checkOptionKeys('run()', options, LOOP_OPTION_KEYS, LOOP_MISPLACED);
  const loop = new Loop(options);
  const p = loop.run(main) as RunPromise<T>;
  Object.defineProperty(p, 'loop', { value: loop });
  return p;
}
