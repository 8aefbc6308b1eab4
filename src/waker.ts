/**
 * A registration on a future (a continuation or a done callback) and what became of its continuation.
 * Completing a future puts its registrations themselves on the ready queue, so completing allocates
 * nothing; a registration is also the thenable its `then` returns.
 * @module
 */

import type { Future } from './future.js';
import type { Task } from './task.js';

/** @internal */
export type Fulfilled = ((value: unknown) => unknown) | null | undefined;
/** @internal */
export type Rejected = ((reason: unknown) => unknown) | null | undefined;

/** The promise chained on a continuation's result, made when someone calls `then` on it. */
interface Chain {
  promise: Promise<unknown>;
  res: (v: unknown) => void;
  rej: (e: unknown) => void;
}

/** A continuation delivered before anyone chained on it: how its callback ended. */
class Settled {
  constructor(
    readonly error: boolean,
    readonly out: unknown,
  ) {}
}

/** The common outcome (an await's resolve function returns undefined), shared. */
const FULFILLED_UNDEFINED = new Settled(false, undefined);

/**
 * Where a registration keeps what became of its continuation: nothing yet, the chained promise, or
 * the outcome delivered before anyone chained. One slot, shared by Waker and a sleep's folded await.
 * @internal
 */
export interface ContinuationSlot {
  _cont: Chain | Settled | null;
}

/**
 * Calls a continuation `cb` with an outcome. Errors thrown by `cb` go to the chained promise; with
 * none yet, the outcome is kept for a `then` that may come later (`const p = fut.then(f); …; await p`),
 * or that promise would never settle, and a thrown error is rethrown for the loop to report.
 * @internal
 */
export function deliverContinuation(
  slot: ContinuationSlot,
  cb: Fulfilled | Rejected,
  isError: boolean,
  v: unknown,
): void {
  const chain = slot._cont;
  if (chain === null) {
    if (typeof cb !== 'function') {
      slot._cont = new Settled(isError, v);
      return;
    }
    let out: unknown;
    try {
      out = cb(v);
    } catch (e) {
      slot._cont = new Settled(true, e);
      throw e; // unobserved so far: the loop reports it as a callback error
    }
    slot._cont = out === undefined ? FULFILLED_UNDEFINED : new Settled(false, out);
    return;
  }
  if (chain instanceof Settled) return;
  if (typeof cb !== 'function') {
    if (isError) chain.rej(v);
    else chain.res(v);
    return;
  }
  try {
    chain.res(cb(v));
  } catch (e) {
    chain.rej(e);
  }
}

/** `then` on what a registration's `then` returned: a promise of its continuation's result. @internal */
export function chainContinuation<A, B>(
  slot: ContinuationSlot,
  onF?: ((v: unknown) => A | PromiseLike<A>) | null,
  onR?: ((e: unknown) => B | PromiseLike<B>) | null,
): Promise<A | B> {
  let chain = slot._cont;
  if (chain === null || chain instanceof Settled) {
    let res!: (v: unknown) => void;
    let rej!: (e: unknown) => void;
    const promise = new Promise<unknown>((a, b) => {
      res = a;
      rej = b;
    });
    if (chain !== null) {
      if (chain.error) rej(chain.out);
      else res(chain.out);
    }
    chain = { promise, res, rej };
    slot._cont = chain;
  }
  return chain.promise.then(onF, onR);
}

/**
 * One registration on a future: a continuation (`then`) or a done callback. When the future
 * completes, the registration itself goes on the ready queue, so completing allocates nothing.
 * It is also what `then` returns: a thenable for the callback's result, so `fut.then(f).then(g)` works.
 * @internal
 */
export class Waker {
  kind: number;
  _skip = false;
  task: Task<unknown> | null;
  fut: Future<unknown> | null;
  onF: Fulfilled;
  onR: Rejected;
  fn: ((f: Future<unknown>) => void) | null;
  /** Value to resume with when `fut` is null (a bare yield: `sleep(0, value)`). */
  value: unknown;
  /** Registered by a direct `fut.then(cb)` call rather than an await (see isResolverPair). */
  direct = false;
  /**
   * The task's step count when this was registered. A registration left over from an earlier step
   * (the losing side of a `Promise.race`) must not resume the task, which by now waits elsewhere.
   */
  readonly epoch: number;
  /** @internal What became of the continuation (see ContinuationSlot). */
  _cont: Chain | Settled | null = null;

  constructor(
    kind: number,
    task: Task<unknown> | null,
    fut: Future<unknown> | null,
    onF: Fulfilled,
    onR: Rejected,
    fn: ((f: Future<unknown>) => void) | null,
  ) {
    this.kind = kind;
    this.task = task;
    this.fut = fut;
    this.onF = onF;
    this.onR = onR;
    this.fn = fn;
    this.value = undefined;
    this.epoch = task !== null ? task._steps : 0;
  }

  /** Calls the continuation with an outcome; errors thrown by a user callback go to the chained promise. */
  deliver(isError: boolean, v: unknown): void {
    deliverContinuation(this, isError ? this.onR : this.onF, isError, v);
  }

  then<A = unknown, B = never>(
    onF?: ((v: unknown) => A | PromiseLike<A>) | null,
    onR?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return chainContinuation(this, onF, onR);
  }
}
