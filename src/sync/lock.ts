/**
 * Lock: a FIFO-fair mutual-exclusion lock (asyncio.Lock, CPython 3.11.7 logic).
 * @module
 */
import { CancelledError } from '../errors.js';
import type { Future } from '../future.js';
import { Deque } from './deque.js';
import { holding } from './holding.js';
import { LoopBound } from './loop-bound.js';

/**
 * asyncio.Lock. Not owned by a task: any code may release it. Waiters acquire it in the order they
 * started waiting. A waiter woken by `release()` is not removed from the queue until it runs, so a
 * task calling `acquire()` in the meantime queues behind it instead of barging in; a woken waiter
 * that is cancelled before it runs passes the wake-up on to the next waiter.
 *
 * `withLock(fn)` stands in for `async with lock:`.
 *
 * To bound a wait, pass a function to `waitFor`: `await waitFor(() => lock.acquire(), ms)` runs it as a task
 * that the timeout cancels, as asyncio's `wait_for(lock.acquire(), t)` does. A bare promise
 * (`waitFor(lock.acquire(), ms)`) cannot be cancelled: the wait would go on after the timeout.
 */
export class Lock extends LoopBound {
  private _waiters: Deque<Future<true>> | null = null;
  private _locked = false;
  /** @internal How waiting futures are labelled in traces and deadlock reports. */
  _acquireLabel = 'Lock.acquire()';

  /** True if the lock is held. */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Acquires the lock, waiting (FIFO) while it is held; resolves with `true`. Returns without yielding
   * when the lock is free and nobody is queued. If the waiting task is cancelled, it does not get the
   * lock and the CancelledError propagates.
   */
  async acquire(): Promise<true> {
    if (!this._locked && (this._waiters === null || allCancelled(this._waiters))) {
      this._locked = true;
      return true;
    }
    if (this._waiters === null) this._waiters = new Deque();
    const waiters = this._waiters;
    const fut = this._getLoop('Lock.acquire').createFuture<true>(this._acquireLabel);
    waiters.push(fut);
    try {
      try {
        await fut;
      } finally {
        // Before the cancellation handling below, so a cancelled waiter never wakes itself.
        waiters.remove(fut);
      }
    } catch (e) {
      // A woken waiter cancelled before it ran hands the wake-up on (if nobody took the lock since).
      if (e instanceof CancelledError && !this._locked) this._wakeUpFirst();
      throw e;
    }
    this._locked = true;
    return true;
  }

  /**
   * Releases the lock and wakes the first waiter, if any.
   * @throws Error if the lock is not held.
   */
  release(): void {
    if (!this._locked) {
      throw new Error('Lock.release(): the lock is not acquired. Release a lock only after acquiring it.');
    }
    this._locked = false;
    this._wakeUpFirst();
  }

  /**
   * Runs `fn` holding the lock: acquires, calls `fn`, and releases when it settles, even if it throws
   * (asyncio's `async with lock:`). Resolves with `fn`'s result.
   */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return holding(this, fn);
  }

  /** asyncio's repr, e.g. `<Lock [locked, waiters:2]>`. */
  override toString(): string {
    let extra = this._locked ? 'locked' : 'unlocked';
    if (this._waiters !== null && this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<Lock [${extra}]>`;
  }

  /**
   * Wakes the first waiter unless it is already done: a done first waiter will run later and either
   * take the lock or, cancelled, come back here to wake the next one.
   */
  private _wakeUpFirst(): void {
    const first = this._waiters?.at(0);
    if (first !== undefined && !first.done()) first.setResult(true);
  }
}

function allCancelled(waiters: Deque<Future<true>>): boolean {
  for (const w of waiters) if (!w.cancelled()) return false;
  return true;
}
