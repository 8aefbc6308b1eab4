/**
 * Event: a flag tasks can wait on (asyncio.Event, CPython 3.11 logic).
 * @module
 */
import type { Future } from '../future.js';
import { Deque } from './deque.js';
import { LoopBound } from './loop-bound.js';

/**
 * asyncio.Event: a flag, initially false. `wait()` blocks until it is set; `set()` wakes every waiter
 * (in the order they started waiting) and lets later `wait()` calls return at once, until `clear()`.
 *
 * To bound a wait, pass a function to `waitFor`: `await waitFor(() => ev.wait(), ms)` runs it as a task
 * that the timeout cancels, as asyncio's `wait_for(ev.wait(), t)` does. A bare promise
 * (`waitFor(ev.wait(), ms)`) cannot be cancelled: the wait would go on after the timeout.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * createTask(async () => { await ready.wait(); console.log('go'); });
 * ready.set();
 * ```
 */
export class Event extends LoopBound {
  private readonly _waiters = new Deque<Future<true>>();
  private _value = false;
  /** @internal How waiting futures are labelled in traces and deadlock reports. */
  _waitLabel = 'Event.wait()';

  /** True if and only if the flag is set (asyncio's `is_set`). */
  isSet(): boolean {
    return this._value;
  }

  /**
   * Sets the flag. Every task waiting in `wait()` is woken; `wait()` called while the flag is set
   * returns at once. Does nothing if the flag is already set.
   */
  set(): void {
    if (this._value) return;
    this._value = true;
    for (const fut of this._waiters) if (!fut.done()) fut.setResult(true);
  }

  /** Resets the flag: later `wait()` calls block until the next `set()`. */
  clear(): void {
    this._value = false;
  }

  /**
   * Waits until the flag is set; resolves with `true`. Returns at once (without yielding to other
   * tasks) if the flag is already set. Cancelling the waiting task removes it from the waiters.
   */
  async wait(): Promise<true> {
    if (this._value) return true;
    const fut = this._getLoop('Event.wait').createFuture<true>(this._waitLabel);
    this._waiters.push(fut);
    try {
      await fut;
      return true;
    } finally {
      this._waiters.remove(fut);
    }
  }

  /** asyncio's repr, e.g. `<Event [unset, waiters:2]>`. */
  override toString(): string {
    let extra = this._value ? 'set' : 'unset';
    if (this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<Event [${extra}]>`;
  }
}
