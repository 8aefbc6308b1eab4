/**
 * Barrier: a fixed number of tasks wait for each other (asyncio.Barrier, CPython 3.11 logic).
 * @module
 */
import { BrokenBarrierError } from '../errors.js';
import { Condition } from './condition.js';
import { Lock } from './lock.js';
import { LoopBound } from './loop-bound.js';
import { checkCount } from './validate.js';

/** A barrier's phase: filling with waiters, draining them, resetting, or broken. */
export type BarrierState = 'filling' | 'draining' | 'resetting' | 'broken';

/**
 * asyncio.Barrier (3.11). `wait()` blocks until `parties` tasks are waiting, then releases them all;
 * each gets a distinct index from 0 to `parties - 1` (the last to arrive gets `parties - 1`). The
 * barrier can be reused: tasks that call `wait()` while it drains wait for the next round. `abort()`
 * breaks it and `reset()` returns it to the empty state; either makes current waiters throw
 * BrokenBarrierError.
 *
 * To bound a wait, pass a function to `waitFor`: `await waitFor(() => barrier.wait(), ms)` runs it as a task
 * that the timeout cancels, as asyncio's `wait_for(barrier.wait(), t)` does. A bare promise
 * (`waitFor(barrier.wait(), ms)`) cannot be cancelled: the wait would go on after the timeout.
 */
export class Barrier extends LoopBound {
  private readonly _cond: Condition;
  private readonly _parties: number;
  private _state: BarrierState = 'filling';
  private _count = 0;

  /**
   * @param parties how many tasks must wait before all are released, an integer >= 1.
   * @throws RangeError/TypeError for anything else.
   */
  constructor(parties: number) {
    super();
    this._parties = checkCount('new Barrier(parties)', 'parties', parties, 1);
    const lock = new Lock();
    lock._acquireLabel = 'Barrier (internal lock)';
    this._cond = new Condition(lock);
    this._cond._waitLabel = 'Barrier.wait()';
  }

  /**
   * Waits until `parties` tasks are waiting, then resolves with this task's index (0 for the first to
   * arrive, `parties - 1` for the one that trips the barrier).
   * @throws BrokenBarrierError (rejects) if the barrier is or becomes broken, or is reset while waiting.
   */
  wait(): Promise<number> {
    return this._cond.withLock(async () => {
      await this._block(); // while the barrier drains or resets
      try {
        const index = this._count;
        this._count++;
        if (index + 1 === this._parties) this._release();
        else await this._wait();
        return index;
      } finally {
        this._count--;
        this._exit();
      }
    });
  }

  /**
   * Returns the barrier to the empty `filling` state. Tasks currently waiting get BrokenBarrierError;
   * the barrier is usable again once they have left.
   */
  reset(): Promise<void> {
    return this._cond.withLock(() => {
      if (this._count > 0) {
        if (this._state !== 'resetting') this._state = 'resetting';
      } else {
        this._state = 'filling';
      }
      this._cond.notifyAll();
    });
  }

  /**
   * Breaks the barrier: current and future `wait()` calls throw BrokenBarrierError until `reset()`.
   * Useful when one party fails and the others must not wait forever.
   */
  abort(): Promise<void> {
    return this._cond.withLock(() => {
      this._state = 'broken';
      this._cond.notifyAll();
    });
  }

  /** Number of tasks required to trip the barrier. */
  get parties(): number {
    return this._parties;
  }

  /** Number of tasks currently waiting while the barrier fills (0 while draining, resetting or broken). */
  get nWaiting(): number {
    return this._state === 'filling' ? this._count : 0;
  }

  /** True if the barrier is broken (`abort()` was called and not yet `reset()`). */
  get broken(): boolean {
    return this._state === 'broken';
  }

  /** The current phase. */
  get state(): BarrierState {
    return this._state;
  }

  /** asyncio's repr, e.g. `<Barrier [filling, waiters:1/3]>`. */
  override toString(): string {
    let extra: string = this._state;
    if (!this.broken) extra += `, waiters:${this.nWaiting}/${this._parties}`;
    return `<Barrier [${extra}]>`;
  }

  /** Waits while the barrier drains or resets; throws if it is broken. */
  private async _block(): Promise<void> {
    await this._cond.waitFor(() => this._state !== 'draining' && this._state !== 'resetting');
    if (this._state === 'broken') {
      throw new BrokenBarrierError(
        'Barrier.wait(): the barrier is broken (abort() was called). Call reset() before waiting on it again.',
      );
    }
  }

  /** The last party arrived: release everyone; later arrivals wait for the drain to finish. */
  private _release(): void {
    this._state = 'draining';
    this._cond.notifyAll();
  }

  /** Waits until the barrier stops filling; throws if that was because of abort() or reset(). */
  private async _wait(): Promise<void> {
    await this._cond.waitFor(() => this._state !== 'filling');
    if (this._state === 'broken' || this._state === 'resetting') {
      throw new BrokenBarrierError(
        `Barrier.wait(): the barrier was ${this._state === 'broken' ? 'aborted' : 'reset'} while this task waited.`,
      );
    }
  }

  /** The last task to leave ends the drain or reset and wakes tasks waiting for the next round. */
  private _exit(): void {
    if (this._count === 0) {
      if (this._state === 'resetting' || this._state === 'draining') this._state = 'filling';
      this._cond.notifyAll();
    }
  }
}
