/**
 * gather: run awaitables concurrently, results in input order (asyncio.gather).
 * @module
 */
import { type AwaitableLike, ensureFuture } from '../api.js';
import { CancelledError } from '../errors.js';
import { Future } from '../future.js';
import type { Loop } from '../loop.js';
import { getRunningLoop } from '../running.js';

/** The value an awaitable-like resolves to. */
export type AwaitedOf<X> =
  X extends Future<infer T>
    ? T
    : X extends () => infer R
      ? Awaited<R>
      : X extends PromiseLike<infer T>
        ? T
        : never;

/** gather's result: a tuple matching its input. */
export type GatherResult<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedOf<A[K]> };
/** gather's result with `returnExceptions`: each slot holds the value or what was thrown. */
export type GatherSettled<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: AwaitedOf<A[K]> | Error;
};

/** Options of `gather`. */
export interface GatherOptions {
  /** Collect errors (and CancelledErrors) in place instead of failing at the first one. */
  returnExceptions?: boolean;
}

/**
 * The future gather returns. Cancelling it cancels every child still running, and it reports
 * cancellation only once they have finished (like Task.cancel, unlike Future.cancel).
 */
export class GatheringFuture<T> extends Future<T> {
  private readonly children: readonly Future<unknown>[];
  /** @internal */ _cancelRequested = false;

  /** @internal */
  constructor(loop: Loop, children: readonly Future<unknown>[]) {
    super(loop, 'gather()');
    this.children = children;
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this.children) if (child.cancel(msg)) ret = true;
    if (ret) this._cancelRequested = true;
    return ret;
  }
}

/**
 * asyncio.gather. Functions become tasks, created in argument order; results come back in input
 * order whatever the completion order. Without `returnExceptions` the first error propagates at once
 * and the other children keep running.
 */
export function gather<const A extends readonly AwaitableLike<unknown>[]>(
  aws: A,
  options: GatherOptions & { returnExceptions: true },
): GatheringFuture<GatherSettled<A>>;
export function gather<const A extends readonly AwaitableLike<unknown>[]>(
  aws: A,
  options?: GatherOptions,
): GatheringFuture<GatherResult<A>>;
export function gather(
  aws: readonly AwaitableLike<unknown>[],
  options: GatherOptions = {},
): GatheringFuture<unknown[]> {
  if (!Array.isArray(aws)) {
    throw new TypeError('gather() takes an array of awaitables: gather([a, b, c]), not gather(a, b, c).');
  }
  const returnExceptions = options.returnExceptions === true;
  if (aws.length === 0) {
    const outer = new GatheringFuture<unknown[]>(getRunningLoop('gather'), []);
    outer.setResult([]);
    return outer;
  }
  const argToFut = new Map<unknown, Future<unknown>>();
  const children: Future<unknown>[] = [];
  let nfuts = 0;
  let nfinished = 0;
  // The loop of the first future given, else the running one (named in the error if there is none).
  const firstFuture = aws.find((a): a is Future<unknown> => a instanceof Future);
  let loop: Loop | undefined = firstFuture !== undefined ? firstFuture.getLoop() : getRunningLoop('gather');
  let outer: GatheringFuture<unknown[]> | null = null;

  const onChildDone = (fut: Future<unknown>): void => {
    nfinished++;
    if (outer === null || outer.done()) {
      // Mark the error retrieved: gather saw it, even if nobody awaits gather any more.
      if (!fut.cancelled()) fut.exception();
      return;
    }
    if (!returnExceptions) {
      if (fut.cancelled()) {
        outer.setException(fut._makeCancelledError());
        return;
      }
      if (fut._hasError) {
        outer.setException(fut.exception());
        return;
      }
    }
    if (nfinished === nfuts) {
      const results = children.map((f) => {
        if (f.cancelled()) return new CancelledError(f._cancelMessage ?? '');
        return f._hasError ? f.exception() : f.result();
      });
      if (outer._cancelRequested) outer.setException(fut._makeCancelledError());
      else outer.setResult(results);
    }
  };

  for (const arg of aws) {
    let fut = argToFut.get(arg);
    if (fut === undefined) {
      fut = ensureFuture(arg, loop);
      loop ??= fut.getLoop();
      nfuts++;
      // asyncio runs one child for an awaitable passed twice; a function is a coroutine *factory*
      // (gather([inc, inc]) means inc() twice), so only futures and promises are deduplicated.
      if (typeof arg !== 'function') argToFut.set(arg, fut);
      fut.addDoneCallback(onChildDone);
    }
    children.push(fut);
  }
  outer = new GatheringFuture<unknown[]>(loop!, children);
  return outer;
}
