/**
 * asCompleted: awaitables in completion order (asyncio.as_completed).
 * @module
 */
import { type AwaitableLike, ensureFuture } from '../api.js';
import { TimeoutError } from '../errors.js';
import type { Future } from '../future.js';
import type { Loop } from '../loop.js';
import { getRunningLoop } from '../running.js';

/** Options of `asCompleted`. */
export interface AsCompletedOptions {
  /** Virtual ms after which the remaining awaitables throw TimeoutError. */
  timeout?: number | null;
}

/**
 * The futures that are done, in completion order, with the getters waiting for them; the same
 * hand-off asyncio does through a Queue, so wake-ups happen at the same steps.
 */
class DoneQueue {
  private readonly items: (Future<unknown> | null)[] = [];
  private readonly getters: Future<unknown>[] = [];
  constructor(private readonly loop: Loop) {}

  put(f: Future<unknown> | null): void {
    this.items.push(f);
    this.wakeNext();
  }

  private wakeNext(): void {
    while (this.getters.length > 0) {
      const g = this.getters.shift()!;
      if (!g.done()) {
        g.setResult(undefined);
        break;
      }
    }
  }

  /** Resolves to a box: a future returned bare from an async function would be adopted as a thenable. */
  async get(): Promise<{ f: Future<unknown> | null }> {
    while (this.items.length === 0) {
      const getter = this.loop.createFuture<unknown>('asCompleted()');
      this.getters.push(getter);
      try {
        await getter;
      } catch (e) {
        getter.cancel();
        const i = this.getters.indexOf(getter);
        if (i >= 0) this.getters.splice(i, 1);
        if (this.items.length > 0 && !getter.cancelled()) this.wakeNext();
        throw e;
      }
    }
    return { f: this.items.shift()! };
  }
}

/** Iterable of awaitables that settle in completion order (and async-iterable of their values). */
export interface AsCompleted<T> extends Iterable<PromiseLike<T>>, AsyncIterable<T> {}

/**
 * asyncio.as_completed. Iterate it synchronously and await each item, or `for await` the values.
 * Ties at one instant come out in the order the futures finished. As asyncio's generator does, it
 * starts when first iterated: functions become tasks and the `timeout` starts counting then.
 */
export function asCompleted<T>(
  aws: Iterable<AwaitableLike<T>>,
  options: AsCompletedOptions = {},
): AsCompleted<T> {
  if (aws === null || typeof (aws as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError('asCompleted() takes an iterable of awaitables, e.g. asCompleted([t1, t2]).');
  }
  // Looked up when first iterated, as asyncio's generator body runs then (not at the call).
  let loop!: Loop;
  const todo = new Set<Future<unknown>>();
  let done!: DoneQueue;
  let timeoutHandle: { cancel(): void } | null = null;

  const onCompletion = (f: Future<unknown>): void => {
    if (todo.size === 0) return; // the timeout got here first
    todo.delete(f);
    done.put(f);
    if (todo.size === 0 && timeoutHandle !== null) timeoutHandle.cancel();
  };
  const onTimeout = (): void => {
    for (const f of todo) {
      f.removeDoneCallback(onCompletion);
      done.put(null);
    }
    todo.clear();
  };
  // asyncio.as_completed is a generator: it wraps the awaitables, registers its callbacks and starts
  // the timeout only when first iterated, not when called (a program that sleeps in between sees it).
  let remaining = -1;
  const start = (): void => {
    if (remaining >= 0) return;
    loop = getRunningLoop('asCompleted');
    done = new DoneQueue(loop);
    for (const a of new Set(aws)) todo.add(ensureFuture(a as AwaitableLike<unknown>, loop));
    for (const f of todo) f.addDoneCallback(onCompletion);
    if (todo.size > 0 && options.timeout !== undefined && options.timeout !== null) {
      timeoutHandle = loop.callLater(options.timeout, onTimeout);
    }
    remaining = todo.size;
  };

  const waitForOne = async (): Promise<T> => {
    const { f } = await done.get();
    if (f === null) throw new TimeoutError(`asCompleted(): timed out after ${options.timeout}ms`);
    return f.result() as T;
  };
  // Lazy like a coroutine: nothing waits until the item is awaited.
  const lazy = (): PromiseLike<T> => {
    let started: Promise<T> | null = null;
    return {
      then(onF, onR) {
        started ??= waitForOne();
        return started.then(onF, onR);
      },
    };
  };
  // One generator's worth of items, whichever way (and however often) it is iterated.
  return {
    *[Symbol.iterator]() {
      start();
      while (remaining > 0) {
        remaining--;
        yield lazy();
      }
    },
    async *[Symbol.asyncIterator]() {
      start();
      while (remaining > 0) {
        remaining--;
        yield await waitForOne();
      }
    },
  };
}
