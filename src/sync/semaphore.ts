/**
 * Semaphore and BoundedSemaphore (asyncio's, CPython 3.11.7 logic).
 * @module
 */
import { CancelledError } from '../errors.js';
import type { Future } from '../future.js';
import { Deque } from './deque.js';
import { holding } from './holding.js';
import { LoopBound } from './loop-bound.js';
import { checkCount } from './validate.js';

/**
 * asyncio.Semaphore: a counter decremented by `acquire()` and incremented by `release()`; `acquire()`
 * waits while it is zero. FIFO-fair: a task calling `acquire()` while others wait queues behind them
 * even if the counter is positive, and a waiter woken by `release()` holds its unit even before it
 * runs (CPython 3.11.7's implementation, which 3.11.0–3.11.2 did not have).
 *
 * `withLock(fn)` stands in for `async with sem:`.
 *
 * To bound a wait, pass a function to `waitFor`: `await waitFor(() => sem.acquire(), ms)` runs it as a task
 * that the timeout cancels, as asyncio's `wait_for(sem.acquire(), t)` does. A bare promise
 * (`waitFor(sem.acquire(), ms)`) cannot be cancelled: the wait would go on after the timeout.
 */
export class Semaphore extends LoopBound {
  /** @internal */ _value: number;
  private _waiters: Deque<Future<true>> | null = null;
  /** @internal `Semaphore` or `BoundedSemaphore`, for labels and messages. */
  _kind: string;
  /** @internal How waiting futures are labelled in traces and deadlock reports. */
  _acquireLabel: string;

  /**
   * @param value initial counter, an integer >= 0 (default 1).
   * @throws RangeError/TypeError if `value` is negative, not an integer or not a number.
   */
  constructor(value = 1) {
    super();
    const kind = this instanceof BoundedSemaphore ? 'BoundedSemaphore' : 'Semaphore';
    this._value = checkCount(`new ${kind}(value)`, 'the initial value', value, 0);
    this._kind = kind;
    this._acquireLabel = `${kind}.acquire()`;
  }

  /** The counter: units available (asyncio keeps it private as `_value`; handy in assertions). */
  get value(): number {
    return this._value;
  }

  /** True if `acquire()` would wait: the counter is zero, or some task is already waiting. */
  locked(): boolean {
    if (this._value === 0) return true;
    if (this._waiters !== null) for (const w of this._waiters) if (!w.cancelled()) return true;
    return false;
  }

  /**
   * Decrements the counter, waiting (FIFO) while the semaphore is locked; resolves with `true`.
   * Returns without yielding when it is not locked. If the waiting task is cancelled, it takes no unit
   * (one handed to it by `release()` goes to the next waiter).
   */
  async acquire(): Promise<true> {
    if (!this.locked()) {
      this._value--;
      return true;
    }
    if (this._waiters === null) this._waiters = new Deque();
    const waiters = this._waiters;
    const fut = this._getLoop(`${this._kind}.acquire`).createFuture<true>(this._acquireLabel);
    waiters.push(fut);
    try {
      try {
        await fut;
      } finally {
        // Before the cancellation handling below, so a cancelled waiter never wakes itself.
        waiters.remove(fut);
      }
    } catch (e) {
      if (e instanceof CancelledError && !fut.cancelled()) {
        // Woken (a unit was reserved for us) but cancelled before running: give the unit back.
        this._value++;
        this._wakeUpNext();
      }
      throw e;
    }
    if (this._value > 0) this._wakeUpNext();
    return true;
  }

  /** Increments the counter and wakes the first waiter, if any. */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /**
   * Runs `fn` holding one unit: acquires, calls `fn`, and releases when it settles, even if it throws
   * (asyncio's `async with sem:`). Resolves with `fn`'s result.
   */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return holding(this, fn);
  }

  /** asyncio's repr, e.g. `<Semaphore [unlocked, value:2]>`. */
  override toString(): string {
    let extra = this.locked() ? 'locked' : `unlocked, value:${this._value}`;
    if (this._waiters !== null && this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<${this._kind} [${extra}]>`;
  }

  /** Wakes the first waiter that is not done, reserving a unit for it. */
  private _wakeUpNext(): void {
    if (this._waiters === null) return;
    for (const fut of this._waiters) {
      if (!fut.done()) {
        this._value--;
        fut.setResult(true);
        return;
      }
    }
  }
}

/**
 * asyncio.BoundedSemaphore: a Semaphore whose `release()` refuses to raise the counter above its
 * initial value (which usually means a unit was released twice).
 */
export class BoundedSemaphore extends Semaphore {
  private readonly _boundValue: number;

  /**
   * @param value initial (and maximum) counter, an integer >= 0 (default 1).
   */
  constructor(value = 1) {
    super(value);
    this._boundValue = value;
  }

  /**
   * Increments the counter and wakes the first waiter, if any.
   * @throws RangeError (asyncio's ValueError) if that would raise the counter above the initial value.
   */
  override release(): void {
    if (this._value >= this._boundValue) {
      throw new RangeError(
        `BoundedSemaphore.release(): released too many times (the value would exceed its initial value ${this._boundValue}). ` +
          'Release only units you acquired.',
      );
    }
    super.release();
  }
}
