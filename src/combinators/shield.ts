/**
 * shield: protect an awaitable from the cancellation of its awaiter (asyncio.shield).
 * @module
 */
import { type AwaitableLike, ensureFuture } from '../api.js';
import { Future } from '../future.js';
import { getRunningLoop } from '../running.js';

/**
 * asyncio.shield. Cancelling the task that awaits the result cancels only the outer future; the
 * inner awaitable keeps running. Cancelling the inner one still cancels the outer.
 */
export function shield<T>(aw: AwaitableLike<T>): Future<T> {
  const inner = ensureFuture(aw, aw instanceof Future ? aw.getLoop() : getRunningLoop('shield'));
  if (inner.done()) return inner;
  const outer = inner.getLoop().createFuture<T>('shield()');
  const onInnerDone = (f: Future<T>): void => {
    if (outer.cancelled()) {
      if (!f.cancelled()) f.exception(); // mark retrieved: the outer awaiter is gone
      return;
    }
    if (f.cancelled()) outer.cancel();
    else if (f._hasError) outer.setException(f.exception());
    else outer.setResult(f.result());
  };
  const onOuterDone = (): void => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(onOuterDone);
  return outer;
}
