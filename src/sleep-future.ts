/**
 * The awaitables behind `sleep`: a future that is its own timer entry (one allocation per sleep),
 * and the one-turn yield of `sleep(0)`.
 * @module
 */
import { Future, PENDING, Waker } from './future.js';
import { K_RESUME, K_SLEEP } from './kinds.js';
import type { Loop } from './loop.js';
import type { Task } from './task.js';

/** `sleep(ms)` for ms > 0: resolves with `value` when the virtual clock reaches its deadline. @internal */
export class SleepFuture<T> extends Future<T> {
  /** @internal */ _when: number;
  /** @internal */ _scheduled = false;
  /** @internal */ _value: T;
  /** @internal The task that awaited it (for the trace). */
  _sleeper: Task<unknown> | null = null;

  constructor(loop: Loop, when: number, value: T) {
    super(loop, 'sleep');
    this.kind = K_SLEEP;
    this._when = when;
    this._value = value;
  }

  /** The deadline's timer fired (futures._set_result_unless_cancelled). */
  _fire(): void {
    if (this._state === PENDING) this.setResult(this._value);
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
    if (this._skip) return;
    this._skip = true;
    if (this._scheduled) this._loop._timerCancelled();
  }
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
  /** @internal */ _loop: Loop;
  /** @internal */ _value: T;
  /** @internal */ _awaiter: Task<unknown> | null | undefined = undefined;

  constructor(loop: Loop, value: T) {
    this._loop = loop;
    this._value = value;
  }

  get then(): PromiseLike<T>['then'] {
    this._awaiter = this._loop._attribute();
    return yieldThen as unknown as PromiseLike<T>['then'];
  }
}
