/**
 * wait: block until some or all of a set of futures are done (asyncio.wait).
 * @module
 */
import { Future } from '../future.js';
import type { Loop } from '../loop.js';
import { getRunningLoop } from '../running.js';

/** Return as soon as any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** Return when any future fails with an error, or when all are done. */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** Return when all futures are done (the default). */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** When `wait` returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of `wait`. */
export interface WaitOptions {
  /** Virtual ms after which `wait` returns whatever is done; null/undefined waits without limit. */
  timeout?: number | null;
  returnWhen?: ReturnWhen;
}

/** What `wait` resolves to; the pending futures keep running. */
export interface WaitResult<F> {
  done: Set<F>;
  pending: Set<F>;
}

/**
 * asyncio.wait. Takes futures or tasks (create tasks for functions first, so you can tell them apart in
 * the result); never throws on timeout, it returns the pending ones.
 */
export async function wait<F extends Future<unknown>>(
  aws: Iterable<F>,
  options: WaitOptions = {},
): Promise<WaitResult<F>> {
  const returnWhen = options.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(
      `wait(): invalid returnWhen ${JSON.stringify(returnWhen)}; use FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED.`,
    );
  }
  if (aws === null || typeof (aws as Iterable<F>)[Symbol.iterator] !== 'function' || aws instanceof Future) {
    throw new TypeError('wait() takes an iterable of futures or tasks, e.g. wait([t1, t2]).');
  }
  const fs = new Set<F>();
  for (const f of aws) {
    if (!(f instanceof Future)) {
      throw new TypeError(
        'wait() takes futures or tasks; wrap functions with createTask() first (asyncio forbids passing coroutines too).',
      );
    }
    fs.add(f);
  }
  if (fs.size === 0) throw new RangeError('wait() was given no futures; pass at least one.');
  const loop = getRunningLoop('wait');
  for (const f of fs) {
    if (f.getLoop() !== loop) throw new Error(`wait(): ${f.toString()} belongs to another loop.`);
  }
  return waitInner(fs, options.timeout ?? null, returnWhen, loop);
}

function releaseWaiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

async function waitInner<F extends Future<unknown>>(
  fs: Set<F>,
  timeout: number | null,
  returnWhen: ReturnWhen,
  loop: Loop,
): Promise<WaitResult<F>> {
  const waiter = loop.createFuture<unknown>('wait()');
  const timeoutHandle = timeout !== null ? loop.callLater(timeout, releaseWaiter, waiter) : null;
  let counter = fs.size;
  const onCompletion = (f: Future<unknown>): void => {
    counter--;
    if (
      counter <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== null)
    ) {
      timeoutHandle?.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  };
  for (const f of fs) f.addDoneCallback(onCompletion);
  try {
    await waiter;
  } finally {
    timeoutHandle?.cancel();
    for (const f of fs) f.removeDoneCallback(onCompletion);
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return { done, pending };
}

/** @internal asyncio's _cancel_and_wait: cancel `fut` and wait until it is really done. */
export async function cancelAndWait(fut: Future<unknown>, loop: Loop): Promise<void> {
  const waiter = loop.createFuture<unknown>('cancel and wait');
  const cb = (): void => releaseWaiter(waiter);
  fut.addDoneCallback(cb);
  try {
    fut.cancel();
    await waiter;
  } finally {
    fut.removeDoneCallback(cb);
  }
}

/** @internal */
export { releaseWaiter };
