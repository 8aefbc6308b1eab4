/**
 * timeout / timeoutAt: asyncio.timeout() as a scoped function (JavaScript has no `async with`).
 * @module
 */
import { CancelledError, TimeoutError } from '../errors.js';
import type { Handle } from '../handles.js';
import type { Loop } from '../loop.js';
import { getRunningLoop } from '../running.js';
import type { Task } from '../task.js';

function checkDeadline(fn: string, when: unknown): void {
  if (when !== null && (typeof when !== 'number' || Number.isNaN(when)))
    throw new TypeError(`${fn}(): the deadline must be a virtual time in ms or null, not ${String(when)}.`);
}

type TimeoutStateName = 'created' | 'active' | 'expiring' | 'expired' | 'finished';

/** The handle a `timeout` body receives: move or drop the deadline, ask whether it expired. */
export class Timeout {
  private state: TimeoutStateName = 'created';
  private handler: Handle | null = null;
  private task: Task<unknown> | null = null;
  private cancellingAtEntry = 0;
  private deadline: number | null;
  private readonly loop: Loop;

  /** @internal */
  constructor(loop: Loop, when: number | null) {
    this.loop = loop;
    this.deadline = when;
  }

  /** The deadline in virtual ms, or null for none. */
  when(): number | null {
    return this.deadline;
  }

  /** Moves the deadline to absolute virtual time `when` (null: no deadline). */
  reschedule(when: number | null): void {
    checkDeadline('reschedule', when);
    if (this.state !== 'active') {
      throw new Error(
        this.state === 'created'
          ? 'Timeout has not been entered.'
          : `Cannot reschedule a timeout that is ${this.state}.`,
      );
    }
    this.deadline = when;
    this.handler?.cancel();
    if (when === null) this.handler = null;
    else if (when <= this.loop.time()) this.handler = this.loop.callSoon(() => this.onTimeout());
    else this.handler = this.loop.callAt(when, () => this.onTimeout());
  }

  /** True once the deadline has passed and the timeout cancelled the body. */
  expired(): boolean {
    return this.state === 'expiring' || this.state === 'expired';
  }

  /** @internal */
  _enter(): void {
    if (this.state !== 'created') throw new Error('Timeout has already been entered.');
    const task = this.loop.currentTask();
    if (task === null) throw new Error('timeout() must be used inside a task.');
    this.state = 'active';
    this.task = task;
    this.cancellingAtEntry = task.cancelling();
    this.reschedule(this.deadline);
  }

  /** @internal Returns the error to throw instead of `error` (TimeoutError when the deadline hit), or `error`. */
  _exit(failed: boolean, error: unknown): unknown {
    this.handler?.cancel();
    this.handler = null;
    if (this.state === 'expiring') {
      this.state = 'expired';
      if (this.task!.uncancel() <= this.cancellingAtEntry && failed && error instanceof CancelledError) {
        this.loop._noteTimeout(this.task);
        const e = new TimeoutError(`timeout(): deadline t=${this.deadline}ms passed`);
        (e as Error & { cause?: unknown }).cause = error;
        return e;
      }
    } else if (this.state === 'active') {
      this.state = 'finished';
    }
    return error;
  }

  private onTimeout(): void {
    this.task!.cancel();
    this.state = 'expiring';
    this.handler = null;
  }
}

/**
 * asyncio.timeout(): runs `body` in the current task with a deadline `ms` virtual ms from now (null:
 * none). On expiry the body is cancelled and `timeout` throws TimeoutError; `cm.reschedule()` moves it.
 */
export function timeout<T>(ms: number | null, body: (cm: Timeout) => PromiseLike<T> | T): Promise<T> {
  const loop = getRunningLoop('timeout');
  if (ms !== null && (typeof ms !== 'number' || Number.isNaN(ms))) {
    throw new TypeError(`timeout(): the delay must be a number of ms or null, not ${String(ms)}.`);
  }
  return timeoutAt(ms === null ? null : loop.time() + ms, body);
}

/** asyncio.timeout_at(): like `timeout` with an absolute virtual deadline. */
export async function timeoutAt<T>(
  when: number | null,
  body: (cm: Timeout) => PromiseLike<T> | T,
): Promise<T> {
  if (typeof body !== 'function')
    throw new TypeError(
      'timeout()/timeoutAt() takes the body as a function: timeout(1000, async (cm) => { ... }).',
    );
  checkDeadline('timeoutAt', when);
  const cm = new Timeout(getRunningLoop('timeoutAt'), when);
  cm._enter();
  let result: T;
  try {
    result = await body(cm);
  } catch (e) {
    throw cm._exit(true, e);
  }
  cm._exit(false, undefined);
  return result;
}
