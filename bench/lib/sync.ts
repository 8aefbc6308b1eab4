/**
 * The sync primitives the workloads use, loaded at run time: `src/sync/` is being written alongside
 * the benchmarks, so a workload falls back (W2) or reports itself unavailable (W3) until a
 * primitive lands, instead of failing to import.
 * @module
 */

/** asyncio.Event as the workloads use it. */
export interface EventLike {
  wait(): PromiseLike<unknown>;
  set(): void;
  clear(): void;
}

/** asyncio.Lock / Semaphore as the workloads use them. */
export interface LockLike {
  acquire(): PromiseLike<unknown>;
  release(): void;
}

/** asyncio.Queue as the workloads use it. */
export interface QueueLike<T> {
  put(item: T): PromiseLike<unknown>;
  get(): PromiseLike<T>;
}

/** Constructors found in src/sync, each null while it does not exist yet. */
export interface SyncModule {
  Event: (new () => EventLike) | null;
  Lock: (new () => LockLike) | null;
  Semaphore: (new (value?: number) => LockLike) | null;
  Queue: (new (maxsize?: number) => QueueLike<number>) | null;
}

/** Loads src/sync/index.js; a missing or broken module yields all-null constructors. */
export async function loadSync(): Promise<SyncModule> {
  let mod: Record<string, unknown> = {};
  try {
    mod = (await import('../../src/sync/index.js')) as Record<string, unknown>;
  } catch {
    // Not written yet, or mid-edit: the workloads say so in their report.
  }
  const ctor = <C>(name: string): C | null => (typeof mod[name] === 'function' ? (mod[name] as C) : null);
  return {
    Event: ctor('Event'),
    Lock: ctor('Lock'),
    Semaphore: ctor('Semaphore'),
    Queue: ctor('Queue'),
  };
}

/** A one-shot native promise with its resolver: the anchors' stand-in for an Event. */
export class Deferred {
  promise: Promise<void>;
  resolve!: () => void;
  constructor() {
    this.promise = new Promise<void>((r) => {
      this.resolve = r;
    });
  }
}
