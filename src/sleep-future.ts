/**
 * The awaitables behind `sleep`: a future that is its own timer entry and, for the task awaiting it,
 * its own continuation and resume entry (one allocation per sleep), and the one-turn yield of `sleep(0)`.
 * @module
 */

import type { EventLoop } from './core/event-loop.js';
import { FINISHED, Future, futureThen, isResolverPair, PENDING } from './future.js';
import { K_RESUME, K_SLEEP, K_SLEEP_RESUME, K_SLEEP_RESUME_REF } from './kinds.js';
import { runningState } from './running.js';
import type { Task } from './task.js';
import {
  type ContinuationSlot,
  chainContinuation,
  deliverContinuation,
  type Fulfilled,
  type Rejected,
  Waker,
} from './waker.js';

/** `sleep(ms)` for ms > 0: resolves with `value` when the virtual clock reaches its deadline. @internal */
export class SleepFuture<T> extends Future<T> {
  /** @internal */ _when: number;
  /** @internal */ _scheduled = false;
  /** @internal The task that awaited it (for the trace). */
  _sleeper: Task<unknown> | null = null;
  /**
   * @internal The first registration when it is a task's await (nearly always the only one), kept
   * here instead of in a Waker: task, continuation, and the task's step count at the await (see
   * Waker.epoch). Null when there is none; later registrations use Wakers as for any future.
   */
  _cTask: Task<unknown> | null = null;
  /** @internal */ _cF: Fulfilled = undefined;
  /** @internal */ _cR: Rejected = undefined;
  /** @internal */ _cEpoch = 0;
  /** @internal What became of the folded continuation (see ContinuationSlot). */
  _cont: ContinuationSlot['_cont'] = null;

  constructor(loop: EventLoop, when: number, value: T) {
    super(loop, null);
    this.kind = K_SLEEP;
    this._when = when;
    this._result = value; // what it resolves with: set now, it is not read before the sleep finishes
  }

  /** Thenable protocol (see Future); a task's await is kept on the sleep itself. */
  override get then(): PromiseLike<T>['then'] {
    this._awaiter = this._loop._attribute();
    return sleepThen as unknown as PromiseLike<T>['then'];
  }

  /** The deadline's timer fired (futures._set_result_unless_cancelled). */
  _fire(): void {
    if (this._state !== PENDING) return;
    this._state = FINISHED;
    if (this._cTask !== null) {
      // Out of the timer queue now, so the sleep itself can be the entry that resumes its task.
      this.kind = K_SLEEP_RESUME;
      this._loop._schedule(this);
    }
    super._scheduleCallbacks();
  }

  /** @internal Completed other than by its timer (cancelled), maybe still queued as a timer. */
  override _scheduleCallbacks(): void {
    if (this._cTask !== null) this._loop._schedule(new SleepResume(this as SleepFuture<unknown>));
    super._scheduleCallbacks();
  }

  /**
   * Cancelled with no task awaiting it (e.g. passed to waitFor or gather): nobody will resume to
   * drop the timer, so drop it now, or the clock would later jump to a deadline nobody waits for.
   * An awaited sleep keeps asyncio's timing: its timer is dropped when the task resumes.
   */
  override cancel(msg?: string): boolean {
    const cancelled = super.cancel(msg);
    if (cancelled && this._sleeper === null) this._cancelTimer();
    return cancelled;
  }

  /** asyncio's `finally: h.cancel()` in sleep(), run when the awaiting task resumes. */
  _cancelTimer(): void {
    // Once fired and queued as a resume entry, the timer is gone: `_skip` would now drop the resumption.
    if (this._skip || this.kind !== K_SLEEP) return;
    this._skip = true;
    if (this._scheduled) this._loop._timerCancelled();
  }

  /** @internal Calls the folded continuation (as Waker.deliver does for a Waker). */
  deliver(isError: boolean, v: unknown): void {
    deliverContinuation(this, isError ? this._cR : this._cF, isError, v);
  }
}

(SleepFuture.prototype as SleepFuture<unknown>)._label = 'sleep';

/** What `then` returns for a folded continuation: a thenable for the callback's result. */
class SleepThenResult {
  constructor(private readonly sf: SleepFuture<unknown>) {}

  then<A = unknown, B = never>(
    onF?: ((v: unknown) => A | PromiseLike<A>) | null,
    onR?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return chainContinuation(this.sf, onF, onR);
  }
}

/** The resume entry of a folded continuation when the sleep itself may still be a queued timer. @internal */
export class SleepResume {
  kind = K_SLEEP_RESUME_REF;
  _skip = false;
  constructor(readonly _sf: SleepFuture<unknown>) {}
}

/**
 * A task's await on a pending sleep nobody else waits on is kept on the sleep (no Waker); anything
 * else (a second registration, a direct `then`, another loop's task…) goes the general way.
 */
function sleepThen(this: SleepFuture<unknown>, onF: Fulfilled, onR: Rejected): PromiseLike<unknown> {
  const loop = this._loop;
  const running = runningState.loop;
  if (
    this._state !== PENDING ||
    this._cTask !== null ||
    this._w !== null ||
    (running !== null && running !== loop) ||
    !isResolverPair(onF, onR)
  ) {
    return futureThen.call(this, onF, onR);
  }
  let task = this._awaiter;
  if (task === undefined) task = loop._attribute();
  if (task === null || task._state !== PENDING) {
    this._awaiter = task;
    return futureThen.call(this, onF, onR);
  }
  this._awaiter = undefined;
  this._cTask = task;
  this._cF = onF;
  this._cR = onR;
  this._cEpoch = task._steps;
  loop._suspend(task, this as SleepFuture<unknown>);
  return new SleepThenResult(this);
}

function yieldThen(
  this: YieldAwaitable<unknown>,
  onF: (v: unknown) => unknown,
  onR: (e: unknown) => unknown,
): Waker {
  const loop = this._loop;
  let task = this._awaiter;
  this._awaiter = undefined;
  if (task === undefined) task = loop._attribute();
  if (task !== null && task._state !== PENDING) task = null;
  const w = new Waker(K_RESUME, task, null, onF, onR, null);
  w.value = this._value;
  loop._yield(task, w);
  return w;
}

/** `sleep(0)`: gives up the rest of the step; the task resumes on the next turn (asyncio's bare yield). @internal */
export class YieldAwaitable<T> implements PromiseLike<T> {
  /** @internal */ _loop: EventLoop;
  /** @internal */ _value: T;
  /** @internal */ _awaiter: Task<unknown> | null | undefined = undefined;

  constructor(loop: EventLoop, value: T) {
    this._loop = loop;
    this._value = value;
  }

  get then(): PromiseLike<T>['then'] {
    this._awaiter = this._loop._attribute();
    return yieldThen as unknown as PromiseLike<T>['then'];
  }
}
