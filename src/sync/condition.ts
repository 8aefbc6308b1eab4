/**
 * Condition: wait until notified, holding a lock around the check (asyncio.Condition, CPython 3.11 logic).
 * @module
 */
import { CancelledError } from '../errors.js';
import type { Future } from '../future.js';
import { Deque } from './deque.js';
import { holding } from './holding.js';
import { Lock } from './lock.js';
import { LoopBound } from './loop-bound.js';
import { checkCount } from './validate.js';

/**
 * asyncio.Condition. Tasks hold the condition's lock, check some state, and `wait()` (which releases
 * the lock while waiting and re-acquires it before returning) until another task changes the state
 * and calls `notify()`/`notifyAll()` while holding the lock.
 *
 * `withLock(fn)` stands in for `async with cond:`.
 *
 * To bound a wait, pass a function to `waitFor`: `await waitFor(() => cond.wait(), ms)` runs it as a task
 * that the timeout cancels, as asyncio's `wait_for(cond.wait(), t)` does. A bare promise
 * (`waitFor(cond.wait(), ms)`) cannot be cancelled: the wait would go on after the timeout.
 *
 * @example
 * ```ts
 * const cond = new Condition();
 * await cond.withLock(() => cond.waitFor(() => items.length > 0));
 * ```
 */
export class Condition extends LoopBound {
  private readonly _lock: Lock;
  private readonly _waiters = new Deque<Future<boolean>>();
  /** @internal How waiting futures are labelled in traces and deadlock reports. */
  _waitLabel = 'Condition.wait()';

  /**
   * @param lock the lock to use (shared with other conditions, say); by default a new Lock.
   * @throws TypeError if `lock` is not a Lock.
   */
  constructor(lock?: Lock) {
    super();
    if (lock === undefined) {
      lock = new Lock();
      lock._acquireLabel = 'Condition.acquire()';
    } else if (!(lock instanceof Lock)) {
      throw new TypeError('new Condition(lock): lock must be a Lock (or omitted for a new one).');
    }
    this._lock = lock;
  }

  /** True if the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Acquires the underlying lock (see `Lock.acquire`). */
  acquire(): Promise<true> {
    return this._lock.acquire();
  }

  /**
   * Releases the underlying lock (see `Lock.release`).
   * @throws Error if the lock is not held.
   */
  release(): void {
    this._lock.release();
  }

  /**
   * Runs `fn` holding the underlying lock, releasing it when `fn` settles (asyncio's `async with cond:`).
   * Resolves with `fn`'s result.
   */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return holding(this, fn);
  }

  /**
   * Releases the lock, waits until notified, then re-acquires the lock and resolves with `true`. The
   * lock is re-acquired even when the wait is cancelled (the CancelledError is raised once the lock is
   * held again), so a `withLock` body can always release it.
   * @throws Error (rejects) if the lock is not held.
   */
  async wait(): Promise<true> {
    if (!this.locked()) {
      throw new Error(
        'Condition.wait(): cannot wait on an un-acquired lock. Call it while holding the condition, e.g. inside cond.withLock(...).',
      );
    }
    this.release();
    let failed = false;
    let error: unknown;
    try {
      const fut = this._getLoop('Condition.wait').createFuture<boolean>(this._waitLabel);
      this._waiters.push(fut);
      try {
        await fut;
      } finally {
        this._waiters.remove(fut);
      }
    } catch (e) {
      failed = true;
      error = e;
    }
    // Must re-acquire the lock even if the wait was cancelled; a cancel during re-acquisition is
    // remembered and re-raised once the lock is held.
    let cancelled = false;
    for (;;) {
      try {
        await this.acquire();
        break;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        cancelled = true;
      }
    }
    if (cancelled) throw new CancelledError();
    if (failed) throw error;
    return true;
  }

  /**
   * Waits until `predicate()` is truthy, checking it first and after each wake-up; resolves with the
   * predicate's final value. Must be called holding the lock.
   */
  async waitFor<R>(predicate: () => R): Promise<R> {
    if (typeof predicate !== 'function') {
      throw new TypeError(
        'Condition.waitFor(predicate): predicate must be a function returning a truthy value when done.',
      );
    }
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` (default 1) waiting tasks, oldest first. They return from `wait()` only once they
   * re-acquire the lock, which the caller still holds.
   * @throws Error if the lock is not held.
   */
  notify(n = 1): void {
    if (!this.locked()) {
      throw new Error(
        'Condition.notify(): cannot notify on an un-acquired lock. Call it while holding the condition, e.g. inside cond.withLock(...).',
      );
    }
    checkCount('Condition.notify(n)', 'n', n, 0, true);
    let idx = 0;
    for (const fut of this._waiters) {
      if (idx >= n) break;
      if (!fut.done()) {
        idx++;
        fut.setResult(false);
      }
    }
  }

  /**
   * Wakes every waiting task (see `notify`).
   * @throws Error if the lock is not held.
   */
  notifyAll(): void {
    if (!this.locked()) {
      throw new Error(
        'Condition.notifyAll(): cannot notify on an un-acquired lock. Call it while holding the condition, e.g. inside cond.withLock(...).',
      );
    }
    this.notify(this._waiters.length);
  }

  /** asyncio's repr, e.g. `<Condition [locked, waiters:2]>`. */
  override toString(): string {
    let extra = this.locked() ? 'locked' : 'unlocked';
    if (this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<Condition [${extra}]>`;
  }
}
