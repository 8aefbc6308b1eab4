/**
 * waitFor: await with a deadline; on timeout the inner awaitable is cancelled (asyncio.wait_for).
 * @module
 */
import { type AwaitableLike, ensureFuture } from '../api.js';
import { CancelledError, TimeoutError } from '../errors.js';
import type { Future } from '../future.js';
import { getRunningLoop } from '../running.js';
import { cancelAndWait, releaseWaiter } from './wait.js';

function timedOut(ms: number, cause: unknown): TimeoutError {
  const loop = getRunningLoop('waitFor');
  loop._noteTimeout(loop.currentTask());
  const e = new TimeoutError(`waitFor(): timed out after ${ms}ms`);
  (e as Error & { cause?: unknown }).cause = cause;
  return e;
}

/**
 * asyncio.wait_for (3.11). With `ms` null it simply awaits. On timeout it cancels the inner awaitable,
 * waits until it has really finished, and throws TimeoutError.
 */
export async function waitFor<T>(aw: AwaitableLike<T>, ms: number | null): Promise<T> {
  const loop = getRunningLoop('waitFor');
  if (ms === null || ms === undefined) {
    return typeof aw === 'function' ? await (aw as () => PromiseLike<T> | T)() : await (aw as PromiseLike<T>);
  }
  if (typeof ms !== 'number' || Number.isNaN(ms))
    throw new TypeError(`waitFor(): the timeout must be a number of ms or null, not ${String(ms)}.`);
  const fut = ensureFuture(aw, loop) as Future<T>;
  if (ms <= 0) {
    if (fut.done()) return fut.result();
    await cancelAndWait(fut, loop);
    try {
      return fut.result();
    } catch (e) {
      if (e instanceof CancelledError) throw timedOut(ms, e);
      throw e;
    }
  }
  const waiter = loop.createFuture<unknown>('waitFor()');
  const timeoutHandle = loop.callLater(ms, releaseWaiter, waiter);
  const cb = (): void => releaseWaiter(waiter);
  fut.addDoneCallback(cb);
  try {
    try {
      await waiter;
    } catch (e) {
      if (e instanceof CancelledError) {
        if (fut.done()) return fut.result();
        fut.removeDoneCallback(cb);
        await cancelAndWait(fut, loop);
      }
      throw e;
    }
    if (fut.done()) return fut.result();
    fut.removeDoneCallback(cb);
    await cancelAndWait(fut, loop);
    try {
      return fut.result();
    } catch (e) {
      if (e instanceof CancelledError) throw timedOut(ms, e);
      throw e;
    }
  } finally {
    timeoutHandle.cancel();
  }
}
