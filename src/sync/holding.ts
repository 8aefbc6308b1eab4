/**
 * asyncio's `async with primitive:` for anything with an acquire/release pair.
 * @module
 */

/** Something `holding` can acquire and release: a Lock, a Semaphore, a Condition. */
export interface Acquirable {
  acquire(): PromiseLike<unknown>;
  release(): void;
}

/**
 * Acquires `primitive`, runs `fn`, and releases when `fn` settles, even if it throws; resolves with
 * `fn`'s result. If the acquire itself fails (cancelled while waiting), nothing is released.
 * @internal
 */
export async function holding<R>(primitive: Acquirable, fn: () => R | PromiseLike<R>): Promise<R> {
  await primitive.acquire();
  try {
    return await fn();
  } finally {
    primitive.release();
  }
}
